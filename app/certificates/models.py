"""Certification rules (synced from courses.yml) and the certificates issued under them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.content.models import Course
from app.extensions import db
from app.people.models import Employee
from app.training.models import Assignment


class CertificationRule(db.Model):
    """A course's ``certificate:`` rule as synced from content (one per course; retired, never deleted)."""

    __tablename__ = "certification_rule"

    #: the course's id (one rule per course)
    id: Mapped[str] = mapped_column(ForeignKey("course.id"), primary_key=True)
    #: ``[[kind, activity_id], …]``: every one must be passed (defaults resolved at sync time)
    activities: Mapped[list] = mapped_column(JSON)
    #: the combined score (mean of the best passing score of each activity) must reach this, 0-100
    min_score: Mapped[int] = mapped_column(Integer, default=0)
    valid_months: Mapped[int] = mapped_column(Integer, default=12)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship()


class Certificate(db.Model):
    """One issued certificate. Its status (valid / expired / revoked) is derived from the dates.

    ``current_slot`` is 1 on the newest certificate of an (employee, course) and NULL on the ones it
    superseded: the unique constraint over (employee, course, current_slot) makes a duplicate issue
    (a double submit, two concurrent requests) fail instead of writing two current certificates,
    on SQLite and PostgreSQL alike (NULLs are distinct).
    """

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("employee_id", "course_id", "current_slot", name="uq_certificate_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: human-readable and unique: EA-<year>-<id, six digits>
    number: Mapped[str] = mapped_column(String(32), unique=True)
    #: secrets.token_urlsafe(24): 192 random bits, the only key of the public verification page
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    #: the rule's combined score (mean of the best passing scores), one decimal
    score: Mapped[float] = mapped_column(Float)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: the last day on which the certificate is valid
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: the course's content hash when it was issued (which version of the standards was certified)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: 1 on the current certificate of (employee, course), NULL once superseded
    current_slot: Mapped[int | None] = mapped_column(Integer, default=1)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    #: the assignment made to renew it (at most one: never two renewal assignments)
    renewal_assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    #: set by :func:`app.certificates.services.mark_needs_renewal` (e.g. a missed refresher)
    needs_renewal_since: Mapped[dt.datetime | None] = mapped_column(DateTime)
    needs_renewal_reason: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    course: Mapped[Course] = relationship()
    revoked_by: Mapped[Employee | None] = relationship(foreign_keys=[revoked_by_id])
    renewal_assignment: Mapped[Assignment | None] = relationship()
