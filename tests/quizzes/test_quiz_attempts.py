"""The attempt lifecycle through the web pages: start, resume, autosave, page form, submit once,
stale pages and tampered forms (clear messages, never a 500), attempt limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.quizzes.models import Attempt, AttemptState
from app.results.models import Result
from tests.quizzes.quiz_helpers import post_data, right_answer, wrong_answer


def _start(client, quiz_id="new-hire-check") -> int:
    response = client.post(f"/quizzes/{quiz_id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    match = re.search(r"/quizzes/attempts/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _attempt(db, attempt_id) -> Attempt:
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def _results(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Result))


def test_quiz_list_shows_settings_and_start(client, login_as, small_bank):
    login_as("trainee")
    page = client.get("/quizzes/").get_data(as_text=True)
    assert "入门测验" in page and "新员工入门" in page
    assert "/quizzes/new-hire-check/start" in page
    assert "80" in page and "20" in page  # pass mark, time limit


def test_start_then_start_again_resumes_the_same_attempt(client, db, login_as, small_bank):
    login_as("trainee")
    first = _start(client)
    page = client.get(f"/quizzes/attempts/{first}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert _start(client) == first
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    listing = client.get("/quizzes/").get_data(as_text=True)
    assert "Attempt 1 is in progress" in listing or "第 1 次作答进行中" in listing


def test_autosave_keeps_answers_and_resume_shows_them(app, client, db, login_as, login, small_bank):
    user = login_as("trainee")
    attempt_id = _start(client)
    item = next(i for i in _attempt(db, attempt_id).items if i.qtype in ("single", "numeric", "phrase"))
    raw = right_answer(item)
    response = client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, raw), page="1"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["answered"] == [item.position]
    assert set(body) == {"ok", "saved", "answered", "saved_at"}  # nothing about correctness
    saved = _attempt(db, attempt_id).items[item.position - 1]
    assert saved.response is not None and saved.saved_at is not None and saved.fraction is None

    # the browser is closed: a new session logs in and resumes
    other = app.test_client()
    other.post("/login", data={"employee_no": user.employee_no, "password": "correct-horse-battery"})
    assert _start(other) == attempt_id
    page = other.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    if item.qtype == "single":
        assert f'name="q{item.position}" id="q{item.position}-{raw[0]}" value="{raw[0]}" checked' in page
    else:
        assert f'value="{raw[0]}"' in page


def test_page_form_saves_and_remembers_the_page(client, db, login_as, shipped_bank):
    login_as("trainee")
    attempt_id = _start(client, "new-hire-final")
    attempt = _attempt(db, attempt_id)
    assert len(attempt.items) == 24
    first_page = attempt.items[:5]
    data = post_data(*[(item, right_answer(item)) for item in first_page], page="1", action="next")
    response = client.post(f"/quizzes/attempts/{attempt_id}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}?page=2")
    attempt = _attempt(db, attempt_id)
    assert attempt.current_page == 2 and all(item.answered for item in attempt.items[:5])
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)  # resume opens page 2
    assert f'id="question-{attempt.items[5].position}"' in page and 'id="question-1"' not in page
    # an emptied answer is saved as "no answer"
    client.post(f"/quizzes/attempts/{attempt_id}", data={"page": "1", "items": "1", "action": "save"})
    assert not _attempt(db, attempt_id).items[0].answered


def test_ordering_answers_are_posted_as_ranks(client, db, login_as, small_bank):
    login_as("trainee")
    for _ in range(3):
        attempt_id = _start(client)
        item = next((i for i in _attempt(db, attempt_id).items if i.qtype == "ordering"), None)
        if item is not None:
            break
        client.post(f"/quizzes/attempts/{attempt_id}/submit")
    else:
        pytest.skip("no ordering question drawn")
    client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, right_answer(item))))
    assert _attempt(db, attempt_id).items[item.position - 1].response == item.spec["key"]
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(rf'name="q{item.position}-\d+"', page)


def test_tampered_and_junk_input_never_breaks_the_page(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    junk = {"items": ["999", "abc", "1", "-1", "9" * 30], "q1": ["abc", "99", "-1", "" * 5], "q1-0": "77",
            "page": "abc", "action": "page-9999"}
    assert client.post(f"/quizzes/attempts/{attempt_id}", data=junk).status_code == 302
    assert client.post(f"/quizzes/attempts/{attempt_id}/save", data=junk).status_code == 200
    assert client.get(f"/quizzes/attempts/{attempt_id}?page=-5").status_code == 200
    assert client.get(f"/quizzes/attempts/{attempt_id}?page=x").status_code == 200
    assert client.post("/quizzes/no-such-quiz/start").status_code == 302


def test_submit_twice_gives_one_score(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    items = _attempt(db, attempt_id).items
    client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data(*[(i, right_answer(i)) for i in items]))
    first = client.post(f"/quizzes/attempts/{attempt_id}/submit")
    second = client.post(f"/quizzes/attempts/{attempt_id}/submit", follow_redirects=True)
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert second.status_code == 200
    text = second.get_data(as_text=True)
    assert "already submitted" in text or "已经提交" in text
    attempt = _attempt(db, attempt_id)
    assert attempt.state == AttemptState.SUBMITTED.value and attempt.score == 100.0 and attempt.passed
    assert all(item.fraction == 1.0 for item in attempt.items)
    result = db.session.scalar(select(Result))
    assert _results(db) == 1 and result.score == 100.0 and result.activity_id == "new-hire-check"
    assert result.kind == "quiz" and result.source_id == attempt_id and result.passed is True
    assert result.finished_at == attempt.finished_at


def test_wrong_answers_fail_the_attempt(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    items = _attempt(db, attempt_id).items
    client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data(*[(i, wrong_answer(i)) for i in items]))
    client.post(f"/quizzes/attempts/{attempt_id}/submit")
    attempt = _attempt(db, attempt_id)
    assert attempt.score == 0.0 and attempt.passed is False
    assert db.session.scalar(select(Result)).passed is False


def test_stale_pages_after_submit_get_a_clear_message(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    item = _attempt(db, attempt_id).items[0]
    client.post(f"/quizzes/attempts/{attempt_id}/submit")
    # the back button: the old attempt page posts its form
    stale = client.post(f"/quizzes/attempts/{attempt_id}", data=post_data((item, right_answer(item)), page="1",
                                                                           action="next"), follow_redirects=True)
    assert stale.status_code == 200
    assert "already submitted" in stale.get_data(as_text=True) or "已经提交" in stale.get_data(as_text=True)
    # a second tab still autosaving
    late = client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, right_answer(item))))
    assert late.status_code == 409
    assert late.get_json()["state"] == "submitted" and late.get_json()["review_url"].endswith("/review")
    assert _attempt(db, attempt_id).items[0].response is None  # nothing written after submission
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 302
    assert client.get(f"/quizzes/attempts/{attempt_id}/summary").status_code == 302
    assert _results(db) == 1


def test_someone_elses_attempt_is_not_found(app, client, db, login_as, make_employee, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    client = app.test_client()
    other = make_employee()
    client.post("/login", data={"employee_no": other.employee_no, "password": "correct-horse-battery"})
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt_id}/save", data={"items": "1"}).status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 404


def test_attempt_limit(client, db, login_as, small_bank):
    login_as("trainee")
    for _ in range(3):
        attempt_id = _start(client)
        client.post(f"/quizzes/attempts/{attempt_id}/submit")
    refused = client.post("/quizzes/new-hire-check/start", follow_redirects=True)
    assert refused.status_code == 200
    assert "3" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 3
    numbers = sorted(db.session.scalars(select(Attempt.number)))
    assert numbers == [1, 2, 3]


def test_database_refuses_a_second_attempt_in_progress(db, make_employee, small_bank):
    import datetime as dt

    employee = make_employee()
    now = dt.datetime(2026, 1, 1)
    db.session.add(Attempt(employee_id=employee.id, quiz_id="new-hire-check", number=1, started_at=now, pass_mark=80))
    db.session.commit()
    db.session.add(Attempt(employee_id=employee.id, quiz_id="new-hire-check", number=2, started_at=now, pass_mark=80))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # finished attempts do not count
    db.session.add(Attempt(employee_id=employee.id, quiz_id="new-hire-check", number=2, started_at=now,
                           pass_mark=80, state="submitted"))
    db.session.commit()


def test_summary_lists_unanswered_questions(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = _start(client)
    item = _attempt(db, attempt_id).items[0]
    client.post(f"/quizzes/attempts/{attempt_id}", data=post_data((item, right_answer(item)), page="1", action="finish"))
    summary = client.get(f"/quizzes/attempts/{attempt_id}/summary")
    text = summary.get_data(as_text=True)
    assert summary.status_code == 200 and summary.headers["Cache-Control"] == "no-store"
    assert text.count("text-danger") == 4  # four of five unanswered
    assert f"/quizzes/attempts/{attempt_id}/submit" in text


def test_numeric_answers_ask_for_digits_and_refuse_text(client, db, login_as, small_bank, monkeypatch):
    """inputmode=decimal on the page; text that is not a number is refused with a message, not saved as 0."""
    login_as("trainee")
    for seed in range(100):  # the draw is random: take the first seed whose attempt holds a numeric question
        monkeypatch.setattr("app.quizzes.attempts.secrets.randbits", lambda _bits, seed=seed: seed)
        attempt_id = _start(client)
        attempt = _attempt(db, attempt_id)
        item = next((i for i in attempt.items if i.qtype == "numeric"), None)
        if item is not None:
            break
        db.session.delete(attempt)
        db.session.commit()
    assert item is not None
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    field = re.search(rf'<input[^>]*name="q{item.position}"[^>]*>', page)
    assert field is not None and 'inputmode="decimal"' in field.group(0)
    assert 'id="autosave-status" aria-live="polite" hidden' in page and "<noscript>" in page
    response = client.post(f"/quizzes/attempts/{attempt_id}", follow_redirects=True,
                           data=post_data((item, ["很多"]), page="1", action="finish"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "不是数字" in text and "很多" in text
    assert _attempt(db, attempt_id).state == AttemptState.IN_PROGRESS.value  # not finished
    assert next(i for i in _attempt(db, attempt_id).items if i.position == item.position).response is None
    saved = client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, ["很多"]), page="1"))
    assert saved.get_json()["refused"] == [item.position]
    client.post(f"/quizzes/attempts/{attempt_id}", data=post_data((item, right_answer(item)), page="1",
                                                                    action="save"))
    assert next(i for i in _attempt(db, attempt_id).items if i.position == item.position).response is not None
