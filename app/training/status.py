"""The derived status of an assignment: one definition, written as SQL, used by every page.

An assignment's status is never stored. It follows from what the employee did:

* **completed**: the employee's first *passing* Result of the same kind and activity finished at
  or after the assignment was made (its score is that Result's score). A Result passes unless
  ``Result.passed`` is false: kinds without a pass mark leave it NULL, so their first Result
  completes the assignment; a kind with a completion rule of
  its own (``ActivityKind.completion_sql``: a course is completed when every active lesson has
  been read, reading before the assignment counts; a course has no score) uses that rule;
* **overdue**: not completed and today is after the due date (a failed result does not stop it);
* **in_progress**: the kind says an unfinished attempt or run exists (``in_progress_sql``), or
  its own rule says it is started (a course: at least one of its lessons has been read);
* **not_passed**: only Results that did not pass since the assignment (still open: offered again
  while attempts remain); its score is the latest such Result's score, so pages can say
  "not passed · 43" (an overdue one too);
* **not_started**: anything else.

Cancelled assignments are excluded everywhere: :func:`status_select` filters them out, and every
reader in this package starts from it. Because the status is a SQL expression, dashboards can
filter, count and group on it in the database (no per-row Python, no N+1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, or_, select, true

from app.extensions import db
from app.results.kinds import all_kinds
from app.results.models import Result
from app.training.models import Assignment


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"
    #: attempted, but no Result since the assignment passed (a quiz or drill below its pass mark)
    NOT_PASSED = "not_passed"


@dataclass(frozen=True)
class StatusColumns:
    """The SQL expressions of the derived status, correlated to the ``assignment`` table."""

    status: ColumnElement[str]
    score: ColumnElement[float | None]
    result_id: ColumnElement[int | None]
    completed_at: ColumnElement[dt.datetime | None]
    completed: ColumnElement[bool]
    #: an unfinished attempt or run exists (or a course's reading has begun), whatever the status
    started: ColumnElement[bool]

    def all(self) -> tuple[ColumnElement, ...]:
        return (self.status.label("status"), self.score.label("score"), self.result_id.label("result_id"),
                self.completed_at.label("completed_at"), self.started.label("started"))


def _counts() -> ColumnElement[bool]:
    """A Result that completes an assignment: it passed, or its kind has no pass mark (NULL)."""
    return or_(Result.passed.is_(None), Result.passed.is_(True))


def _result(column, *, latest: bool = False, passing: bool = True) -> ColumnElement:
    """``column`` of the employee's first passing (or latest, any) Result for this activity since
    the assignment was made."""
    order = (Result.finished_at.desc(), Result.id.desc()) if latest else (Result.finished_at, Result.id)
    return (select(column)
            .where(Result.employee_id == Assignment.employee_id, Result.kind == Assignment.activity_kind,
                   Result.activity_id == Assignment.activity_id, Result.finished_at >= Assignment.created_at,
                   *((_counts(),) if passing else ()))
            .order_by(*order).limit(1)
            .correlate(Assignment).scalar_subquery())


def status_columns(today: dt.date) -> StatusColumns:
    """The status expressions for "today" (a parameter, so frozen time and time zones just work).

    Each registered kind contributes its pieces: a kind with its own completion rule (a course:
    every lesson read) supplies it with ``completion_sql``; every other kind is completed by its
    first Result since the assignment; ``in_progress_sql`` says when it is started.
    """
    kinds = all_kinds()
    own = {kind.key: parts for kind in kinds if (parts := kind.completion_sql(Assignment)) is not None}
    by_result = ~Assignment.activity_kind.in_(list(own)) if own else true()
    result_id = _result(Result.id)
    #: the latest Result of any verdict: when the assignment is not completed, a failed one
    latest_id = _result(Result.id, latest=True, passing=False)
    completed = or_(and_(by_result, result_id.is_not(None)),
                    *[and_(Assignment.activity_kind == key, parts.completed) for key, parts in own.items()])

    started_when = [(Assignment.activity_kind == key, parts.started) for key, parts in own.items()]
    for kind in kinds:
        clause = kind.in_progress_sql(Assignment.employee_id, Assignment.activity_id)
        if clause is not None and kind.key not in own:
            started_when.append((Assignment.activity_kind == kind.key, clause))
    started = case(*started_when, else_=false()) if started_when else false()

    status = case(
        (completed, literal(Status.COMPLETED.value)),
        (Assignment.due_date < today, literal(Status.OVERDUE.value)),
        (started, literal(Status.IN_PROGRESS.value)),
        (and_(by_result, latest_id.is_not(None)), literal(Status.NOT_PASSED.value)),
        else_=literal(Status.NOT_STARTED.value),
    )
    own_done_at = [(Assignment.activity_kind == key, case((parts.completed, parts.completed_at), else_=None))
                   for key, parts in own.items()]
    return StatusColumns(
        status=status,
        score=case((by_result, func.coalesce(_result(Result.score),
                                             _result(Result.score, latest=True, passing=False))), else_=None),
        result_id=case((by_result, func.coalesce(result_id, latest_id)), else_=None),
        completed_at=case(*own_done_at, else_=_result(Result.finished_at)) if own_done_at
        else _result(Result.finished_at),
        completed=completed, started=started)


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
    started: bool = False

    @property
    def is_open(self) -> bool:
        return self.status != Status.COMPLETED

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OVERDUE

    @property
    def failed(self) -> bool:
        """Attempted and not passed (overdue or not): a score without completion."""
        return self.status != Status.COMPLETED and self.score is not None


def statuses(today: dt.date, *criteria, order_by=None) -> list[AssignmentStatus]:
    """Live assignments matching ``criteria`` with their status, in one query."""
    stmt = status_select(today, *criteria)
    stmt = stmt.order_by(*(order_by if order_by is not None else (Assignment.due_date, Assignment.id)))
    return [AssignmentStatus(row.Assignment, Status(row.status), row.score, row.result_id, row.completed_at,
                             bool(row.started))
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
