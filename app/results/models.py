"""The Result table: what the appraisal layer reads, whatever activity produced it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee


class Result(db.Model):
    __tablename__ = "result"
    __table_args__ = (
        #: one finished attempt/run/observation yields exactly one result, however often it is submitted
        UniqueConstraint("kind", "source_id", name="uq_result_kind_source_id"),
        Index("ix_result_employee_finished", "employee_id", "finished_at"),
        Index("ix_result_kind_activity", "kind", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    #: the key of the ActivityKind that produced it (app.results.kinds)
    kind: Mapped[str] = mapped_column(String(16))
    #: the catalog id of the activity (quiz id, scenario id, checklist id …)
    activity_id: Mapped[str] = mapped_column(String(64))
    #: the id of the attempt / run / observation row in its own table
    source_id: Mapped[int] = mapped_column(Integer)
    #: 0-100
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship()


class AttemptWindow(db.Model):
    """A fresh set of attempts at one activity for one employee.

    Attempt limits (a quiz's ``max_attempts``, a drill's policy) count only the attempts made since
    the employee's newest window for that activity: a new assignment of the activity (a refresher,
    a supervisor's re-assignment) opens one, and so does a supervisor's explicit reset. Written by
    the floors above (training); read by the activity packages, which never import training.
    """

    __tablename__ = "attempt_window"
    __table_args__ = (Index("ix_attempt_window_lookup", "employee_id", "kind", "activity_id", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[str] = mapped_column(String(16))
    activity_id: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: "assignment" (a new assignment of the activity) or "reset" (a supervisor gave fresh attempts)
    reason: Mapped[str] = mapped_column(String(16))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
