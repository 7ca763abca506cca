"""Friendly error pages (Chinese by default, like the rest of the interface)."""

from __future__ import annotations

import datetime as dt
import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

logger = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


#: at most one ``access.denied`` row per user (or anonymous IP) and endpoint in this many seconds,
#: so a trainee reloading a forbidden page cannot flood the audit log
DENIAL_AUDIT_EVERY_SECONDS = 60


def _denial_recently_audited(actor: int | None, ip: str, target: str) -> bool:
    from sqlalchemy import select

    from app.audit.models import AuditEvent
    from app.timeutil import utcnow

    since = utcnow() - dt.timedelta(seconds=DENIAL_AUDIT_EVERY_SECONDS)
    stmt = select(AuditEvent.id).where(AuditEvent.action == "access.denied", AuditEvent.at >= since,
                                       AuditEvent.target == target)
    stmt = stmt.where(AuditEvent.actor_id == actor) if actor is not None else stmt.where(
        AuditEvent.actor_id.is_(None), AuditEvent.ip == ip)
    return db.session.scalar(stmt.limit(1)) is not None


def _audit_denial() -> None:
    """Permission denials are audited (rate-limited); a failure to audit must not hide the 403 page."""
    from flask_login import current_user

    from app.audit.services import record_event

    try:
        db.session.rollback()
        actor = current_user.id if current_user and current_user.is_authenticated else None
        ip = request.remote_addr or ""
        target = f"endpoint:{request.endpoint or '-'}"[:128]
        if _denial_recently_audited(actor, ip[:64], target):
            return
        record_event("access.denied", actor_id=actor, ip=ip, target=target,
                     details={"method": request.method, "path": request.path[:200]})
        db.session.commit()
    except Exception:  # noqa: BLE001 - auditing must never turn a 403 into a 500
        db.session.rollback()
        logger.exception("could not audit a permission denial")


def handle_http_error(error: HTTPException):
    if error.code == 403:
        _audit_denial()
    if _wants_json():
        return jsonify(error=error.name, code=error.code), error.code
    template = f"errors/{error.code}.html" if error.code in (400, 403, 404, 429) else "errors/generic.html"
    return render_template(template, error=error), error.code


def handle_csrf_error(error: CSRFError):
    return render_template("errors/400.html", error=error, csrf=True), 400


def handle_server_error(error: Exception):
    logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    if _wants_json():
        return jsonify(error="Internal Server Error", code=500), 500
    return render_template("errors/500.html"), 500


def register_error_handlers(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)
