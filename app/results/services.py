"""record_result(): the one way activities report a finished score."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from app.extensions import db
from app.results.models import Result
from app.results.signals import result_recorded

logger = logging.getLogger(__name__)

def record_result(*, employee_id: int, kind: str, activity_id: str, source_id: int,
                  score: float, finished_at: dt.datetime, passed: bool | None = None) -> Result:
    """Write the result of one finished activity, or return the one already written.

    Idempotent on (kind, source_id): the caller's transaction decides; a concurrent duplicate is
    stopped by the unique constraint. A new Result sends ``result_recorded`` (after flush, in the
    caller's transaction), so higher layers (certificates) react in the same transaction.
    """
    if not 0 <= score <= 100:
        raise ValueError(f"score {score} outside 0-100")
    existing = db.session.scalar(select(Result).where(Result.kind == str(kind), Result.source_id == source_id))
    if existing is not None:
        return existing
    result = Result(employee_id=employee_id, kind=str(kind), activity_id=activity_id, source_id=source_id,
                    score=round(float(score), 2), passed=passed, finished_at=finished_at)
    db.session.add(result)
    db.session.flush()
    result_recorded.send(result=result)  # read models of higher layers, in this transaction
    logger.info("result %s %s=%s for employee %s: %.1f", kind, activity_id, source_id, employee_id, score)
    result_recorded.send(result, result=result)
    return result


def results_for(employee_id: int, limit: int = 20) -> list[Result]:
    stmt = (select(Result).where(Result.employee_id == employee_id)
            .order_by(Result.finished_at.desc(), Result.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))
