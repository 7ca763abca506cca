"""``report(job_id, percent, message)``: progress in a short transaction of its own.

The update goes through a separate connection, so the job page sees it while the job's own
transaction is still open. SQLite has one writer at a time: while the job's session holds the
write lock (a close or an import writing), a second connection could only wait, so the report is
skipped there and the bar moves between transactions only. PostgreSQL reports every step.
"""

from __future__ import annotations

import logging

from sqlalchemy import update

from app.database import session_holds_sqlite_write_lock
from app.extensions import db
from app.jobs.models import RUNNING, Job
from app.timeutil import utcnow

logger = logging.getLogger(__name__)


def report(job_id: int, percent: float, message: str = "") -> bool:
    """Record progress (0-100) of a running job; returns False when it could not be written now."""
    if session_holds_sqlite_write_lock(db.session):
        return False
    value = max(0, min(100, int(percent)))
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.state == RUNNING)
                     .values(progress=value, message=(message or "")[:200], updated_at=utcnow()))
    logger.debug("job %s: %s%% %s", job_id, value, message)
    return True
