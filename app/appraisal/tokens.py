"""API tokens for the HR read API: created and revoked by HR, stored as SHA-256, shown once.

A token is ``ea_`` followed by 43 URL-safe random characters (256 bits). Only its hash and its
first characters (to tell tokens apart on the page) are stored; a lost token is revoked and a new
one created. Creation and revocation are audited, never the token itself.

A token works only while it is not revoked, not past its expiry date (site calendar), and its
creator is still an active HR user or administrator: demoting or deactivating the creator stops
every token they made (401), without anyone having to remember to revoke them. A token may be
limited to one department; the API then answers for that department only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from app.appraisal.cycles import AppraisalError
from app.appraisal.models import ApiToken
from app.audit.services import record_event
from app.extensions import db
from app.people.models import Department, Role
from app.timeutil import local_today, utcnow

logger = logging.getLogger(__name__)

PREFIX = "ea_"
SHOWN_CHARS = 10
#: last_used_at is written at most this often per token (a busy client must not write on every call)
TOUCH_EVERY_SECONDS = 60
#: roles whose tokens keep working (the creator's role is checked on every request)
OWNER_ROLES = frozenset({Role.HR.value, Role.ADMIN.value})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(name: str, *, actor_id: int | None, ip: str = "", expires_on: dt.date | None = None,
                 department_id: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token, which is never available again."""
    name = (name or "").strip()
    if not name:
        raise AppraisalError(_("A name is required."))
    if len(name) > 64:
        raise AppraisalError(_("The name is too long."))
    if expires_on is not None and expires_on < local_today():
        raise AppraisalError(_("The expiry date is in the past."))
    if department_id is not None and db.session.get(Department, department_id) is None:
        raise AppraisalError(_("Unknown department."))
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(plain), prefix=plain[:SHOWN_CHARS],
                     created_by_id=actor_id, created_at=utcnow(), expires_on=expires_on,
                     department_id=department_id)
    db.session.add(token)
    db.session.flush()
    record_event("appraisal.api_token_create", actor_id=actor_id, target=f"api_token:{token.id}", ip=ip,
                 details={"name": name, "prefix": token.prefix, "department_id": department_id,
                          "expires_on": expires_on.isoformat() if expires_on else None})
    logger.info("API token %s (%s) created", token.id, token.prefix)
    return token, plain


def revoke_token(token_id: int, *, actor_id: int | None, ip: str = "") -> ApiToken:
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id).with_for_update())
    if token is None:
        raise AppraisalError(_("Unknown token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = actor_id
        db.session.flush()
        record_event("appraisal.api_token_revoke", actor_id=actor_id, target=f"api_token:{token.id}", ip=ip,
                     details={"name": token.name, "prefix": token.prefix})
        logger.info("API token %s (%s) revoked", token.id, token.prefix)
    return token


def refusal(token: ApiToken, today: dt.date | None = None) -> str | None:
    """Why ``token`` does not work now ("revoked", "expired", "owner"), or None when it does."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_on is not None and (today or local_today()) > token.expires_on:
        return "expired"
    owner = token.created_by
    if owner is None or not owner.active or owner.role not in OWNER_ROLES:
        return "owner"
    return None


def authenticate(plain: str | None) -> ApiToken | None:
    """The working token matching ``plain``, or None. Looks the hash up, then compares in constant time."""
    if not plain or not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    digest = hash_token(plain)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest) or refusal(token) is not None:
        return None
    return token


def touch(token: ApiToken) -> bool:
    """Record the use (at most once a minute). Returns True when the row changed."""
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_EVERY_SECONDS:
        token.last_used_at = now
        db.session.flush()
        return True
    return False


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc())))
