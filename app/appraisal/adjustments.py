"""HR's hand adjustment of a closed cycle's score: a number of points and a mandatory reason.

The computed total stays as the formula gave it; the adjustment is stored beside it, the final
total (clamped to 0-100) and its band are derived from both, and the export shows all three. Each
change is audited with the old and new values.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from app.appraisal.cycles import AppraisalError, lock_cycle
from app.appraisal.models import CycleScore
from app.appraisal.scoring import band_for
from app.appraisal.snapshots import clamp_total
from app.audit.services import record_event
from app.extensions import db
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

MAX_REASON = 500


def adjust_score(cycle, employee_id: int, points: float, reason: str, *, actor_id: int | None,
                 ip: str = "") -> CycleScore:
    """Set the adjustment of one employee's current snapshot row (0 points removes its effect)."""
    reason = (reason or "").strip()
    if not reason:
        raise AppraisalError(_("A reason is required for an adjustment."))
    if len(reason) > MAX_REASON:
        raise AppraisalError(_("The reason is too long."))
    if points is None or not -100 <= points <= 100:
        raise AppraisalError(_("An adjustment is between -100 and 100 points."))
    cycle = lock_cycle(cycle.id)
    if cycle.is_open:
        raise AppraisalError(_("Scores can be adjusted once the cycle is closed."))
    row = db.session.scalar(
        select(CycleScore)
        .where(CycleScore.cycle_id == cycle.id, CycleScore.version == cycle.version,
               CycleScore.superseded.is_(False), CycleScore.employee_id == employee_id)
        .with_for_update())
    if row is None:
        raise AppraisalError(_("This employee has no score in this cycle."))
    if row.computed_total is None:
        raise AppraisalError(_("There is no score to adjust: nothing was assigned in this cycle."))
    before = {"adjustment": row.adjustment, "total": row.total, "band": row.band}
    points = round(float(points), 2)
    row.adjustment = points
    row.adjustment_reason = reason
    row.adjusted_by_id = actor_id
    row.adjusted_at = utcnow()
    row.total = clamp_total(row.computed_total + points)
    row.band = band_for(row.total, cycle.bands)
    db.session.flush()
    record_event("appraisal.adjust", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details={"employee_id": employee_id, "employee_no": row.employee_no, "before": before,
                          "after": {"adjustment": row.adjustment, "total": row.total, "band": row.band},
                          "reason": reason})
    logger.info("cycle %s: score of %s adjusted by %+.2f", cycle.id, row.employee_no, points)
    return row
