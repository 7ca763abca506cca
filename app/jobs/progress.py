"""``report(job_id, percent, message)``: progress in a short transaction of its own.

The update goes through a separate connection, so the job page sees it while the job's own
transaction is still open. SQLite has one writer at a time: while the job's session holds the
write lock (a close or an import writing), a second connection could only wait, so the report is
skipped there (at once when the session began IMMEDIATE, else after a short wait) and the bar moves
between transactions only. PostgreSQL reports every step. Progress is best effort: a report that
cannot be written now returns False and the job goes on.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from app.database import BUSY_TIMEOUT_MS, session_holds_sqlite_write_lock
from app.extensions import db
from app.jobs.models import RUNNING, Job
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

#: how long a report waits for SQLite's write lock before giving up (milliseconds)
SQLITE_REPORT_WAIT_MS = 200


def report(job_id: int, percent: float, message: str = "") -> bool:
    """Record progress (0-100) of a running job; returns False when it could not be written now."""
    if session_holds_sqlite_write_lock(db.session):
        return False
    value = max(0, min(100, int(percent)))
    stmt = (update(Job).where(Job.id == job_id, Job.state == RUNNING)
            .values(progress=value, message=(message or "")[:200], updated_at=utcnow()))
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute(f"PRAGMA busy_timeout={SQLITE_REPORT_WAIT_MS}")
        try:
            with conn.begin():
                conn.execute(stmt)
        except OperationalError as exc:
            if raw is None or "locked" not in str(exc):
                raise
            logger.debug("job %s: progress %s%% skipped (the database is busy)", job_id, value)
            return False
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return True
