"""Assignments: who must do what by when. Their status is derived, never typed in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee


class AssignmentSource(StrEnum):
    MANUAL = "manual"
    ONBOARDING = "onboarding"
    REFRESHER = "refresher"
    #: a refresher on clauses a standard change touched (app/training/retest.py)
    RETEST = "retest"
    #: made by app/certificates before a certificate expires
    RENEWAL = "renewal"


class Assignment(db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_employee_due", "employee_id", "due_date"),
        Index("ix_assignment_activity", "activity_kind", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    #: the key of a registered ActivityKind (app.results.kinds), the same as Result.kind
    activity_kind: Mapped[str] = mapped_column(String(16))
    #: the catalog id of the course, quiz, scenario, exercise, prompt set or checklist
    activity_id: Mapped[str] = mapped_column(String(64))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    #: manual, onboarding (from the plan) or refresher (one-click from the dashboard)
    source: Mapped[str] = mapped_column(String(16), default=AssignmentSource.MANUAL.value)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    #: set when a supervisor withdraws it; withdrawn assignments count nowhere
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assigned_by: Mapped[Employee | None] = relationship(foreign_keys=[assigned_by_id])


class RetestAssignment(db.Model):
    """One employee's refresher for one confirmed change set (at most one: the unique key makes a
    second confirmation, or two at once, create nothing twice), and its outcome once known."""

    __tablename__ = "retest_assignment"
    __table_args__ = (UniqueConstraint("change_set_id", "employee_id", name="uq_retest_assignment_set_employee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_set_id: Mapped[int] = mapped_column(ForeignKey("content_change_set.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), unique=True)
    #: the courses that contain the changed lessons (``retest_passed``/``retest_missed`` name each)
    course_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: set once, when the refresher was completed (retest_passed sent)
    passed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: set once, when its due date passed unfinished (retest_missed sent)
    missed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    assignment: Mapped[Assignment] = relationship()
    employee: Mapped[Employee] = relationship()


class OnboardingPlan(db.Model):
    """Marks that a new hire's onboarding plan was made (once per employee, whatever happens later).

    The plan's items are the employee's assignments with ``source = onboarding``; this row only
    records when, from which hire date and from which version of ``onboarding.yml`` they came, so
    that creating the plan again (a second signal, a re-run of the demo seed) changes nothing.
    """

    __tablename__ = "onboarding_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), unique=True)
    #: the hire date the due dates were counted from
    hire_date: Mapped[dt.date] = mapped_column(Date)
    #: sha256 of the onboarding.yml text the plan was made from
    template_hash: Mapped[str] = mapped_column(String(64), default="")
    #: null when the plan was made automatically (employee created or imported)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])


class NotificationKind(StrEnum):
    NEW = "new"  # an assignment was made
    DUE_SOON = "due_soon"  # due within two days and not completed
    OVERDUE = "overdue"  # past its due date and not completed


class Notification(db.Model):
    """An in-app message to one employee about one assignment; at most one per kind and assignment."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("assignment_id", "kind", name="uq_notification_assignment_id_kind"),
        Index("ix_notification_employee_read", "employee_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"))
    #: a NotificationKind value; the text is composed (and translated) when shown
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    assignment: Mapped[Assignment] = relationship()
