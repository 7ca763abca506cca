"""我的培训 (My training): one employee's assignments, courses, results and next steps.

Also the supervisor's view of one employee (the same list with the plan's items marked), so both
read the assignments the same way: through ``status.statuses``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.content.activity_kind import CourseKind
from app.content.models import Course
from app.content.services import CourseProgress, active_courses, course_progress
from app.extensions import db
from app.results.models import Result
from app.results.services import results_for
from app.training import activities, notifications
from app.training.models import ActivityStatus, Assignment, AssignmentSource, OnboardingPlan
from app.training.onboarding import plan_of
from app.training.readmodel import read_statuses
from app.training.retest_outcome import RefresherView, refresher_views
from app.training.status import AssignmentStatus, Status

#: how many "what to do next" suggestions to show
NEXT_STEPS = 3
RECENT_RESULTS = 10


@dataclass(frozen=True)
class Item:
    """An assignment as a trainee sees it."""

    row: AssignmentStatus
    title: str
    url: str | None
    progress: CourseProgress | None = None
    #: for observations: the supervisor, not the trainee, does it
    by_supervisor: bool = False
    #: for a refresher on a changed standard: the sections to reread and whether a quiz follows
    refresher: RefresherView | None = None

    @property
    def assignment(self) -> Assignment:
        return self.row.assignment

    @property
    def status(self) -> Status:
        return self.row.status

    @property
    def kind_label(self) -> str:
        return activities.kind_label(self.assignment.activity_kind)

    @property
    def in_plan(self) -> bool:
        return self.assignment.source == AssignmentSource.ONBOARDING.value

    @property
    def is_refresher(self) -> bool:
        return self.assignment.source == AssignmentSource.REFRESHER.value


@dataclass(frozen=True)
class ResultItem:
    result: Result
    title: str
    kind_label: str
    review_url: str | None


@dataclass
class MyTraining:
    open_items: list[Item]
    done_items: list[Item]
    next_steps: list[Item]
    courses: list[CourseProgress]
    results: list[ResultItem]
    plan: OnboardingPlan | None
    notifications: list[notifications.NotificationView]

    @property
    def plan_items(self) -> list[Item]:
        return [i for i in self.open_items + self.done_items if i.in_plan]

    @property
    def plan_done(self) -> int:
        return sum(1 for i in self.plan_items if i.status == Status.COMPLETED)


def employee_items(employee_id: int, today: dt.date) -> list[Item]:
    """Every live assignment of the employee, by due date, with titles, links and course progress."""
    return _employee_items(employee_id, today)[0]


def _employee_items(employee_id: int, today: dt.date, *, known_progress: dict[str, CourseProgress] | None = None,
                    more_titles: list[tuple[str, str]] = ()) -> tuple[list[Item], dict[tuple[str, str], str]]:
    """The items, and the titles of their activities plus ``more_titles`` (one titles query in all);
    course progress already computed by the caller (``known_progress``) is not queried again."""
    rows = read_statuses(today, ActivityStatus.employee_id == employee_id)
    names = activities.titles([(r.assignment.activity_kind, r.assignment.activity_id) for r in rows]
                              + list(more_titles))
    course_ids = {r.assignment.activity_id for r in rows if r.assignment.activity_kind == CourseKind.key}
    known = known_progress or {}
    progress = {**_progress(employee_id, course_ids - set(known)), **known}
    refreshers = refresher_views(r.assignment for r in rows)
    items = []
    for row in rows:
        a = row.assignment
        items.append(Item(row=row, title=names.get((a.activity_kind, a.activity_id), a.activity_id),
                          url=activities.start_url(a.activity_kind, a.activity_id),
                          progress=progress.get(a.activity_id) if a.activity_kind == CourseKind.key
                          else None,
                          by_supervisor=activities.performed_by_supervisor(a.activity_kind),
                          refresher=refreshers.get(a.id)))
    return items, names


def _progress(employee_id: int, course_ids: set[str]) -> dict[str, CourseProgress]:
    if not course_ids:
        return {}
    courses = list(db.session.scalars(select(Course).where(Course.id.in_(sorted(course_ids)))))
    return course_progress(employee_id, courses)


def _urgency(item: Item) -> tuple:
    order = {Status.OVERDUE: 0, Status.IN_PROGRESS: 1, Status.NOT_PASSED: 2, Status.NOT_STARTED: 3}
    return (order.get(item.status, 4), item.assignment.due_date, item.assignment.id)


def my_training(employee_id: int, today: dt.date) -> MyTraining:
    courses = active_courses()
    progress = course_progress(employee_id, courses)
    results = results_for(employee_id, limit=RECENT_RESULTS)
    items, names = _employee_items(employee_id, today, known_progress=progress,
                                   more_titles=[(r.kind, r.activity_id) for r in results])
    open_items = [i for i in items if i.status != Status.COMPLETED]
    done_items = sorted((i for i in items if i.status == Status.COMPLETED),
                        key=lambda i: i.row.completed_at or dt.datetime.min, reverse=True)
    next_steps = sorted((i for i in open_items if not i.by_supervisor), key=_urgency)[:NEXT_STEPS]
    return MyTraining(
        open_items=open_items, done_items=done_items, next_steps=next_steps,
        courses=[progress[c.id] for c in courses],
        results=[ResultItem(r, names.get((r.kind, r.activity_id), r.activity_id), activities.kind_label(r.kind),
                            activities.review_url(r)) for r in results],
        plan=plan_of(employee_id),
        notifications=notifications.recent(employee_id, limit=5, unread_only=True),
    )
