"""Demo appraisal: a closed past cycle and an open current one, built on the demo results.

The other demo seeds leave results from the last few weeks (quizzes, drills, observations). This
seed, which runs last, splits that period in two:

* **上期考核（演示）**: ``today-35 … today-16``, closed as of the day after it ended (snapshot
  rows written through ``close_cycle``), with one audited HR adjustment;
* **本期考核（演示）**: ``today-15 … today+45``, open, so its pages show live scores.

Scores only count for activities assigned in the window, so for every demo trainee's result the
seed makes sure an assignment of that activity is due in the same window (created as if made at
the window's start, so the training pages show it as completed), and adds a few that show the
rules: quizzes left undone past their due date (0 points), and observations still pending.
Idempotent: the cycles are found by name; when both exist nothing is done.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, func, select

from app.appraisal.adjustments import adjust_score
from app.appraisal.cycles import CycleData, create_cycle
from app.appraisal.models import Cycle
from app.appraisal.snapshots import close_cycle
from app.extensions import db
from app.people.models import Employee, Team
from app.results.models import Result
from app.timeutil import site_timezone
from app.training.models import Assignment, AssignmentSource

logger = logging.getLogger(__name__)

PAST_NAME = "上期考核（演示）"
CURRENT_NAME = "本期考核（演示）"
TRAINEES = [f"T{n:03d}" for n in range(1, 16)]
#: (employee_no, kind, activity id, window, due N days from today): never done, so 0 once overdue
UNDONE = (
    ("T011", "quiz", "complaints-quiz", "past", -18),
    ("T012", "quiz", "complaints-quiz", "past", -18),
    ("T001", "quiz", "service-desk-quiz", "current", -3),  # started, never submitted
    ("T015", "quiz", "communication-quiz", "current", -5),
)
PENDING_OBSERVATION = ("phone", 20)  # checklist, due in N days: not scored yet
ADJUSTED = ("T009", 2.0, "业主书面表扬（演示）")


def seed_appraisal(today: dt.date) -> None:
    names = set(db.session.scalars(select(Cycle.name).where(Cycle.name.in_([PAST_NAME, CURRENT_NAME]))))
    if names == {PAST_NAME, CURRENT_NAME}:
        return
    hr = db.session.scalar(select(Employee).where(Employee.employee_no == "H001"))
    actor_id = hr.id if hr else None
    windows = {"past": (today - dt.timedelta(days=35), today - dt.timedelta(days=16)),
               "current": (today - dt.timedelta(days=15), today + dt.timedelta(days=45))}
    people = {e.employee_no: e for e in db.session.scalars(select(Employee).where(Employee.employee_no.in_(TRAINEES)))}
    if not people:
        logger.info("demo appraisal: no demo trainees, nothing seeded")
        return
    leaders = dict(db.session.execute(select(Team.id, Team.leader_id)).tuples().all())
    created = 0
    for start, end in windows.values():
        created += _assign_results(people, start, end, leaders, actor_id)
    for employee_no, kind, activity_id, key, days in UNDONE:
        employee = people.get(employee_no)
        if employee is not None:
            created += _ensure(employee, kind, activity_id, today + dt.timedelta(days=days), windows[key],
                               leaders, actor_id)
    checklist, in_days = PENDING_OBSERVATION
    for employee_no in TRAINEES[:10]:
        employee = people.get(employee_no)
        if employee is not None:
            created += _ensure(employee, "observation", checklist, today + dt.timedelta(days=in_days),
                               windows["current"], leaders, actor_id)
    db.session.flush()
    if PAST_NAME not in names:
        start, end = windows["past"]
        past = create_cycle(CycleData(name=PAST_NAME, starts_on=start, ends_on=end), actor_id=actor_id)
        close_cycle(past, actor_id=actor_id, as_of=end + dt.timedelta(days=1))
        employee_no, points, reason = ADJUSTED
        if employee_no in people:
            try:
                adjust_score(past, people[employee_no].id, points, reason, actor_id=actor_id)
            except ValueError:  # no score to adjust (nothing assigned): leave it
                logger.info("demo appraisal: %s has no score to adjust", employee_no)
    if CURRENT_NAME not in names:
        start, end = windows["current"]
        create_cycle(CycleData(name=CURRENT_NAME, starts_on=start, ends_on=end, policy="best"), actor_id=actor_id)
    db.session.flush()
    logger.info("demo appraisal: %d assignments added, cycles %s", created, ", ".join([PAST_NAME, CURRENT_NAME]))


def _assign_results(people: dict, start: dt.date, end: dt.date, leaders: dict, actor_id: int | None) -> int:
    """An assignment due in the window for each activity a demo trainee finished in it."""
    tz = site_timezone()

    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC).replace(tzinfo=None)

    ids = {e.id: e for e in people.values()}
    rows = db.session.execute(
        select(Result.employee_id, Result.kind, Result.activity_id, func.min(Result.finished_at))
        .where(Result.employee_id.in_(list(ids)), Result.finished_at >= utc(start),
               Result.finished_at < utc(end + dt.timedelta(days=1)))
        .group_by(Result.employee_id, Result.kind, Result.activity_id)
        .order_by(Result.employee_id, Result.kind, Result.activity_id)).all()
    created = 0
    for employee_id, kind, activity_id, first in rows:
        local_day = first.replace(tzinfo=dt.UTC).astimezone(tz).date()
        due = min(local_day + dt.timedelta(days=3), end)
        created += _ensure(ids[employee_id], kind, activity_id, due, (start, end), leaders, actor_id)
    return created


def _ensure(employee: Employee, kind: str, activity_id: str, due: dt.date, window: tuple[dt.date, dt.date],
            leaders: dict, actor_id: int | None) -> int:
    """Create the assignment unless one of the same activity is already due in that window."""
    window_start, window_end = window
    exists = db.session.scalar(select(Assignment.id).where(and_(
        Assignment.employee_id == employee.id, Assignment.activity_kind == kind,
        Assignment.activity_id == activity_id, Assignment.cancelled_at.is_(None),
        Assignment.due_date >= window_start, Assignment.due_date <= window_end)).limit(1))
    if exists is not None:
        return 0
    db.session.add(Assignment(
        employee_id=employee.id, activity_kind=kind, activity_id=activity_id,
        assigned_by_id=leaders.get(employee.team_id) or actor_id, due_date=due,
        note="考核周期任务（演示）", source=AssignmentSource.MANUAL.value,
        created_at=dt.datetime.combine(window_start - dt.timedelta(days=7), dt.time(1, 0)),
    ))
    return 1
