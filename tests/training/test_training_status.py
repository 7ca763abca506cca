"""The derived status over time, with frozen time: one definition, in SQL, used everywhere."""

import datetime as dt

import pytest
import time_machine
from training_builders import (
    CHECKLIST,
    COURSE,
    QUIZ,
    SCENARIO,
    add_attempt,
    add_result,
    make_catalog,
    read_lesson,
    start_scenario,
)

from app.content.models import Lesson
from app.people.models import Role
from app.timeutil import local_today
from app.training.assignments import assign, cancel
from app.training.models import Assignment
from app.training.status import Status, status_counts, status_of, statuses

UTC = dt.UTC
#: 2026-03-01 10:00 in Shanghai
START = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


@pytest.fixture()
def trainee(db, make_team, make_employee):
    make_catalog()
    team = make_team()
    return make_employee(team=team), team


def _assign(db, employee, kind, activity_id, due):
    outcome = assign(None, [employee], kind, activity_id, due)
    db.session.commit()
    return outcome.created[0]


def status(db, assignment) -> tuple[Status, float | None]:
    found = status_of(assignment, local_today())
    return found.status, found.score


def test_quiz_status_moves_from_not_started_to_overdue_to_completed(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False) as clock:
        due = dt.date(2026, 3, 5)
        a = _assign(db, employee, "quiz", QUIZ, due)
        assert status(db, a) == (Status.NOT_STARTED, None)

        clock.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
        add_attempt(employee.id, QUIZ, started_at=naive(dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC)))
        assert status(db, a) == (Status.IN_PROGRESS, None)

        # the due date itself is still on time, in the site's time zone (Asia/Shanghai)
        clock.move_to(dt.datetime(2026, 3, 5, 15, 59, tzinfo=UTC))  # 23:59 on the 5th in Shanghai
        assert local_today() == due
        assert status(db, a)[0] == Status.IN_PROGRESS
        clock.move_to(dt.datetime(2026, 3, 5, 16, 1, tzinfo=UTC))  # 00:01 on the 6th in Shanghai
        assert status(db, a)[0] == Status.OVERDUE  # overdue wins over "an attempt is open"

        finished = naive(dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC))
        add_result(employee.id, "quiz", QUIZ, 72.5, finished)
        add_result(employee.id, "quiz", QUIZ, 95, finished + dt.timedelta(hours=1))
        found = status_of(a, local_today())
        assert (found.status, found.score) == (Status.COMPLETED, 72.5)  # the first result counts
        assert found.completed_at == finished

        clock.move_to(dt.datetime(2026, 4, 1, tzinfo=UTC))
        assert status(db, a) == (Status.COMPLETED, 72.5)  # completed stays completed


def test_a_result_from_before_the_assignment_does_not_complete_it(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False):
        add_result(employee.id, "quiz", QUIZ, 100, naive(START) - dt.timedelta(days=3))
        add_result(employee.id, "scenario", SCENARIO, 90, naive(START) + dt.timedelta(minutes=5))  # other activity
        a = _assign(db, employee, "quiz", QUIZ, dt.date(2026, 3, 10))
        assert status(db, a) == (Status.NOT_STARTED, None)
        add_result(employee.id, "quiz", QUIZ, 60, naive(START))  # at created_at exactly: counts
        assert status(db, a) == (Status.COMPLETED, 60)


def test_another_employees_result_does_not_count(db, trainee, make_employee):
    employee, team = trainee
    other = make_employee(team=team)
    with time_machine.travel(START, tick=False):
        a = _assign(db, employee, "quiz", QUIZ, dt.date(2026, 3, 10))
        add_result(other.id, "quiz", QUIZ, 100, naive(START) + dt.timedelta(hours=1))
        assert status(db, a)[0] == Status.NOT_STARTED


def test_course_is_completed_when_every_active_lesson_is_read_even_before(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False) as clock:
        read_lesson(employee.id, "l-one", naive(START) - dt.timedelta(days=30))  # before the assignment: fine
        a = _assign(db, employee, "course", COURSE, dt.date(2026, 3, 8))
        assert status(db, a) == (Status.IN_PROGRESS, None)
        clock.move_to(dt.datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
        assert status(db, a)[0] == Status.OVERDUE
        read_lesson(employee.id, "l-two", naive(dt.datetime(2026, 3, 9, 2, 0, tzinfo=UTC)))
        found = status_of(a, local_today())
        assert (found.status, found.score) == (Status.COMPLETED, None)  # a course has no score
        assert found.completed_at == naive(dt.datetime(2026, 3, 9, 2, 0, tzinfo=UTC))


def test_course_ignores_retired_lessons(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False):
        a = _assign(db, employee, "course", COURSE, dt.date(2026, 3, 8))
        read_lesson(employee.id, "l-one", naive(START))
        assert status(db, a)[0] == Status.IN_PROGRESS
        db.session.get(Lesson, "l-two").retired = True
        db.session.commit()
        assert status(db, a)[0] == Status.COMPLETED


def test_scenario_in_progress_and_observation(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False):
        s = _assign(db, employee, "scenario", SCENARIO, dt.date(2026, 3, 8))
        o = _assign(db, employee, "observation", CHECKLIST, dt.date(2026, 3, 8))
        start_scenario(employee.id, SCENARIO, naive(START))
        assert status(db, s)[0] == Status.IN_PROGRESS
        assert status(db, o)[0] == Status.NOT_STARTED
        add_result(employee.id, "observation", CHECKLIST, 87.5, naive(START) + dt.timedelta(days=1))
        assert status(db, o) == (Status.COMPLETED, 87.5)


def test_cancelled_assignments_are_excluded_everywhere(db, trainee, make_employee):
    employee, team = trainee
    supervisor = db.session.get(type(employee), team.leader_id)
    with time_machine.travel(START, tick=False) as clock:
        keep = _assign(db, employee, "quiz", QUIZ, dt.date(2026, 3, 2))
        drop = _assign(db, employee, "scenario", SCENARIO, dt.date(2026, 3, 2))
        cancel(supervisor, drop)
        db.session.commit()
        clock.move_to(dt.datetime(2026, 3, 5, tzinfo=UTC))
        rows = statuses(local_today(), Assignment.employee_id == employee.id)
        assert [r.assignment.id for r in rows] == [keep.id]
        assert status_of(drop, local_today()) is None
        assert status_counts(local_today(), Assignment.employee_id == employee.id) == {"overdue": 1}


def test_sql_counts_agree_with_the_rows(db, trainee, make_employee):
    employee, team = trainee
    second = make_employee(team=team, role=Role.TRAINEE)
    with time_machine.travel(START, tick=False) as clock:
        _assign(db, employee, "quiz", QUIZ, dt.date(2026, 3, 3))  # overdue later
        _assign(db, second, "quiz", QUIZ, dt.date(2026, 3, 3))  # completed
        _assign(db, employee, "course", COURSE, dt.date(2026, 3, 20))  # in progress
        _assign(db, second, "course", COURSE, dt.date(2026, 3, 20))  # not started
        add_result(second.id, "quiz", QUIZ, 90, naive(START) + dt.timedelta(hours=2))
        read_lesson(employee.id, "l-one", naive(START))
        clock.move_to(dt.datetime(2026, 3, 10, tzinfo=UTC))
        today = local_today()
        rows = statuses(today)
        counted = {}
        for row in rows:
            counted[row.status.value] = counted.get(row.status.value, 0) + 1
        assert counted == status_counts(today) == {"overdue": 1, "completed": 1, "in_progress": 1,
                                                   "not_started": 1}


def test_a_failed_result_is_not_passed_and_stays_open(db, trainee):
    """Completion means passed: a result below the pass mark is "not passed" (open, overdue when late)."""
    employee, _team = trainee
    with time_machine.travel(START, tick=False) as clock:
        a = _assign(db, employee, "quiz", QUIZ, dt.date(2026, 3, 5))
        add_result(employee.id, "quiz", QUIZ, 43, naive(START) + dt.timedelta(hours=1), passed=False)
        found = status_of(a, local_today())
        assert (found.status, found.score, found.completed_at) == (Status.NOT_PASSED, 43, None)
        assert found.is_open and found.failed and found.result_id is not None
        assert status_counts(local_today()) == {"not_passed": 1}

        add_attempt(employee.id, QUIZ, started_at=naive(START) + dt.timedelta(hours=2))  # a retake begun
        found = status_of(a, local_today())
        assert (found.status, found.started, found.failed) == (Status.IN_PROGRESS, True, True)

        clock.move_to(dt.datetime(2026, 3, 7, 2, 0, tzinfo=UTC))
        assert status(db, a) == (Status.OVERDUE, 43)  # late: overdue, still showing the failed score

        passed_at = naive(dt.datetime(2026, 3, 7, 2, 0, tzinfo=UTC))
        add_result(employee.id, "quiz", QUIZ, 85, passed_at, passed=True)
        add_result(employee.id, "quiz", QUIZ, 20, passed_at + dt.timedelta(hours=1), passed=False)
        found = status_of(a, local_today())
        assert (found.status, found.score, found.completed_at) == (Status.COMPLETED, 85, passed_at)
        assert not found.failed


def test_a_kind_without_pass_mark_completes_on_its_first_result(db, trainee):
    employee, _team = trainee
    with time_machine.travel(START, tick=False):
        a = _assign(db, employee, "scenario", SCENARIO, dt.date(2026, 3, 5))
        add_result(employee.id, "scenario", SCENARIO, 10, naive(START) + dt.timedelta(hours=1), passed=None)
        assert status(db, a) == (Status.COMPLETED, 10)
