"""record_event(): the one way to write the audit trail.

Values are stored in structured columns (JSON details), never concatenated into a log line, so an
injected newline cannot forge an entry; control characters are escaped anyway, and any key that
looks like a secret is refused.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.audit.models import AuditEvent
from app.extensions import db
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

FORBIDDEN_KEYS = ("password", "token", "secret", "hash")
MAX_TEXT = 500


def _clean(value: object) -> object:
    if isinstance(value, str):
        text = value.encode("unicode_escape").decode("ascii") if any(ord(c) < 32 for c in value) else value
        return text[:MAX_TEXT]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value))


def record_event(action: str, *, actor_id: int | None = None, target: str = "", ip: str = "",
                 details: dict | None = None, at: dt.datetime | None = None) -> AuditEvent:
    """Append one audit event in the caller's transaction."""
    details = dict(details or {})
    for key in details:
        if any(word in key.lower() for word in FORBIDDEN_KEYS):
            raise ValueError(f"audit details must not carry secrets ({key!r})")
    event = AuditEvent(at=at or utcnow(), actor_id=actor_id,
                       action=_clean(action), target=_clean(target), ip=_clean(ip)[:64],
                       details=_clean(details))
    db.session.add(event)
    db.session.flush()
    logger.info("audit %s actor=%s target=%r", event.action, actor_id, event.target)
    return event
