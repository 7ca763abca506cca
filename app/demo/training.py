"""Demo data for app/training: onboarding plans, team assignments, some reading progress.

Runs after people, the content sync, quizzes and drills, so it can lean on their results: team
assignments are dated (through the ordinary ``assign`` service) so that the demo quiz attempts
made after them complete them, while others stay open or fall overdue. The result after
`make run`:

* every recently hired demo trainee has an onboarding plan, dated from the hire date;
* 孙主管 (S001, 前台一班) sees a done quiz, an overdue course and an open scenario;
* 宋主管 (S002, 前台二班) sees a done quiz and a course due within two days;
* 邵主管 (S003) sees an appearance quiz done by one guard and overdue for the other, and a course.

Idempotent: an assignment of the same activity to the same person (made by this seed or
anyone) is never added again, plans are made once, and lessons already read are left alone.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update

from app.content.models import Lesson
from app.content.services import course_lessons, mark_read, read_lessons
from app.extensions import db
from app.people.models import Employee, Team
from app.timeutil import site_timezone
from app.training import activities
from app.training.assignments import assign
from app.training.models import Assignment, AssignmentSource
from app.training.onboarding import TemplateError, create_plan

logger = logging.getLogger(__name__)

TRAINEES = [f"T{n:03d}" for n in range(1, 16)]
#: (supervisor, team, kind, activity, made N days ago, due in N days (negative: past), note)
TEAM_WORK = (
    ("S001", "前台一班", "quiz", "communication-quiz", 25, -18, "电话与服务语言：本月必测"),
    ("S001", "前台一班", "course", "appearance", 12, -5, "复习仪容仪表与形体礼仪"),
    ("S001", "前台一班", "scenario", "noise-call", 3, 6, ""),
    ("S002", "前台二班", "quiz", "complaints-quiz", 24, -8, "投诉处理测验"),
    ("S002", "前台二班", "course", "complaints", 4, 2, "投诉接待与处理：本周读完"),
    ("S003", "门岗班", "quiz", "appearance-quiz", 28, -6, ""),
    ("S003", "维修班", "course", "communication", 2, 12, ""),
)
#: 工号 → (courses read in full, extra single lessons read), N days ago
READING = {
    "T002": ((), ("grooming",)),
    "T001": ((), ("grooming", "posture")),
    "T003": (("new-hire", "appearance"), ()),
    "T004": (("appearance",), ()),
    "T005": (("new-hire", "appearance"), ()),
    "T006": (("new-hire",), ()),
    "T007": ((), ("grooming", "posture", "gestures", "phone")),
    "T008": (("complaints",), ()),
    "T013": (("new-hire",), ()),
}
READ_DAYS_AGO = 3


def _utc(day: dt.date, hour: int) -> dt.datetime:
    """Naive UTC of ``hour`` o'clock on ``day`` in the site's time zone."""
    local = dt.datetime.combine(day, dt.time(hour), site_timezone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def seed_training(today: dt.date) -> None:
    people = {e.employee_no: e for e in db.session.scalars(select(Employee).where(Employee.employee_no.in_(
        TRAINEES + ["S001", "S002", "S003"])))}
    if not people:
        logger.info("demo training: no demo people, nothing seeded")
        return
    _plans(people)
    _reading(people, today)
    made = _team_work(people, today)
    db.session.flush()
    logger.info("demo training: %d team assignment(s) added", made)


def _plans(people: dict[str, Employee]) -> None:
    """Every demo trainee's plan (already made by the signal on a fresh seed), dated from the hire date."""
    for employee_no in TRAINEES:
        employee = people.get(employee_no)
        if employee is None or employee.hire_date is None:
            continue
        try:
            plan = create_plan(employee)
        except TemplateError as exc:
            logger.warning("demo training: onboarding template has problems: %s", exc)
            return
        if plan is None:
            continue
        hired = _utc(employee.hire_date, 9)
        if plan.created_at > hired:  # as if the plan had been made on the first morning
            plan.created_at = hired
            db.session.execute(update(Assignment).where(
                Assignment.employee_id == employee.id, Assignment.source == AssignmentSource.ONBOARDING.value,
                Assignment.created_at > hired).values(created_at=hired))
    db.session.flush()


def _reading(people: dict[str, Employee], today: dt.date) -> None:
    when = _utc(today - dt.timedelta(days=READ_DAYS_AGO), 20)
    for employee_no, (courses, lessons) in READING.items():
        employee = people.get(employee_no)
        if employee is None:
            continue
        wanted = [lesson for course in courses for lesson in course_lessons(course)]
        wanted += [lesson for lesson_id in lessons if (lesson := db.session.get(Lesson, lesson_id)) is not None]
        done = read_lessons(employee.id, [lesson.id for lesson in wanted])
        for lesson in wanted:
            if lesson.id not in done:
                done[lesson.id] = mark_read(employee.id, lesson, now=when)


def _team_work(people: dict[str, Employee], today: dt.date) -> int:
    teams = {t.name: t for t in db.session.scalars(select(Team))}
    made = 0
    for leader_no, team_name, kind, activity_id, made_ago, due_in, note in TEAM_WORK:
        leader, team = people.get(leader_no), teams.get(team_name)
        if leader is None or team is None or activities.find(kind, activity_id) is None:
            continue
        members = list(db.session.scalars(select(Employee).where(Employee.team_id == team.id,
                                                                 Employee.active.is_(True))))
        have = set(db.session.scalars(select(Assignment.employee_id).where(
            Assignment.activity_kind == kind, Assignment.activity_id == activity_id,
            Assignment.source == AssignmentSource.MANUAL.value, Assignment.cancelled_at.is_(None),
            Assignment.employee_id.in_([m.id for m in members]))))
        todo = [m for m in members if m.id not in have]
        if not todo:
            continue
        made_on = today - dt.timedelta(days=made_ago)
        outcome = assign(leader, todo, kind, activity_id, today + dt.timedelta(days=due_in), note=note,
                         today=made_on, now=_utc(made_on, 9))
        made += len(outcome.created)
    return made
