"""The deadline is the server's: past it, any save, submit or page view finishes the attempt as
``expired``, graded on the answers saved in time, with its Result dated at the deadline."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from sqlalchemy import select

from app.quizzes.attempts import (
    AttemptClosed,
    expire_due_attempts,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.quizzes.models import Attempt, AttemptState
from app.results.models import Result
from tests.quizzes.quiz_helpers import PASSWORD, post_data, right_answer

T0 = dt.datetime(2026, 3, 2, 1, 0, 0)  # naive UTC, like the columns
UTC = dt.UTC


def _reload(db, attempt_id) -> Attempt:
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def test_save_after_the_deadline_expires_with_the_saved_answers(db, make_employee, small_bank):
    employee = make_employee()
    attempt, _ = start_attempt(employee.id, "new-hire-check", now=T0, rng=random.Random(5))
    assert attempt.deadline == T0 + dt.timedelta(minutes=20)
    first, second = attempt.items[0], attempt.items[1]
    save_answers(attempt.id, employee.id, {first.position: right_answer(first)}, now=T0 + dt.timedelta(minutes=19))
    db.session.commit()
    with pytest.raises(AttemptClosed) as closed:
        save_answers(attempt.id, employee.id, {second.position: right_answer(second)},
                     now=T0 + dt.timedelta(minutes=20))  # exactly at the deadline is too late
    assert closed.value.just_expired
    db.session.commit()
    attempt = _reload(db, attempt.id)
    assert attempt.state == AttemptState.EXPIRED.value
    assert attempt.finished_at == attempt.deadline
    assert attempt.items[0].fraction == 1.0 and attempt.items[1].response is None
    assert attempt.score == pytest.approx(20.0) and attempt.passed is False
    result = db.session.scalar(select(Result))
    assert (result.score, result.finished_at, result.passed) == (20.0, attempt.deadline, False)


def test_submit_after_the_deadline_is_an_expiry_not_a_submission(db, make_employee, small_bank):
    employee = make_employee()
    attempt, _ = start_attempt(employee.id, "new-hire-check", now=T0)
    finished, graded_now = submit_attempt(attempt.id, employee.id, now=T0 + dt.timedelta(hours=3))
    assert graded_now and finished.state == AttemptState.EXPIRED.value
    assert finished.finished_at == T0 + dt.timedelta(minutes=20)


def test_abandoned_attempts_are_expired_in_bulk(db, make_employee, small_bank):
    employees = [make_employee() for _ in range(3)]
    for e in employees:
        start_attempt(e.id, "new-hire-check", now=T0)
    db.session.commit()
    assert expire_due_attempts(now=T0 + dt.timedelta(minutes=10)) == 0
    assert expire_due_attempts(now=T0 + dt.timedelta(minutes=25)) == 3
    db.session.commit()
    assert len(db.session.scalars(select(Result)).all()) == 3
    assert expire_due_attempts(now=T0 + dt.timedelta(minutes=30)) == 0


def test_starting_again_after_the_deadline_expires_the_old_attempt(db, make_employee, small_bank):
    employee = make_employee()
    old, _ = start_attempt(employee.id, "new-hire-check", now=T0)
    new, created = start_attempt(employee.id, "new-hire-check", now=T0 + dt.timedelta(minutes=45))
    assert created and new.id != old.id and new.number == 2
    assert _reload(db, old.id).state == AttemptState.EXPIRED.value


# --- through the pages, with the clock moved ----------------------------------------------------------


def _login(app, employee):
    client = app.test_client()
    assert client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture()
def started(app, db, make_employee, small_bank):
    employee = make_employee()
    with time_machine.travel(T0.replace(tzinfo=UTC), tick=False):
        client = _login(app, employee)
        response = client.post("/quizzes/new-hire-check/start")
        attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
        item = _reload(db, attempt_id).items[0]
        assert client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, right_answer(item)))).status_code == 200
    return client, attempt_id


def test_autosave_past_the_deadline_gets_409_and_the_attempt_is_graded(db, started):
    client, attempt_id = started
    item = _reload(db, attempt_id).items[1]
    with time_machine.travel((T0 + dt.timedelta(minutes=21)).replace(tzinfo=UTC), tick=False):
        late = client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, right_answer(item))))
    assert late.status_code == 409
    body = late.get_json()
    assert body["state"] == "expired"
    assert "Time is up" in body["message"] or "时间到" in body["message"]
    attempt = _reload(db, attempt_id)
    assert attempt.state == "expired" and attempt.score == 20.0 and attempt.items[1].response is None
    assert db.session.scalar(select(Result)).score == 20.0


def test_viewing_the_page_past_the_deadline_finishes_the_attempt(db, started):
    client, attempt_id = started
    with time_machine.travel((T0 + dt.timedelta(minutes=30)).replace(tzinfo=UTC), tick=False):
        page = client.get(f"/quizzes/attempts/{attempt_id}")
        assert page.status_code == 302 and page.headers["Location"].endswith("/review")
        review = client.get(page.headers["Location"])
    assert review.status_code == 200
    attempt = _reload(db, attempt_id)
    assert attempt.state == "expired" and attempt.finished_at == T0 + dt.timedelta(minutes=20)
    assert len(db.session.scalars(select(Result)).all()) == 1


def test_the_quiz_list_finishes_abandoned_attempts(db, started):
    client, attempt_id = started
    with time_machine.travel((T0 + dt.timedelta(days=2)).replace(tzinfo=UTC), tick=False):
        assert client.get("/quizzes/").status_code == 200
    assert _reload(db, attempt_id).state == "expired"


def test_page_shows_the_server_time_left(db, started):
    client, attempt_id = started
    with time_machine.travel((T0 + dt.timedelta(minutes=15)).replace(tzinfo=UTC), tick=False):
        page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert 'data-seconds-left="300"' in page


def test_the_page_form_past_the_deadline_says_time_is_up(db, started):
    client, attempt_id = started
    item = _reload(db, attempt_id).items[1]
    with time_machine.travel((T0 + dt.timedelta(minutes=20, seconds=1)).replace(tzinfo=UTC), tick=False):
        response = client.post(f"/quizzes/attempts/{attempt_id}", data=post_data((item, right_answer(item)), page="1",
                                                                                  action="next"), follow_redirects=True)
    assert response.status_code == 200
    assert "Time is up" in response.get_data(as_text=True) or "时间到" in response.get_data(as_text=True)
    assert _reload(db, attempt_id).items[1].response is None
