"""Complaint-record exercises (the catalog row) and the trainees' graded submissions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from ..common.models import CatalogColumns
from ..exercise.models import ANSWER_COLUMN_ORDER, ITEM_COLUMN_ORDER, SubmissionColumns


class ComplaintExercise(CatalogColumns, db.Model):
    __tablename__ = "complaint_exercise"


class ComplaintSubmission(SubmissionColumns, db.Model):
    __tablename__ = "complaint_submission"
    __table_args__ = (Index("ix_complaint_submission_employee_exercise", "employee_id", "exercise_id"),)

    exercise_id: Mapped[str] = mapped_column(ForeignKey("complaint_exercise.id"), sort_order=ITEM_COLUMN_ORDER)
    #: what the trainee entered: {field code: text, select code: option code}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, sort_order=ANSWER_COLUMN_ORDER)

    exercise: Mapped[ComplaintExercise] = relationship()
