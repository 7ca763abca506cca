"""Real concurrency (threads, each with its own app context, session and connection) on whichever
database the suite runs on, SQLite or PostgreSQL: one score per attempt however many submits race,
one attempt however many starts race, and no answer saved after the grading."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db as _db
from app.quizzes.attempts import AttemptClosed, save_answers, start_attempt, submit_attempt
from app.quizzes.models import Attempt, AttemptState
from app.quizzes.question_types import get_type
from app.results.models import Result
from tests.quizzes.quiz_helpers import PASSWORD, post_data, right_answer

THREADS = 8


def _run_all(app, work) -> list:
    """Run ``work(i)`` in THREADS threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def runner(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcomes[index] = work(index)
            except Exception as exc:  # noqa: BLE001 (reported to the test)
                _db.session.rollback()
                outcomes[index] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _results(db) -> list[Result]:
    db.session.rollback()  # end the test's own read snapshot: see what the threads committed
    return list(db.session.scalars(select(Result)))


def test_concurrent_submits_through_the_service_give_one_score(app, db, make_employee, small_bank):
    employee = make_employee()
    attempt, _ = start_attempt(employee.id, "new-hire-check")
    save_answers(attempt.id, employee.id, {i.position: right_answer(i) for i in attempt.items[:3]})
    db.session.commit()
    attempt_id, employee_id = attempt.id, employee.id

    def submit(_index):
        finished, graded_now = submit_attempt(attempt_id, employee_id)
        score = finished.score
        _db.session.commit()
        return graded_now, score

    outcomes = _run_all(app, submit)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(1 for graded_now, _ in outcomes if graded_now) == 1
    assert {score for _, score in outcomes} == {60.0}
    results = _results(db)
    assert len(results) == 1 and results[0].score == 60.0 and results[0].source_id == attempt_id
    assert db.session.get(Attempt, attempt_id).state == AttemptState.SUBMITTED.value


def _logged_in_clients(app, employee, count):
    clients = []
    for _ in range(count):
        client = app.test_client()
        assert client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD}).status_code == 302
        clients.append(client)
    return clients


def test_concurrent_submit_requests_double_click_and_tabs(app, db, make_employee, small_bank):
    employee = make_employee()
    clients = _logged_in_clients(app, employee, THREADS)
    attempt_id = int(clients[0].post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    items = db.session.get(Attempt, attempt_id).items
    clients[0].post(f"/quizzes/attempts/{attempt_id}/save", data=post_data(*[(i, right_answer(i)) for i in items]))
    db.session.commit()

    outcomes = _run_all(app, lambda i: clients[i].post(f"/quizzes/attempts/{attempt_id}/submit").status_code)
    assert outcomes == [302] * THREADS, outcomes
    results = _results(db)
    assert len(results) == 1 and results[0].score == 100.0
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_concurrent_starts_give_one_attempt(app, db, make_employee, small_bank):
    employee = make_employee()
    clients = _logged_in_clients(app, employee, THREADS)
    db.session.commit()
    outcomes = _run_all(app, lambda i: clients[i].post("/quizzes/new-hire-check/start").headers.get("Location"))
    assert len(set(outcomes)) == 1 and "/quizzes/attempts/" in outcomes[0], outcomes
    db.session.rollback()  # end the test's own read snapshot: see what the threads committed
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_answers_racing_a_submit_are_either_graded_or_refused(app, db, make_employee, small_bank):
    employee = make_employee()
    attempt, _ = start_attempt(employee.id, "new-hire-check")
    db.session.commit()
    attempt_id, employee_id = attempt.id, employee.id
    items = list(attempt.items)

    def work(index):
        if index == THREADS // 2:
            submit_attempt(attempt_id, employee_id)
            _db.session.commit()
            return "submitted"
        item = items[index % len(items)]
        try:
            save_answers(attempt_id, employee_id, {item.position: right_answer(item)})
            _db.session.commit()
            return "saved"
        except AttemptClosed:
            _db.session.commit()
            return "refused"

    outcomes = _run_all(app, work)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    db.session.rollback()  # end the test's own read snapshot: see what the threads committed
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == AttemptState.SUBMITTED.value
    for item in attempt.items:  # the stored grade matches the stored answer: nothing slipped in after
        assert item.fraction == get_type(item.qtype).grade(item.spec, item.response)
        assert item.saved_at is None or item.saved_at <= attempt.finished_at
    assert attempt.score == round(100 * sum(i.fraction for i in attempt.items) / len(attempt.items), 2)
    assert len(_results(db)) == 1
