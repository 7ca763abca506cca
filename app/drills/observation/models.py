"""Checklists (the catalog row) and observations: a supervisor scores one employee against a
checklist, item by item."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee

from ..common.models import CatalogColumns


class Checklist(CatalogColumns, db.Model):
    __tablename__ = "checklist"


class Mark(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_OBSERVED = "not_observed"


class NotObservedReason(StrEnum):
    """Why an item was marked "not observed" (required for such items)."""

    #: the situation did not come up while observing (no visitor, no call)
    NO_OCCASION = "no_occasion"
    #: the item does not apply to this employee (the other sex's item, no skirt, no work pass)
    NOT_APPLICABLE = "not_applicable"
    #: the observer could not see or hear it from where they stood
    OUT_OF_VIEW = "out_of_view"
    #: another reason, explained in the note
    OTHER = "other"


class Observation(db.Model):
    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[str] = mapped_column(ForeignKey("checklist.id"), index=True)
    #: the checklist version used (the item texts are copied into the marks)
    content_hash: Mapped[str] = mapped_column(String(64))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    #: one-time form token: a double submit finds this row; two observers never share one
    token: Mapped[str] = mapped_column(String(32), unique=True)
    passed: Mapped[int] = mapped_column(Integer)
    observed: Mapped[int] = mapped_column(Integer)
    #: passed / observed × 100
    score: Mapped[float] = mapped_column(Float)
    observed_at: Mapped[dt.datetime] = mapped_column(DateTime)

    checklist: Mapped[Checklist] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    observer: Mapped[Employee] = relationship(foreign_keys=[observer_id])
    marks: Mapped[list[ObservationMark]] = relationship(order_by="ObservationMark.position",
                                                        back_populates="observation", cascade="all, delete-orphan")


class ObservationMark(db.Model):
    __tablename__ = "observation_mark"
    __table_args__ = (UniqueConstraint("observation_id", "item_id", name="uq_observation_mark_observation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"))
    item_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    #: the item's text as it was when observed
    text: Mapped[str] = mapped_column(Text)
    #: pass, fail or not_observed
    mark: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    #: a NotObservedReason for a not-observed item, "" otherwise (and on marks saved before it existed)
    not_observed_reason: Mapped[str] = mapped_column(String(32), default="", server_default="")

    observation: Mapped[Observation] = relationship(back_populates="marks")
    clauses: Mapped[list[ObservationMarkClause]] = relationship(cascade="all, delete-orphan")


class ObservationMarkClause(db.Model):
    """The clauses an item cites, per mark: joined with failed marks for "clauses most often missed"."""

    __tablename__ = "observation_mark_clause"

    mark_id: Mapped[int] = mapped_column(ForeignKey("observation_mark.id"), primary_key=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clause.id"), primary_key=True, index=True)
