"""What a complaint submission and a language answer share: the graded-submission columns, and
the clauses a submission got wrong (:class:`DrillClauseMiss`).

Each kind's ``models.py`` adds its item column (``exercise_id`` / ``prompt_id``), its answer column
(``answers`` / ``answer``), the item relationship and its own index. ``sort_order`` keeps the
columns in the order the tables were created with (the migrations' order).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee

#: ``sort_order`` of the columns the kinds add: the item column and the answer column
ITEM_COLUMN_ORDER = -8
ANSWER_COLUMN_ORDER = -5


class SubmissionColumns:
    """A graded single-POST submission: who, which item version, the one-time token, the verdict."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-10)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), sort_order=-9)
    #: the item version graded against
    content_hash: Mapped[str] = mapped_column(String(64), sort_order=-7)
    #: one-time form token: a double submit of the same page finds this row instead of adding one
    token: Mapped[str] = mapped_column(String(32), unique=True, sort_order=-6)
    #: the rubric's verdict (see the kind's ``grading.py``)
    grading: Mapped[dict[str, Any]] = mapped_column(JSON, sort_order=-4)
    score: Mapped[float] = mapped_column(Float, sort_order=-3)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, sort_order=-2)

    @declared_attr
    def employee(cls) -> Mapped[Employee]:
        return relationship(Employee)


class DrillClauseMiss(db.Model):
    """A clause a complaint or language answer got wrong (a missed fact or element, a banned
    phrase): the rows behind "clauses the team gets wrong most often" for these two kinds."""

    __tablename__ = "drill_clause_miss"
    __table_args__ = (Index("ix_drill_clause_miss_kind_source", "kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: complaint or language (the exercise's ActivityKind key)
    kind: Mapped[str] = mapped_column(String(16))
    #: the submission / answer id
    source_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clause.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
