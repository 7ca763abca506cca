"""Complaint-record submissions and polite-language answers: graded at once, on one POST."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee

from .models_catalog import ComplaintExercise, LanguagePrompt


class ComplaintSubmission(db.Model):
    __tablename__ = "complaint_submission"
    __table_args__ = (Index("ix_complaint_submission_employee_exercise", "employee_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("complaint_exercise.id"))
    #: the exercise version graded against
    content_hash: Mapped[str] = mapped_column(String(64))
    #: one-time form token: a double submit of the same page finds this row instead of adding one
    token: Mapped[str] = mapped_column(String(32), unique=True)
    #: what the trainee entered: {field code: text, select code: option code}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the rubric's verdict per field (see complaint_grading.grade_complaint)
    grading: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship()
    exercise: Mapped[ComplaintExercise] = relationship()


class LanguageAnswer(db.Model):
    __tablename__ = "language_answer"
    __table_args__ = (Index("ix_language_answer_employee_prompt", "employee_id", "prompt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    prompt_id: Mapped[str] = mapped_column(ForeignKey("language_prompt.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    #: one-time form token (see ComplaintSubmission.token)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    answer: Mapped[str] = mapped_column(Text)
    #: the rubric's verdict (see language_grading.grade_answer)
    grading: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship()
    prompt: Mapped[LanguagePrompt] = relationship()


class DrillClauseMiss(db.Model):
    """A clause a complaint or language answer got wrong (a missed fact or element, a banned
    phrase): the rows behind "clauses the team gets wrong most often" for these two kinds."""

    __tablename__ = "drill_clause_miss"
    __table_args__ = (Index("ix_drill_clause_miss_kind_source", "kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: complaint or language (a ResultKind value)
    kind: Mapped[str] = mapped_column(String(16))
    #: the submission / answer id
    source_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clause.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
