"""Closing and reopening a cycle, and reading its frozen scores.

Closing writes one CycleScore row per appraised employee in one transaction, with the inputs that
were used (policy, window, weights, bands and every assigned activity with the result that counted),
so that a closed cycle can be explained later and never changes when results arrive; the employee's
certificate status and earliest expiry as at the close are frozen with them (the export's 证书状态 and
证书到期日 must not change when a certificate is revoked or expires afterwards). Reopening
needs a reason, is audited and deletes nothing: the rows of the old close are kept with
``superseded`` set, and the next close writes ``version + 1`` (HR adjustments are carried over).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from itertools import groupby

from flask_babel import gettext as _
from sqlalchemy import Select, case, insert, literal, select, update

from app.appraisal.cycles import AppraisalError, lock_cycle
from app.appraisal.live import live_select, recompute_cycle, recompute_or_queue
from app.appraisal.models import CycleScore, CycleState
from app.appraisal.scoring import (
    activity_select,
    band_for,
    effective_weights,
    score_select,
)
from app.audit.services import record_event
from app.certificates.queries import RANK_STATUSES, export_summary
from app.extensions import db
from app.timeutil import local_today, utcnow

logger = logging.getLogger(__name__)

#: employees written per INSERT batch at close time (bounds memory for very large companies)
CLOSE_BATCH = 2000

#: the row shape shared by live scores and snapshots (exports, pages and the API read these)
SCORE_FIELDS = (
    "employee_id", "employee_no", "name", "department_id", "department", "team", "position", "supervisor",
    "theory", "practice", "observation", "computed_total", "adjustment", "adjustment_reason", "total",
    "band", "completion", "assigned", "completed", "overdue",
)
#: the certificate columns of a snapshot row and of an export row (证书状态, 证书到期日)
CERTIFICATE_FIELDS = ("certificate_status", "certificate_expires_on")


def snapshot_select(cycle, *, department_id: int | None = None, employee_id: int | None = None) -> Select:
    """The current snapshot rows of a closed cycle, same columns as the live scores."""
    stmt = (select(*[getattr(CycleScore, f) for f in SCORE_FIELDS])
            .where(CycleScore.cycle_id == cycle.id, CycleScore.version == cycle.version,
                   CycleScore.superseded.is_(False))
            .order_by(CycleScore.employee_no))
    if department_id is not None:
        stmt = stmt.where(CycleScore.department_id == department_id)
    if employee_id is not None:
        stmt = stmt.where(CycleScore.employee_id == employee_id)
    return stmt


def cycle_scores(cycle, *, department_id: int | None = None, employee_id: int | None = None) -> Select:
    """What every reader uses: the live read model while open (call ``live.refresh_due`` first
    in a page or job), only the snapshot once closed."""
    if cycle.is_open:
        return live_select(cycle, department_id=department_id, employee_id=employee_id)
    return snapshot_select(cycle, department_id=department_id, employee_id=employee_id)


def with_certificates(scores_stmt: Select, day: dt.date, words: dict[int, str]) -> Select:
    """``scores_stmt``'s rows plus each employee's certificates as at ``day``, ordered by 工号:
    ``certificate_status`` (``words`` of the worst status's rank, ``certificates.queries.RANK_STATUSES``
    for what a snapshot stores; null without a certificate) and ``certificate_expires_on`` (the earliest
    expiry of the unrevoked ones). One outer join to the per-employee summary: no query per employee."""
    scores = scores_stmt.order_by(None).subquery("scores")
    cert = export_summary(day)
    status = case(*[(cert.c.certificate_rank == rank, literal(word)) for rank, word in words.items()])
    return (select(scores, status.label("certificate_status"), cert.c.certificate_expires_on)
            .outerjoin(cert, cert.c.employee_id == scores.c.employee_id)
            .order_by(scores.c.employee_no))


def activity_inputs(rows) -> list[dict]:
    """JSON-ready activity rows (the "inputs used" of a snapshot, and the live employee page)."""
    out = []
    for r in rows:
        status = "done" if r.done else ("overdue" if r.overdue else "pending")
        out.append({
            "component": r.component, "kind": r.kind, "activity_id": r.activity_id,
            "due_date": r.due_date.isoformat(), "status": status,
            "score": None if r.score is None else float(r.score),
            "result_id": r.result_id, "attempts": int(r.attempts or 0),
            "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
        })
    return out


def _inputs(cycle, as_of: dt.date, row, activities: list[dict]) -> dict:
    present = {c: getattr(row, c) for c in ("theory", "practice", "observation")}
    return {
        "policy": cycle.policy, "window": [cycle.starts_on.isoformat(), cycle.ends_on.isoformat()],
        "as_of": as_of.isoformat(), "weights": cycle.weights, "bands": cycle.bands,
        "effective_weights": effective_weights(cycle, present), "activities": activities,
    }


def close_cycle(cycle, *, actor_id: int | None, ip: str = "", as_of: dt.date | None = None,
                progress: Callable[[int, int], object] | None = None) -> int:
    """Freeze the cycle: write its CycleScore rows and mark it closed. Returns the number of rows.

    The caller commits. Closing an already closed cycle raises AppraisalError (a double submit
    changes nothing); the unique constraint on (cycle, version, employee) is the last guard.
    ``progress(written, total)`` is called after each batch (the background job's progress bar).
    """
    cycle = lock_cycle(cycle.id)
    if not cycle.is_open:
        raise AppraisalError(_("This cycle is already closed."))
    as_of = as_of or local_today()
    version = cycle.version + 1
    # The score rows (one per employee, small, with their certificates as at the close joined in)
    # are read first; the activity rows, the bulk, stream in employee order next to them, and the
    # snapshot is inserted in batches as it goes.
    live = {r.employee_id: r for r in db.session.execute(
        with_certificates(score_select(cycle, as_of=as_of), as_of, RANK_STATUSES))}
    activity_rows = db.session.execute(activity_select(cycle, as_of=as_of),
                                       execution_options={"yield_per": CLOSE_BATCH})
    written = 0
    batch: list[dict] = []

    def row_values(r, activities: list[dict]) -> dict:
        data = {f: getattr(r, f) for f in SCORE_FIELDS + CERTIFICATE_FIELDS}
        data.update(cycle_id=cycle.id, version=version, superseded=False, adjustment_reason="",
                    adjustment=None, inputs=_inputs(cycle, as_of, r, activities))
        return data

    with_activities = set()
    for employee_id, rows in groupby(activity_rows, lambda r: r.employee_id):
        r = live.get(employee_id)
        if r is None:  # assigned, but filtered out of the scores (cannot happen: same scope)
            continue
        with_activities.add(employee_id)
        batch.append(row_values(r, activity_inputs(rows)))
        if len(batch) >= CLOSE_BATCH:
            db.session.execute(insert(CycleScore), batch)
            written += len(batch)
            batch = []
            if progress is not None:
                progress(written, len(live))
    batch.extend(row_values(r, []) for emp, r in live.items() if emp not in with_activities)
    for start in range(0, len(batch), CLOSE_BATCH):
        db.session.execute(insert(CycleScore), batch[start:start + CLOSE_BATCH])
    written += len(batch)
    if progress is not None:
        progress(written, len(live))
    _carry_adjustments(cycle, version)
    cycle.state = CycleState.CLOSED.value
    cycle.version = version
    cycle.closed_at = utcnow()
    cycle.closed_by_id = actor_id
    cycle.closed_as_of = as_of
    db.session.flush()
    recompute_cycle(cycle)  # closed: its live rows go, the snapshot takes over
    record_event("appraisal.cycle_close", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details={"name": cycle.name, "version": version, "employees": written,
                          "as_of": as_of.isoformat()})
    logger.info("cycle %s closed (version %s, %s employees)", cycle.id, version, written)
    return written


def _carry_adjustments(cycle, version: int) -> None:
    """Re-apply HR adjustments of the previous close to the new snapshot (only adjusted rows)."""
    if version <= 1:
        return
    previous = db.session.scalars(
        select(CycleScore).where(CycleScore.cycle_id == cycle.id, CycleScore.version == version - 1,
                                 CycleScore.adjustment.is_not(None))
    ).all()
    for old in previous:
        new = db.session.scalar(select(CycleScore).where(
            CycleScore.cycle_id == cycle.id, CycleScore.version == version,
            CycleScore.employee_id == old.employee_id))
        if new is None or new.computed_total is None:
            continue
        new.adjustment, new.adjustment_reason = old.adjustment, old.adjustment_reason
        new.adjusted_by_id, new.adjusted_at = old.adjusted_by_id, old.adjusted_at
        new.total = clamp_total(new.computed_total + old.adjustment)
        new.band = band_for(new.total, cycle.bands)


def clamp_total(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 2)


def reopen_cycle(cycle, *, actor_id: int | None, reason: str, ip: str = "") -> None:
    """Reopen a closed cycle for a stated reason; its snapshot rows are kept, flagged superseded."""
    reason = (reason or "").strip()
    if not reason:
        raise AppraisalError(_("A reason is required to reopen a cycle."))
    cycle = lock_cycle(cycle.id)
    if cycle.is_open:
        raise AppraisalError(_("This cycle is already open."))
    db.session.execute(update(CycleScore)
                       .where(CycleScore.cycle_id == cycle.id, CycleScore.superseded.is_(False))
                       .values(superseded=True))
    cycle.state = CycleState.OPEN.value
    cycle.closed_at = None
    cycle.closed_by_id = None
    cycle.closed_as_of = None
    db.session.flush()
    recompute_or_queue(cycle, actor_id=actor_id)  # open again: live scores from today's data
    record_event("appraisal.cycle_reopen", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details={"name": cycle.name, "version": cycle.version, "reason": reason})
    logger.info("cycle %s reopened: %s", cycle.id, reason)
