"""The live scores of open cycles, kept as rows (``LiveScore``) instead of recomputed on each read.

* **When.** A recorded result (``result_recorded``) recomputes that employee's row in every open
  cycle whose window holds the result; an assignment change (``assignments_changed``) those
  employees' rows in every open cycle; creating, editing or reopening a cycle recomputes all of
  its rows (:func:`recompute_or_queue`: above ``CYCLE_RECOMPUTE_JOB_ROWS`` employees in a background
  job, and the overview says so until it is done); closing deletes them (the frozen CycleScore rows
  take over). app/blueprints.py wires the signals. Everything runs in the writing transaction
  (flush, never commit).
* **How.** One ``INSERT … SELECT`` from :func:`scoring.per_employee_scores`, the very rules that
  :func:`snapshots.close_cycle` freezes, so a live row and the snapshot of the same day agree.
* **Time.** An activity without a result scores 0 once it is overdue, so a row is right only
  until its ``valid_through`` day (its earliest pending due date). :func:`refresh_due` recomputes
  the rows past that day; the pages and exports of an open cycle call it first (a cheap indexed
  check when nothing is due, which is almost always).
* **Concurrency.** On PostgreSQL, an employee recompute takes a shared advisory lock on the cycle
  and an exclusive one on the employee (transaction-scoped, in a fixed order), a cycle recompute
  an exclusive one on the cycle: the second writer waits and then reads what the first committed,
  so no result is lost. SQLite serialises writers anyway.
* **Departments.** Every rewrite notes which rows changed (:func:`take_changed`): the department
  read model (live_departments.py) refreshes the departments concerned before the commit, under the
  locks of :func:`lock_departments`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from flask import current_app, has_request_context, request
from sqlalchemy import BigInteger, delete, exists, func, insert, literal, select

from app.appraisal.models import Cycle, CycleState, LiveScore
from app.appraisal.scoring import (
    SCORED_COLUMNS,
    per_employee_scores,
    rows_select,
    scope_condition,
    window_bounds,
)
from app.database import write_transaction
from app.extensions import db
from app.jobs import QUEUED, RUNNING, Job, enqueue
from app.people.models import Employee
from app.readmodels import ReadModel
from app.results.kinds import component_of
from app.timeutil import local_today, utcnow

logger = logging.getLogger(__name__)

#: advisory lock namespaces (PostgreSQL two-key form): cycles, employees, a cycle's department rows
_LOCK_CYCLE = 0x4C43
_LOCK_EMPLOYEE = 0x4C45
_LOCK_DEPARTMENTS = 0x4C44
#: ``session.info`` key: cycle id → the employee ids whose live rows this transaction rewrote (None: all)
_CHANGED = "appraisal_live_changed"


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _lock(namespace: int, key: int, *, shared: bool = False) -> None:
    if _is_postgres():
        fn = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
        db.session.execute(select(fn(literal(namespace), literal(key))))


def lock_departments(cycle_id: int, department_keys: Iterable[int] | None) -> None:
    """Lock a cycle's department rows before recomputing them (PostgreSQL; transaction-scoped).

    ``None`` (every department of the cycle): an exclusive lock on the cycle's department rows.
    Some departments: that lock shared, then one exclusive lock per (cycle, department) in key
    order (the one-bigint key space, apart from the two-key one: ``LD`` | cycle | department, 24 bits
    each). Callers go through cycles in id order, so two writers always lock in the same order; the
    second waits and its next statement (READ COMMITTED) sees what the first committed.
    """
    if department_keys is None:
        _lock(_LOCK_DEPARTMENTS, cycle_id)
        return
    _lock(_LOCK_DEPARTMENTS, cycle_id, shared=True)
    if _is_postgres():
        keys = sorted({(_LOCK_DEPARTMENTS << 48) | ((cycle_id & 0xFFFFFF) << 24) | (k & 0xFFFFFF)
                       for k in department_keys})
        for key in keys:
            db.session.execute(select(func.pg_advisory_xact_lock(literal(key, BigInteger))))


def _note_changed(cycle_id: int, employee_ids: list[int] | None) -> None:
    changed: dict = db.session.info.setdefault(_CHANGED, {})
    if employee_ids is None or changed.get(cycle_id, set()) is None:
        changed[cycle_id] = None
    else:
        changed.setdefault(cycle_id, set()).update(employee_ids)


def take_changed(session) -> dict[int, set[int] | None]:
    """The live rows this transaction rewrote since the last call (cycle id → employee ids, None: all)."""
    return session.info.pop(_CHANGED, {})


def live_select(cycle: Cycle, *, department_id: int | None = None, employee_id: int | None = None):
    """The rows of an open cycle from the read model: same columns and order as score_select."""
    stmt = select(LiveScore.employee_id, *[getattr(LiveScore, c) for c in SCORED_COLUMNS]).where(
        LiveScore.cycle_id == cycle.id)
    if employee_id is not None:
        stmt = stmt.where(LiveScore.employee_id == employee_id)
    return rows_select(cycle, stmt.subquery("scored"), department_id=department_id, employee_id=employee_id)


def recompute(cycle: Cycle, employee_ids: Iterable[int] | None = None, *, as_of: dt.date | None = None) -> int:
    """Rewrite the live rows of ``cycle`` (of these employees only, when given); returns rows written."""
    as_of = as_of or local_today()
    ids = sorted(set(employee_ids)) if employee_ids is not None else None
    if ids is not None and not ids:
        return 0
    gone = delete(LiveScore).where(LiveScore.cycle_id == cycle.id)
    if ids is not None:
        gone = gone.where(LiveScore.employee_id.in_(ids))
    db.session.execute(gone)
    _note_changed(cycle.id, ids)
    if not cycle.is_open:
        return 0
    scored = per_employee_scores(cycle, as_of=as_of, employee_ids=ids)
    columns = ["employee_id", *SCORED_COLUMNS, "valid_through"]
    source = select(literal(cycle.id), literal(as_of), *[scored.c[c] for c in columns])
    written = db.session.execute(
        insert(LiveScore).from_select(["cycle_id", "computed_on", *columns], source)).rowcount
    db.session.flush()
    if written is None or written < 0:  # psycopg reports -1 for this INSERT … SELECT on PostgreSQL: count them
        counted = select(func.count()).select_from(LiveScore).where(LiveScore.cycle_id == cycle.id)
        written = db.session.scalar(counted.where(LiveScore.employee_id.in_(ids)) if ids is not None else counted)
    return written or 0


def recompute_cycle(cycle: Cycle, *, as_of: dt.date | None = None) -> int:
    """All the rows of one cycle (opened, edited, reopened; deletes them once it is closed)."""
    _lock(_LOCK_CYCLE, cycle.id)
    written = recompute(cycle, as_of=as_of)
    logger.info("live scores of cycle %s recomputed: %d rows", cycle.id, written)
    return written


#: the job kind that recomputes a big cycle's rows (registered in app/appraisal/jobs.py)
RECOMPUTE_JOB = "appraisal.recompute"


def scope_size(cycle: Cycle) -> int:
    """How many employees the cycle scores (one count on the employee table)."""
    return int(db.session.scalar(select(func.count(Employee.id)).where(scope_condition(cycle))) or 0)


def recompute_or_queue(cycle: Cycle, *, actor_id: int | None) -> Job | None:
    """Recompute the cycle's rows now, or, above ``CYCLE_RECOMPUTE_JOB_ROWS`` employees, queue a job
    that does (dispatched when the caller commits) and return it. Each change queues its own job; a
    recompute is idempotent, so two of them in a row give the rows of the last settings."""
    if scope_size(cycle) <= current_app.config.get("CYCLE_RECOMPUTE_JOB_ROWS", 20000):
        recompute_cycle(cycle)
        return None
    _note_changed(cycle.id, None)  # new bands or scope apply to the department rows at once
    return enqueue(RECOMPUTE_JOB, {"cycle_id": cycle.id}, key=f"cycle:{cycle.id}:recompute:{utcnow():%Y%m%d%H%M%S%f}",
                   actor=actor_id)


def pending_recompute(cycle: Cycle) -> Job | None:
    """The cycle's recompute job still queued or running, if any: its live rows are not final yet."""
    return db.session.scalar(
        select(Job).where(Job.kind == RECOMPUTE_JOB, Job.key.like(f"cycle:{cycle.id}:recompute:%"),
                          Job.state.in_((QUEUED, RUNNING))).order_by(Job.id.desc()).limit(1))


def _open_cycles() -> list[Cycle]:
    ids = list(db.session.scalars(select(Cycle.id).where(Cycle.state == CycleState.OPEN.value).order_by(Cycle.id)))
    for cycle_id in ids:
        _lock(_LOCK_CYCLE, cycle_id, shared=True)
    if not ids:
        return []
    # re-read after the locks: a cycle edit that committed meanwhile is seen
    return list(db.session.scalars(select(Cycle).where(Cycle.id.in_(ids), Cycle.state == CycleState.OPEN.value)
                                   .order_by(Cycle.id).execution_options(populate_existing=True)))


def recompute_employees(employee_ids: Iterable[int], *, finished_at: dt.datetime | None = None) -> int:
    """These employees' rows in every open cycle (whose window holds ``finished_at``, when given)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return 0
    cycles = _open_cycles()
    if finished_at is not None:
        cycles = [c for c in cycles if window_bounds(c)[0] <= finished_at < window_bounds(c)[1]]
    if not cycles:
        return 0
    for employee_id in ids:
        _lock(_LOCK_EMPLOYEE, employee_id)
    return sum(recompute(cycle, ids) for cycle in cycles)


def on_result_recorded(sender, result=None, **_extra) -> None:
    """``result_recorded`` receiver: the employee's rows in the open cycles the result falls in."""
    if result is None or result.kind not in component_of():
        return
    recompute_employees([result.employee_id], finished_at=result.finished_at)


def on_assignments_changed(sender, employee_ids=(), **_extra) -> None:
    """``assignments_changed`` receiver: those employees' rows in every open cycle."""
    recompute_employees(employee_ids)


def due_employee_ids(cycle: Cycle, today: dt.date) -> list[int]:
    return list(db.session.scalars(select(LiveScore.employee_id).where(
        LiveScore.cycle_id == cycle.id, LiveScore.valid_through.is_not(None), LiveScore.valid_through < today)))


def refresh_due(cycle: Cycle, *, today: dt.date | None = None) -> int:
    """Recompute the rows of an open cycle that a passing due date made stale; 0 (one indexed
    query) when none is. From a GET request it writes in a transaction of its own."""
    if not cycle.is_open:
        return 0
    today = today or local_today()
    stale = exists().where(LiveScore.cycle_id == cycle.id, LiveScore.valid_through.is_not(None),
                           LiveScore.valid_through < today)
    if not db.session.scalar(select(stale)):
        return 0
    cycle_id = cycle.id
    if has_request_context() and request.method in ("GET", "HEAD"):
        with write_transaction():
            return _refresh(db.session.get(Cycle, cycle_id), today)
    return _refresh(cycle, today)


def _refresh(cycle: Cycle, today: dt.date) -> int:
    _lock(_LOCK_CYCLE, cycle.id, shared=True)
    ids = due_employee_ids(cycle, today)
    for employee_id in ids:
        _lock(_LOCK_EMPLOYEE, employee_id)
    return recompute(cycle, due_employee_ids(cycle, today), as_of=today)


# --- the read model ------------------------------------------------------------------------------


def rebuild() -> int:
    db.session.execute(delete(LiveScore))
    cycles = db.session.scalars(select(Cycle).where(Cycle.state == CycleState.OPEN.value).order_by(Cycle.id))
    return sum(recompute(cycle) for cycle in list(cycles))


def snapshot() -> list[tuple]:
    columns = list(LiveScore.__table__.columns)
    return [tuple(r) for r in db.session.execute(
        select(*columns).order_by(LiveScore.cycle_id, LiveScore.employee_id)).all()]


READ_MODEL = ReadModel(
    name="cycle_live_scores", rebuild=rebuild, snapshot=snapshot,
    description="open appraisal cycles: per employee component scores and live total",
    tables=(LiveScore.__tablename__,))
