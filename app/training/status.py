"""The derived status of an assignment: one definition, written as SQL, used by every page.

An assignment's status is never stored. It follows from what the employee did:

* **completed**: the employee's first Result of the same kind and activity finished at or after
  the assignment was made (its score is that Result's score); for a course, every active lesson
  of the course has been read (reading before the assignment counts; a course has no score);
* **overdue**: not completed and today is after the due date;
* **in_progress**: an unfinished attempt or run exists (see ``activities.in_progress_sql``), or,
  for a course, at least one of its lessons has been read;
* **not_started**: anything else.

Cancelled assignments are excluded everywhere: :func:`status_select` filters them out, and every
reader in this package starts from it. Because the status is a SQL expression, dashboards can
filter, count and group on it in the database (no per-row Python, no N+1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, or_, select

from app.content.models import CourseLesson, Lesson, LessonProgress
from app.extensions import db
from app.results.models import Result
from app.training import activities
from app.training.models import ActivityKind, Assignment


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class StatusColumns:
    """The SQL expressions of the derived status, correlated to the ``assignment`` table."""

    status: ColumnElement[str]
    score: ColumnElement[float | None]
    result_id: ColumnElement[int | None]
    completed_at: ColumnElement[dt.datetime | None]
    completed: ColumnElement[bool]

    def all(self) -> tuple[ColumnElement, ...]:
        return (self.status.label("status"), self.score.label("score"), self.result_id.label("result_id"),
                self.completed_at.label("completed_at"))


def _first_result(column) -> ColumnElement:
    """``column`` of the employee's first Result for this activity since the assignment was made."""
    return (select(column)
            .where(Result.employee_id == Assignment.employee_id, Result.kind == Assignment.activity_kind,
                   Result.activity_id == Assignment.activity_id, Result.finished_at >= Assignment.created_at)
            .order_by(Result.finished_at, Result.id).limit(1)
            .correlate(Assignment).scalar_subquery())


def _course_lessons(*columns, read: bool) -> ColumnElement:
    stmt = (select(*columns).select_from(CourseLesson)
            .join(Lesson, Lesson.id == CourseLesson.lesson_id)
            .where(CourseLesson.course_id == Assignment.activity_id, Lesson.retired.is_(False)))
    if read:
        stmt = stmt.join(LessonProgress, and_(LessonProgress.lesson_id == CourseLesson.lesson_id,
                                              LessonProgress.employee_id == Assignment.employee_id))
    return stmt.correlate(Assignment).scalar_subquery()


def status_columns(today: dt.date) -> StatusColumns:
    """The status expressions for "today" (a parameter, so frozen time and time zones just work)."""
    is_course = Assignment.activity_kind == ActivityKind.COURSE.value
    lessons_total = _course_lessons(func.count(), read=False)
    lessons_read = _course_lessons(func.count(), read=True)
    course_done = and_(is_course, lessons_total > 0, lessons_read >= lessons_total)
    result_id = _first_result(Result.id)
    result_done = and_(~is_course, result_id.is_not(None))
    completed = or_(course_done, result_done)

    unfinished = [(Assignment.activity_kind == kind, clause)
                  for kind, clause in activities.in_progress_sql(Assignment).items()]
    started = or_(and_(is_course, lessons_read > 0),
                  case(*unfinished, else_=false()) if unfinished else false())

    status = case(
        (completed, literal(Status.COMPLETED.value)),
        (Assignment.due_date < today, literal(Status.OVERDUE.value)),
        (started, literal(Status.IN_PROGRESS.value)),
        else_=literal(Status.NOT_STARTED.value),
    )
    score = case((is_course, None), else_=_first_result(Result.score))
    completed_at = case(
        (is_course, case((course_done, _course_lessons(func.max(LessonProgress.read_at), read=True)), else_=None)),
        else_=_first_result(Result.finished_at),
    )
    return StatusColumns(status=status, score=score, result_id=case((is_course, None), else_=result_id),
                         completed_at=completed_at, completed=completed)


def live() -> ColumnElement[bool]:
    """Not cancelled: the filter every reader of assignments applies."""
    return Assignment.cancelled_at.is_(None)


def status_select(today: dt.date, *criteria) -> Select:
    """SELECT (Assignment, status, score, result_id, completed_at) of live assignments."""
    return select(Assignment, *status_columns(today).all()).where(live(), *criteria)


@dataclass(frozen=True)
class AssignmentStatus:
    """One assignment with its derived status, as read by :func:`statuses`."""

    assignment: Assignment
    status: Status
    score: float | None
    result_id: int | None
    completed_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        return self.status != Status.COMPLETED

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OVERDUE


def statuses(today: dt.date, *criteria, order_by=None) -> list[AssignmentStatus]:
    """Live assignments matching ``criteria`` with their status, in one query."""
    stmt = status_select(today, *criteria)
    stmt = stmt.order_by(*(order_by if order_by is not None else (Assignment.due_date, Assignment.id)))
    return [AssignmentStatus(row.Assignment, Status(row.status), row.score, row.result_id, row.completed_at)
            for row in db.session.execute(stmt)]


def status_of(assignment: Assignment, today: dt.date) -> AssignmentStatus | None:
    """The status of one assignment (None when it was cancelled)."""
    found = statuses(today, Assignment.id == assignment.id)
    return found[0] if found else None


def open_criteria(today: dt.date) -> ColumnElement[bool]:
    """Live and not completed: "still open" for the no-duplicates rule and reminders."""
    return and_(live(), ~status_columns(today).completed)


def status_counts(today: dt.date, *criteria) -> dict[str, int]:
    """How many live assignments matching ``criteria`` are in each status: one GROUP BY query."""
    derived = select(status_columns(today).status.label("status")).where(live(), *criteria).subquery()
    rows = db.session.execute(select(derived.c.status, func.count()).group_by(derived.c.status))
    return {status: count for status, count in rows}
