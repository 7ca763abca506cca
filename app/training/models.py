"""Assignments: who must do what by when. Their status is derived, never typed in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
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


# --- read models (app/training/readmodel.py keeps them; never written by hand) -----------------------


class ActivityStatus(db.Model):
    """One row per live assignment: its status before the due date and the employee's scores on the activity.

    ``state`` is what ``status.status_columns`` derives ignoring the date (completed, in_progress,
    not_passed or not_started); "overdue" depends on today, so readers derive it in SQL from
    ``due_date`` (:func:`app.training.readmodel.status_expr`). The score columns cover every Result of
    the employee for the activity, assigned or not. Rebuilt by ``flask readmodels rebuild``.
    """

    __tablename__ = "activity_status"
    __table_args__ = (
        Index("ix_activity_status_employee_due", "employee_id", "due_date"),
    )

    assignment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    employee_id: Mapped[int] = mapped_column(Integer)
    activity_kind: Mapped[str] = mapped_column(String(16))
    activity_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    due_date: Mapped[dt.date] = mapped_column(Date)
    #: the status ignoring the due date: completed, in_progress, not_passed or not_started
    state: Mapped[str] = mapped_column(String(16))
    #: the first passing Result's score since the assignment, else the latest failed one's
    score: Mapped[float | None] = mapped_column(Float)
    result_id: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: an unfinished attempt or run exists (or a course's reading has begun)
    started: Mapped[bool] = mapped_column(Boolean)
    #: every Result of this employee for this activity (since ever, assigned or not)
    attempts: Mapped[int] = mapped_column(Integer)
    best_score: Mapped[float | None] = mapped_column(Float)
    latest_score: Mapped[float | None] = mapped_column(Float)
    #: one of those Results passed (or its kind has no pass mark)
    passed: Mapped[bool] = mapped_column(Boolean)
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class EmployeeClauseMisses(db.Model):
    """How often an employee got a clause wrong on one (UTC) day, every activity kind together.

    A team's "most often wrong" list sums its current members' rows of the window: moving an
    employee to another team moves their history with them, with no row to rewrite.
    """

    __tablename__ = "employee_clause_misses"
    __table_args__ = (
        #: covering index of the team's window read (employee IN team, day >= since): the primary key
        #: orders by clause first, so a read walked every day of the members' history (5 -> 1 ms, 50 members)
        Index("ix_employee_clause_misses_window", "employee_id", "day", "clause_id", "n"),
    )

    employee_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    clause_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class EmployeeTopicPoints(db.Model):
    """An employee's points and scored answers on one lesson's questions on one (UTC) day (topic averages)."""

    __tablename__ = "employee_topic_points"
    __table_args__ = (
        #: covering index of the team's window read, as for employee_clause_misses
        Index("ix_employee_topic_points_window", "employee_id", "day", "lesson_id", "points", "answers"),
    )

    employee_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lesson_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    points: Mapped[float] = mapped_column(Float)
    answers: Mapped[int] = mapped_column(Integer)
