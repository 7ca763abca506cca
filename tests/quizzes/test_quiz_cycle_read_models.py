"""Item-analysis counters and open-cycle live scores and department figures: after a random sequence
of writes through the real services (attempt submits with random answers, results in and out of the
cycle window, assignment changes, a weight change, employees moved between departments or
(de)activated) the incrementally kept rows equal what ``rebuild()`` writes;
and two attempts submitted at the same moment from two threads lose no count (SQLite or PostgreSQL,
whichever the suite runs on)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.appraisal import live
from app.appraisal.cycles import CycleData, create_cycle, cycle_data, update_cycle
from app.appraisal.models import Cycle
from app.appraisal.reports import computed_breakdown, department_breakdown
from app.appraisal.scoring import score_select
from app.appraisal.snapshots import cycle_scores
from app.extensions import db as _db
from app.people.models import Employee
from app.people.services import get_or_create_department
from app.quizzes.attempts import NoAttemptsLeft, save_answers, start_attempt, submit_attempt
from app.quizzes.models import QuizAttemptStat, QuizItemStat
from app.readmodels import all_read_models
from app.results.services import record_result
from app.training.models import Assignment
from app.training.signals import assignments_changed
from tests.quizzes.quiz_helpers import right_answer, wrong_answer

NOW = dt.datetime(2026, 10, 15, 4, 0, tzinfo=dt.UTC)
QUIZ = "new-hire-check"
_source_ids = itertools.count(10_000)


def _answer_and_submit(employee_id: int, rng: random.Random) -> None:
    attempt, _ = start_attempt(employee_id, QUIZ, rng=rng)
    answers = {}
    for item in attempt.items:
        pick = rng.randrange(3)
        if pick < 2:
            answers[item.position] = right_answer(item) if pick == 0 else wrong_answer(item)
    save_answers(attempt.id, employee_id, answers)
    submit_attempt(attempt.id, employee_id)


def _assign(employee_id: int, kind: str, activity_id: str, due: dt.date) -> None:
    _db.session.add(Assignment(employee_id=employee_id, activity_kind=kind, activity_id=activity_id,
                               due_date=due, created_at=NOW.replace(tzinfo=None)))
    _db.session.flush()
    assignments_changed.send(employee_ids=[employee_id])  # as app/training/assignments.py does


@st.composite
def operations(draw):
    kinds = st.sampled_from(["submit", "result", "assign", "weights", "move", "active"])
    ops = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=12)):
        employee = draw(st.integers(0, 3))
        if kind == "submit":
            ops.append(("submit", employee, draw(st.integers(0, 10_000))))
        elif kind == "result":
            ops.append(("result", employee, draw(st.sampled_from(["quiz", "scenario", "observation"])),
                        draw(st.sampled_from(["a1", "a2"])), draw(st.integers(0, 100)),
                        draw(st.sampled_from([-40, 10, 60, 200]))))  # days from the window start
        elif kind == "assign":
            ops.append(("assign", employee, draw(st.sampled_from(["quiz", "scenario", "observation"])),
                        draw(st.sampled_from(["a1", "a2"])), draw(st.sampled_from([20, 100, 140]))))
        elif kind == "move":  # to no department or one of two
            ops.append(("move", employee, draw(st.sampled_from([None, "客服部", "工程部"]))))
        elif kind == "active":
            ops.append(("active", employee, draw(st.booleans())))
        else:
            theory = draw(st.integers(0, 100))
            practice = draw(st.integers(0, 100 - theory))
            ops.append(("weights", theory, practice, draw(st.sampled_from(["best", "latest"]))))
    return ops


def _snapshots() -> dict:
    return {model.name: model.snapshot() for model in all_read_models()}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations())
def test_incremental_rows_equal_a_rebuild(app, db, small_bank, make_employee, time_machine, ops):
    time_machine.move_to(NOW, tick=False)
    cycle = db.session.scalar(select(Cycle).where(Cycle.name == "随机周期"))
    if cycle is None:
        cycle = create_cycle(CycleData(name="随机周期", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31)),
                             actor_id=None)
        for _ in range(4):
            employee = make_employee()
            _assign(employee.id, "quiz", QUIZ, dt.date(2026, 9, 1))
        db.session.commit()
    staff = sorted(a.employee_id for a in db.session.scalars(select(Assignment).where(Assignment.activity_id == QUIZ)))
    staff = sorted(set(staff))[:4]
    start = dt.datetime(2026, 7, 1, 2, 0)
    for op in ops:
        if op[0] == "submit":
            try:
                _answer_and_submit(staff[op[1]], random.Random(op[2]))
            except NoAttemptsLeft:
                db.session.rollback()
                continue
        elif op[0] == "result":
            _, who, kind, activity, score, days = op
            record_result(employee_id=staff[who], kind=kind, activity_id=activity, source_id=next(_source_ids),
                          score=score, finished_at=start + dt.timedelta(days=days))
        elif op[0] == "assign":
            _, who, kind, activity, days = op
            _assign(staff[who], kind, activity, dt.date(2026, 7, 1) + dt.timedelta(days=days))
        elif op[0] == "move":
            employee = db.session.get(Employee, staff[op[1]])
            employee.department = get_or_create_department(op[2]) if op[2] else None
        elif op[0] == "active":
            db.session.get(Employee, staff[op[1]]).active = op[2]
        else:
            _, theory, practice, policy = op
            data = cycle_data(cycle)
            data.weight_theory, data.weight_practice, data.weight_observation = theory, practice, 100 - theory - practice
            data.policy = policy
            cycle = update_cycle(cycle, data, actor_id=None)
        db.session.commit()
    incremental = _snapshots()
    assert set(incremental) >= {"quiz_item_stats", "cycle_live_scores", "cycle_live_departments"}
    # the live rows are the scores the formula gives today, the department rows their aggregation
    assert [tuple(r) for r in db.session.execute(cycle_scores(cycle))] == \
        [tuple(r) for r in db.session.execute(score_select(cycle))]
    assert department_breakdown(cycle) == computed_breakdown(cycle)
    for model in all_read_models():
        model.rebuild()
    db.session.commit()
    assert _snapshots() == incremental


def _run_together(app, work, count: int = 2) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def runner(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcomes[index] = work(index)
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 (reported to the test)
                _db.session.rollback()
                outcomes[index] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_submits_at_once_lose_no_count(app, db, small_bank, make_team, make_employee, time_machine):
    time_machine.move_to(NOW, tick=False)
    team = make_team("前台一班")
    cycle = create_cycle(CycleData(name="并发周期", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31)),
                         actor_id=None)
    members = [make_employee(team=team) for _ in range(2)]
    attempts, drawn = [], []
    for index, employee in enumerate(members):
        _assign(employee.id, "quiz", QUIZ, dt.date(2026, 11, 1))
        attempt, _ = start_attempt(employee.id, QUIZ, rng=random.Random(index))
        save_answers(attempt.id, employee.id, {i.position: right_answer(i) for i in attempt.items})
        attempts.append((attempt.id, employee.id))
        drawn.append(len(attempt.items))
    db.session.commit()
    cycle_id = cycle.id

    def submit(index: int):
        attempt_id, employee_id = attempts[index]
        return submit_attempt(attempt_id, employee_id)[1]

    outcomes = _run_together(app, submit)
    assert outcomes == [True, True], outcomes
    db.session.rollback()
    assert db.session.scalar(select(QuizAttemptStat.attempts).where(QuizAttemptStat.quiz_id == QUIZ)) == 2
    total_items = sum(db.session.scalars(select(QuizItemStat.n).where(QuizItemStat.quiz_id == QUIZ)))
    assert total_items == sum(drawn)
    cycle = db.session.get(Cycle, cycle_id)
    rows = {r.employee_id: r for r in db.session.execute(cycle_scores(cycle))}
    assert [rows[e.id].theory for e in members] == [100.0, 100.0]
    incremental = _snapshots()
    for model in all_read_models():
        model.rebuild()
    db.session.commit()
    assert _snapshots() == incremental
    assert live.due_employee_ids(cycle, dt.date(2026, 10, 15)) == []
