"""Polite-language prompts (the catalog row) and the trainees' graded answers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from ..common.models import CatalogColumns
from ..exercise.models import ANSWER_COLUMN_ORDER, ITEM_COLUMN_ORDER, SubmissionColumns


class LanguagePrompt(CatalogColumns, db.Model):
    __tablename__ = "language_prompt"


class LanguageAnswer(SubmissionColumns, db.Model):
    __tablename__ = "language_answer"
    __table_args__ = (Index("ix_language_answer_employee_prompt", "employee_id", "prompt_id"),)

    prompt_id: Mapped[str] = mapped_column(ForeignKey("language_prompt.id"), sort_order=ITEM_COLUMN_ORDER)
    answer: Mapped[str] = mapped_column(Text, sort_order=ANSWER_COLUMN_ORDER)

    prompt: Mapped[LanguagePrompt] = relationship()
