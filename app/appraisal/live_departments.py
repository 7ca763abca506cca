"""The department figures of open cycles, kept as rows (``LiveDepartment``) instead of aggregated
over every employee's live row on each read of the cycle overview and the department comparison.

* **What.** Per open cycle × department (``NO_DEPARTMENT`` for the employees without one): head
  count, Σ and count of the non-null theory / practice / observation / total / completion values,
  Σ overdue and the employees per band: :func:`aggregate` over :func:`live.live_select`, the rows
  the overview lists, so a department row is by construction what the former read-time
  aggregation gave (``reports.computed_breakdown``, kept as the reference and for closed cycles).
* **When.** Before the transaction commits (or before this module is read in it), for the
  departments whose figures may have moved: those of the employees whose live rows were rewritten
  (``live.take_changed``: results, assignments, ``refresh_due``; a whole cycle after it was created,
  edited, reopened or closed: all its rows, deleted once closed), and those an organisation change
  touched (a session hook on ``Employee``: created, deleted, or its department, active flag or role
  changed, old and new department, in every open cycle). Department names are joined at read time.
* **Concurrency.** The departments of the rewritten live rows are read ``FOR SHARE`` (a concurrent
  move of one of these employees commits first, and we see its new department); an organisation
  change reads the old department ``FOR UPDATE`` before its UPDATE. Then ``live.lock_departments``
  locks, cycle by cycle in id order, the department rows (PostgreSQL), and one ``DELETE`` and one
  ``INSERT … SELECT`` per cycle rewrite them: the second of two writers for the same department
  waits and recomputes from what the first committed. SQLite serialises writers anyway.
"""

from __future__ import annotations

from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import case, delete, event, func, insert, inspect, literal, or_, select
from sqlalchemy.orm import Session

from app.appraisal import live
from app.appraisal.models import NO_DEPARTMENT, Band, Cycle, CycleState, LiveDepartment
from app.extensions import db
from app.people.models import Department, Employee
from app.readmodels import ReadModel

#: ``session.info`` key: department keys an organisation change touched (refreshed in every open cycle)
_ORG = "appraisal_live_departments_org"
#: Employee attributes that decide whether and where an employee is counted
_ORG_ATTRS = ("department_id", "department", "active", "role")
#: (column of LiveDepartment, column of the live rows) summed and counted
_AVERAGED = (("theory", "theory"), ("practice", "practice"), ("observation", "observation"),
             ("total", "total"), ("completion", "completion"))
_BANDS = ((Band.EXCELLENT.value, "band_excellent"), (Band.GOOD.value, "band_good"), (Band.PASS.value, "band_pass"),
          (Band.FAIL.value, "band_fail"))


def _key(department_id: int | None) -> int:
    return NO_DEPARTMENT if department_id is None else int(department_id)


# --- computing the rows ----------------------------------------------------------------------


def aggregate(cycle: Cycle, department_keys=None):
    """``(columns, select)``: the department rows of ``cycle`` from its live rows (those of these
    departments only, when given), ready for ``INSERT … SELECT``."""
    rows = live.live_select(cycle)
    if department_keys is not None:
        keys = sorted(set(department_keys))
        ids = [k for k in keys if k != NO_DEPARTMENT]
        rows = rows.where(or_(Employee.department_id.in_(ids),
                              *((Employee.department_id.is_(None),) if NO_DEPARTMENT in keys else ())))
    s = rows.order_by(None).subquery("live_rows")
    values = {"cycle_id": literal(cycle.id), "department_key": func.coalesce(s.c.department_id, NO_DEPARTMENT),
              "employees": func.count()}
    for name, column in _AVERAGED:
        values[f"{name}_sum"] = func.sum(s.c[column])
        values[f"{name}_n"] = func.count(s.c[column])
    values["overdue"] = func.coalesce(func.sum(s.c.overdue), 0)
    for band, name in _BANDS:
        values[name] = func.coalesce(func.sum(case((s.c.band == band, 1), else_=0)), 0)
    stmt = select(*[v.label(k) for k, v in values.items()]).group_by(s.c.department_id)
    return list(values), stmt


def _rewrite(cycle: Cycle, department_keys) -> None:
    """Delete and recompute the rows of these departments (None: all) of the cycle, under its locks."""
    live.lock_departments(cycle.id, department_keys)
    gone = delete(LiveDepartment).where(LiveDepartment.cycle_id == cycle.id)
    if department_keys is not None:
        gone = gone.where(LiveDepartment.department_key.in_(sorted(department_keys)))
    db.session.execute(gone)
    # the cycle as committed now (bands, scope, state): another transaction may have edited it
    cycle = db.session.scalar(select(Cycle).where(Cycle.id == cycle.id).execution_options(populate_existing=True))
    if cycle is None or not cycle.is_open:
        return
    columns, stmt = aggregate(cycle, department_keys)
    db.session.execute(insert(LiveDepartment).from_select(columns, stmt))


def _departments_of(employee_ids: set[int]) -> set[int]:
    """The current departments of these employees, read FOR SHARE: an uncommitted move of one of
    them is waited for, and its new department is the one returned."""
    ids = sorted(employee_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        found.update(_key(d) for d in db.session.scalars(
            select(Employee.department_id).where(Employee.id.in_(chunk)).order_by(Employee.id)
            .with_for_update(read=True)))
    return found


def refresh_pending(session: Session) -> int:
    """Recompute the department rows this transaction's writes moved; returns how many cycles."""
    changed = live.take_changed(session)
    org: set[int] = session.info.pop(_ORG, set())
    if not changed and not org:
        return 0
    pending: dict[int, set[int] | None] = {}
    for cycle_id, employee_ids in changed.items():
        pending[cycle_id] = None if employee_ids is None else _departments_of(employee_ids)
    if org:
        for cycle_id in session.scalars(select(Cycle.id).where(Cycle.state == CycleState.OPEN.value)):
            if pending.get(cycle_id, set()) is not None:
                pending.setdefault(cycle_id, set()).update(org)
    for cycle_id in sorted(pending):
        keys = pending[cycle_id]
        if keys is not None and not keys:
            continue
        cycle = session.get(Cycle, cycle_id)
        if cycle is not None:
            _rewrite(cycle, keys)
    return len(pending)


def ensure_fresh() -> None:
    """Bring this session's pending writes into the department rows before reading them (no
    statement when there are none: the usual case of a page)."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    refresh_pending(session)


# --- reading ---------------------------------------------------------------------------------


def read_rows(cycle: Cycle) -> list:
    """The department rows of an open cycle, with the department name ("" for none), ordered by it:
    one query on a table of (open cycles × departments) rows."""
    ensure_fresh()
    name = func.coalesce(Department.name, "").label("department")
    stmt = (select(*LiveDepartment.__table__.columns, name)
            .outerjoin(Department, Department.id == LiveDepartment.department_key)
            .where(LiveDepartment.cycle_id == cycle.id)
            .order_by(name, LiveDepartment.department_key))
    return db.session.execute(stmt).all()


# --- the read model --------------------------------------------------------------------------


def rebuild() -> int:
    """Every open cycle's department rows from its live rows (the live rows are rebuilt first)."""
    db.session.flush()
    live.take_changed(db.session())  # every open cycle is rewritten below
    db.session.info.pop(_ORG, None)
    cycle_ids = sorted(set(db.session.scalars(select(Cycle.id)))
                       | set(db.session.scalars(select(LiveDepartment.cycle_id.distinct()))))
    for cycle_id in cycle_ids:
        live.lock_departments(cycle_id, None)
    db.session.execute(delete(LiveDepartment))
    for cycle in db.session.scalars(select(Cycle).where(Cycle.state == CycleState.OPEN.value).order_by(Cycle.id)):
        columns, stmt = aggregate(cycle)
        db.session.execute(insert(LiveDepartment).from_select(columns, stmt))
    db.session.flush()
    written = db.session.scalar(select(func.count()).select_from(LiveDepartment)) or 0
    return written


def snapshot() -> list[tuple]:
    columns = list(LiveDepartment.__table__.columns)
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in db.session.execute(
        select(*columns).order_by(LiveDepartment.cycle_id, LiveDepartment.department_key)).all()]


READ_MODEL = ReadModel(
    name="cycle_live_departments", rebuild=rebuild, snapshot=snapshot,
    description="open appraisal cycles: per department head count, score sums and counts, bands",
    tables=(LiveDepartment.__tablename__,))


# --- maintenance on write --------------------------------------------------------------------


def _active() -> bool:
    return has_app_context() and READ_MODEL.name in current_app.extensions.get("readmodels", {})


def _org_changed(obj: Employee) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in _ORG_ATTRS)


def _before_flush(session: Session, _flush_context, _instances) -> None:
    """The department an employee leaves, as committed: read (and locked) before the UPDATE, so that
    a concurrent move of the same employee is waited for and its department refreshed too."""
    if not _active():
        return
    moved = sorted(o.id for o in session.dirty if isinstance(o, Employee) and o.id is not None and _org_changed(o))
    if moved:
        keys: set[int] = session.info.setdefault(_ORG, set())
        keys.update(_key(d) for d in session.connection().scalars(
            select(Employee.department_id).where(Employee.id.in_(moved)).order_by(Employee.id).with_for_update()))


def _after_flush(session: Session, _flush_context) -> None:
    """The departments an employee was counted in and is counted in now (old values from history)."""
    if not _active():
        return
    keys: set[int] | None = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if not isinstance(obj, Employee):
            continue
        if obj in session.dirty and not _org_changed(obj):
            continue
        keys = keys if keys is not None else session.info.setdefault(_ORG, set())
        keys.add(_key(obj.department_id))
        keys.update(_key(d) for d in inspect(obj).attrs.department_id.history.deleted)


def _before_commit(session: Session) -> None:
    if not _active():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    refresh_pending(session)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # committed (refreshed in before_commit) or rolled back
        session.info.pop(_ORG, None)
        live.take_changed(session)


def init_app(app) -> None:
    """Listen on the app's session class (once per process; inactive for apps without this read model)."""
    target = db.session
    for name, fn in (("before_flush", _before_flush), ("after_flush", _after_flush),
                     ("before_commit", _before_commit), ("after_transaction_end", _after_transaction_end)):
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)
