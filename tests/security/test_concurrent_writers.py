"""Eight concurrent writers: no "database is locked" on SQLite (BEGIN IMMEDIATE + busy_timeout)."""

import threading

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.extensions import db as _db

WRITERS = 8
WRITES_EACH = 60


def test_eight_concurrent_writers_lose_nothing(app, db):
    errors: list[str] = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        with app.app_context():
            start.wait()
            for i in range(WRITES_EACH):
                try:
                    # read, then write, in one transaction: the pattern that fails with a deferred BEGIN
                    seen = _db.session.scalar(select(func.count()).select_from(AuditEvent))
                    record_event("test.write", details={"writer": n, "i": i, "seen": seen})
                    _db.session.commit()
                except OperationalError as exc:  # pragma: no cover - the failure we guard against
                    _db.session.rollback()
                    errors.append(str(exc.orig))
            _db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    locked = [e for e in errors if "locked" in e]
    assert locked == [] and errors == []
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "test.write"))
    assert total == WRITERS * WRITES_EACH
