"""The training read models, maintained on write: what 我的培训, the team dashboard and the bell read.

* ``activity_status`` (:class:`ActivityStatus`): one row per live assignment, its status before
  the due date (``status.status_columns`` with no date: one definition of the status) and the
  employee's attempts / best / latest score / passed / last activity on the activity;
* ``employee_clause_misses`` and ``employee_topic_points``: per employee, clause or lesson and
  UTC day, what every kind's ``wrong_clause_counts`` / ``lesson_points`` hooks count. A team's
  numbers are the sums over its current members' rows of the window (a team move rewrites nothing).

Maintenance: a session hook notes the employees whose rows a flush touches (a Result, an
Assignment created, cancelled or re-dated, and whatever each kind's ``employee_of`` claims: an
attempt or run started or finished, a lesson read, a clause miss) and, before the transaction
commits (or before a reader of this module reads), recomputes exactly those employees' rows from
the source tables, under a row lock on the employees (PostgreSQL), in the same transaction. So
two submits at once serialise per employee and lose nothing; ``rebuild`` runs the same code for
everyone. Content changes (a lesson retired, a course's lessons changed) refresh every employee
with a live course assignment.

Time never enters the rows: "overdue" is ``state != completed and due_date < today`` at read time
(:func:`status_expr`), and the dashboard's window is a ``day >=`` filter.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import and_, case, delete, event, func, insert, inspect, literal, or_, select
from sqlalchemy.orm import Session

from app.content.activity_kind import CourseKind
from app.content.models import CourseLesson, Lesson
from app.extensions import db
from app.people.models import Employee
from app.readmodels import ReadModel
from app.results.kinds import all_kinds
from app.results.models import Result
from app.training.models import ActivityStatus, Assignment, EmployeeClauseMisses, EmployeeTopicPoints
from app.training.status import AssignmentStatus, Status, live, status_columns

logger = logging.getLogger(__name__)

#: ``session.info`` keys: employees to refresh, and "every course assignment" after a content change
_DIRTY = "training_readmodel_dirty"
_COURSES = "training_readmodel_courses"
#: rows per INSERT executemany and ids per IN list
CHUNK = 2000
#: the status columns computed with no "today": nothing is overdue before its due date is known
_NO_DATE = dt.date.min


# --- reading ---------------------------------------------------------------------------------


def status_expr(today: dt.date):
    """The derived status from a stored row: overdue is decided here, from the due date."""
    return case((and_(ActivityStatus.state != Status.COMPLETED.value, ActivityStatus.due_date < today),
                 literal(Status.OVERDUE.value)), else_=ActivityStatus.state)


def ensure_fresh() -> None:
    """Bring this session's pending writes into the read models before reading them (0 queries when none)."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    _refresh_pending(session)


def read_statuses(today: dt.date, *criteria, order_by=None) -> list[AssignmentStatus]:
    """Like ``status.statuses`` (live assignments with their status), read from ``activity_status``: one
    query without correlated subqueries. ``criteria`` may use ``Assignment`` and ``ActivityStatus``."""
    ensure_fresh()
    stmt = (select(Assignment, status_expr(today).label("status"), ActivityStatus.score, ActivityStatus.result_id,
                   ActivityStatus.completed_at, ActivityStatus.started)
            .join(ActivityStatus, ActivityStatus.assignment_id == Assignment.id).where(*criteria)
            .order_by(*(order_by if order_by is not None else (Assignment.due_date, Assignment.id))))
    return [AssignmentStatus(row.Assignment, Status(row.status), row.score, row.result_id, row.completed_at,
                             bool(row.started))
            for row in db.session.execute(stmt)]


def read_status_rows(today: dt.date, *criteria, order_by=None) -> list:
    """The ``activity_status`` rows themselves as plain result rows (no Assignment loaded): assignment_id,
    employee_id, activity_kind, activity_id, created_at, due_date, status (overdue derived) and score.
    For pages that show many of them (the team dashboard's matrix); ``criteria`` use ``ActivityStatus``."""
    ensure_fresh()
    row = ActivityStatus
    stmt = (select(row.assignment_id, row.employee_id, row.activity_kind, row.activity_id, row.created_at,
                   row.due_date, status_expr(today).label("status"), row.score)
            .where(*criteria)
            .order_by(*(order_by if order_by is not None else (row.due_date, row.assignment_id))))
    return db.session.execute(stmt).all()


# --- computing the rows from the source tables ---------------------------------------------


def _in(column, ids: Sequence[int] | None):
    return () if ids is None else (column.in_(list(ids)),)


def _status_rows(ids: Sequence[int] | None) -> list[dict]:
    cols = status_columns(_NO_DATE)
    stats = (select(Result.employee_id, Result.kind, Result.activity_id,
                    func.count().label("attempts"), func.max(Result.score).label("best_score"),
                    func.max(case((or_(Result.passed.is_(None), Result.passed.is_(True)), 1), else_=0))
                    .label("passed"),
                    func.max(Result.finished_at).label("last_at"))
             .where(*_in(Result.employee_id, ids))
             .group_by(Result.employee_id, Result.kind, Result.activity_id).subquery("stats"))
    latest = (select(Result.score).where(Result.employee_id == Assignment.employee_id,
                                         Result.kind == Assignment.activity_kind,
                                         Result.activity_id == Assignment.activity_id)
              .order_by(Result.finished_at.desc(), Result.id.desc()).limit(1)
              .correlate(Assignment).scalar_subquery())
    stmt = (select(Assignment.id, Assignment.employee_id, Assignment.activity_kind, Assignment.activity_id,
                   Assignment.created_at, Assignment.due_date, cols.status.label("state"),
                   cols.score.label("score"), cols.result_id.label("result_id"),
                   cols.completed_at.label("completed_at"), cols.started.label("started"),
                   stats.c.attempts, stats.c.best_score, stats.c.passed, stats.c.last_at,
                   latest.label("latest_score"))
            .outerjoin(stats, and_(stats.c.employee_id == Assignment.employee_id,
                                   stats.c.kind == Assignment.activity_kind,
                                   stats.c.activity_id == Assignment.activity_id))
            .where(live(), *_in(Assignment.employee_id, ids)))
    rows = []
    for r in db.session.execute(stmt):
        rows.append({
            "assignment_id": r.id, "employee_id": r.employee_id, "activity_kind": r.activity_kind,
            "activity_id": r.activity_id, "created_at": r.created_at, "due_date": r.due_date, "state": r.state,
            "score": r.score, "result_id": r.result_id, "completed_at": r.completed_at,
            "started": bool(r.started), "attempts": int(r.attempts or 0), "best_score": r.best_score,
            "latest_score": r.latest_score, "passed": bool(r.passed),
            "last_activity_at": r.last_at if r.last_at is not None else r.completed_at,
        })
    return rows


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _union_rows(parts: list) -> list:
    return list(chain.from_iterable(db.session.execute(part) for part in parts))


def _clause_rows(ids: Sequence[int] | None) -> list[dict]:
    parts = [stmt for kind in all_kinds() if (stmt := kind.wrong_clause_counts(ids, None, by_day=True)) is not None]
    counts: dict[tuple, int] = {}
    for row in _union_rows(parts):  # one kind's rows per statement; kinds citing the same clause add up
        key = (row.employee_id, row.clause_id, _day(row.day))
        counts[key] = counts.get(key, 0) + int(row.n)
    return [{"employee_id": e, "clause_id": c, "day": d, "n": n} for (e, c, d), n in counts.items()]


def _topic_rows(ids: Sequence[int] | None) -> list[dict]:
    parts = [stmt for kind in all_kinds() if (stmt := kind.lesson_points(ids, None, by_day=True)) is not None]
    sums: dict[tuple, list] = {}
    for row in _union_rows(parts):
        entry = sums.setdefault((row.employee_id, row.lesson_id, _day(row.day)), [0.0, 0])
        entry[0] += float(row.points or 0)
        entry[1] += int(row.answers)
    return [{"employee_id": e, "lesson_id": lesson, "day": d, "points": p, "answers": a}
            for (e, lesson, d), (p, a) in sums.items()]


_TABLES = ((ActivityStatus, _status_rows), (EmployeeClauseMisses, _clause_rows), (EmployeeTopicPoints, _topic_rows))


def _write(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def refresh_employees(employee_ids: Iterable[int], tables=_TABLES) -> int:
    """Recompute these employees' rows of the read models, in the caller's transaction (flush, no commit).

    The employees' rows are locked first (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL; SQLite has
    one writer anyway), so a concurrent refresh of the same employee waits and then reads what this
    transaction wrote: nothing is lost, nothing is written twice. NO KEY UPDATE, not FOR UPDATE: the
    writing transaction already holds KEY SHARE locks on these rows from its own foreign keys
    (an observation, a result), and two of them each asking FOR UPDATE would deadlock.
    """
    ids = sorted({int(i) for i in employee_ids if i is not None})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        db.session.execute(select(Employee.id).where(Employee.id.in_(chunk)).order_by(Employee.id)
                           .with_for_update(key_share=True)).all()
        for model, compute in tables:
            db.session.execute(delete(model).where(model.employee_id.in_(chunk)))
            rows = compute(chunk)
            _write(model, rows)
            written += len(rows)
    return written


def _rebuild(model, compute) -> int:
    """Every row anew. Locks every employee first (as a write's refresh does), so a submit that
    commits meanwhile waits for the rebuild and then refreshes its employee on top of it."""
    db.session.flush()
    db.session.execute(select(Employee.id).order_by(Employee.id).with_for_update(key_share=True)).all()
    db.session.execute(delete(model))
    rows = compute(None)
    _write(model, rows)
    db.session.flush()
    return len(rows)


def rebuild_activity_status() -> int:
    return _rebuild(ActivityStatus, _status_rows)


def rebuild_clause_misses() -> int:
    return _rebuild(EmployeeClauseMisses, _clause_rows)


def rebuild_topic_points() -> int:
    return _rebuild(EmployeeTopicPoints, _topic_rows)


def _rounded(row) -> tuple:
    return tuple(round(v, 6) if isinstance(v, float) else v for v in row)


def _snapshot(model, order) -> list[tuple]:
    columns = [c for c in model.__table__.columns]
    return [_rounded(tuple(row)) for row in db.session.execute(select(*columns).order_by(*order))]


def snapshot_activity_status() -> list[tuple]:
    return _snapshot(ActivityStatus, [ActivityStatus.assignment_id])


def snapshot_clause_misses() -> list[tuple]:
    return _snapshot(EmployeeClauseMisses, [EmployeeClauseMisses.employee_id, EmployeeClauseMisses.clause_id,
                                            EmployeeClauseMisses.day])


def snapshot_topic_points() -> list[tuple]:
    return _snapshot(EmployeeTopicPoints, [EmployeeTopicPoints.employee_id, EmployeeTopicPoints.lesson_id,
                                           EmployeeTopicPoints.day])


READ_MODELS = (
    ReadModel("activity_status", rebuild_activity_status, snapshot_activity_status,
              "per live assignment: status before the due date, attempts, best/latest score (training)",
              tables=(ActivityStatus.__tablename__,)),
    ReadModel("employee_clause_misses", rebuild_clause_misses, snapshot_clause_misses,
              "per employee, clause and day: answers that got the clause wrong (team dashboard)",
              tables=(EmployeeClauseMisses.__tablename__,)),
    ReadModel("employee_topic_points", rebuild_topic_points, snapshot_topic_points,
              "per employee, lesson and day: points and scored answers (team dashboard topics)",
              tables=(EmployeeTopicPoints.__tablename__,)),
)


# --- maintenance on write ------------------------------------------------------------------


def _active() -> bool:
    return has_app_context() and "activity_status" in current_app.extensions.get("readmodels", {})


def _employee_of(obj, kinds) -> int | None:
    if isinstance(obj, Result):
        return obj.employee_id
    if isinstance(obj, Assignment):
        attrs = inspect(obj).attrs
        if obj.id is None or any(attrs[name].history.has_changes()
                                 for name in ("due_date", "cancelled_at", "created_at", "employee_id",
                                              "activity_kind", "activity_id")):
            return obj.employee_id
        return None
    for kind in kinds:
        if (employee_id := kind.employee_of(obj)) is not None:
            return employee_id
    return None


def _after_flush(session: Session, _flush_context) -> None:
    if not _active():
        return
    kinds = all_kinds()
    dirty: set[int] = session.info.setdefault(_DIRTY, set())
    changed = chain(session.new, (o for o in session.dirty if session.is_modified(o)), session.deleted)
    for obj in changed:
        if isinstance(obj, (Lesson, CourseLesson)):
            session.info[_COURSES] = True
            continue
        employee_id = _employee_of(obj, kinds)
        if employee_id is not None:
            dirty.add(employee_id)


def _refresh_pending(session: Session) -> None:
    for _round in range(10):  # a refresh writes Core rows only, so one round normally empties the set
        dirty: set[int] = session.info.pop(_DIRTY, set())
        if session.info.pop(_COURSES, False):  # a course's lessons changed: only course statuses move
            courses = set(db.session.scalars(select(Assignment.employee_id.distinct())
                                             .where(Assignment.activity_kind == CourseKind.key, live())))
            refresh_employees(courses - dirty, tables=_TABLES[:1])
        if not dirty:
            return
        refresh_employees(dirty)
        if session.new or session.dirty or session.deleted:
            session.flush()


def _before_commit(session: Session) -> None:
    if not _active():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # commit() flushes after this hook: flush now so that its rows are noted
    if session.info.get(_DIRTY) or session.info.get(_COURSES):
        _refresh_pending(session)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # committed (refreshed in before_commit) or rolled back: nothing pending
        session.info.pop(_DIRTY, None)
        session.info.pop(_COURSES, None)


def init_app(app) -> None:
    """Listen on the app's session class (once per process; inactive for apps without these read models)."""
    target = db.session
    for name, fn in (("after_flush", _after_flush), ("before_commit", _before_commit),
                     ("after_transaction_end", _after_transaction_end)):
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)
