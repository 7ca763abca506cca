"""Small helpers the drill views share: loading a record the viewer may see."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.people.permissions import can_view


def load_visible(model, record_id: int, owner_attr: str = "employee"):
    """The record, if the viewer may see its employee's data: 404 when missing, 403 otherwise."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    if not can_view(current_user, getattr(record, owner_attr)):
        abort(403)
    return record


def load_own(model, record_id: int):
    """The record, if it belongs to the viewer (for actions such as playing a run)."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    if record.employee_id != current_user.id:
        abort(403)
    return record
