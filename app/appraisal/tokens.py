"""API tokens for the HR read API: created and revoked by HR, stored as SHA-256, shown once.

A token is ``ea_`` followed by 43 URL-safe random characters (256 bits). Only its hash and its
first characters (to tell tokens apart on the page) are stored; a lost token is revoked and a new
one created. Creation and revocation are audited, never the token itself.
"""

from __future__ import annotations

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
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

PREFIX = "ea_"
SHOWN_CHARS = 10
#: last_used_at is written at most this often per token (a busy client must not write on every call)
TOUCH_EVERY_SECONDS = 300


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(name: str, *, actor_id: int | None, ip: str = "") -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token, which is never available again."""
    name = (name or "").strip()
    if not name:
        raise AppraisalError(_("A name is required."))
    if len(name) > 64:
        raise AppraisalError(_("The name is too long."))
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(plain), prefix=plain[:SHOWN_CHARS],
                     created_by_id=actor_id, created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    record_event("appraisal.api_token_create", actor_id=actor_id, target=f"api_token:{token.id}", ip=ip,
                 details={"name": name, "prefix": token.prefix})
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


def authenticate(plain: str | None) -> ApiToken | None:
    """The active token matching ``plain``, or None. Looks the hash up, then compares in constant time."""
    if not plain or not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    digest = hash_token(plain)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token


def touch(token: ApiToken) -> bool:
    """Record the use (at most every few minutes). Returns True when the row changed."""
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_EVERY_SECONDS:
        token.last_used_at = now
        db.session.flush()
        return True
    return False


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc())))
