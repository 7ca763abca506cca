"""AuditEvent rows. Append-only: no code path updates or deletes them.

The audit writer sits below the people package (which records its own events here): the actor is
a foreign key to ``employee`` named by table, and the relationship is resolved by name, so this
module imports nothing of app.people at run time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.people.models import Employee


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    #: null for anonymous actors (a failed login of an unknown account, an API token)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    #: dotted verb such as ``auth.login``, ``people.role_change``, ``appraisal.export``
    action: Mapped[str] = mapped_column(String(64))
    #: "<type>:<id>" of the object acted on, e.g. ``employee:12``, ``cycle:3``
    target: Mapped[str] = mapped_column(String(128), default="")
    #: structured details; never passwords or tokens
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")

    actor: Mapped[Employee | None] = relationship("Employee")
