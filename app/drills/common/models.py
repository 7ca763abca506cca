"""Drill catalog rows synced from content/standards: scenarios, exercises, prompts, checklists.

Like the lesson catalog, rows are never deleted: an item that left the content is ``retired``,
so runs, submissions and observations that point at it keep their meaning. Texts are rendered to
sanitised HTML at sync time and kept in ``spec`` (JSON), which is what pages and graders read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class CatalogColumns:
    """Columns every drill catalog table has."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the rendered item (texts as sanitised HTML, answer keys, quoted clauses): see the *_payload builders
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_path: Mapped[str] = mapped_column(String(255), default="")
    #: sha256 of ``spec``; a changed hash means the item changed
    content_hash: Mapped[str] = mapped_column(String(64))
    #: order of the files in their folder, for lists
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Scenario(CatalogColumns, db.Model):
    """A branching role-play. ``spec`` is the current version's; runs use :class:`ScenarioVersion`."""

    __tablename__ = "scenario"


class ScenarioVersion(db.Model):
    """One published version of a scenario: runs keep pointing at the version they were played on,
    so a content change never breaks a run in progress or rewrites a finished run's review."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "content_hash", name="uq_scenario_version_scenario_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenario.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class ComplaintExercise(CatalogColumns, db.Model):
    __tablename__ = "complaint_exercise"


class LanguagePrompt(CatalogColumns, db.Model):
    __tablename__ = "language_prompt"


class Checklist(CatalogColumns, db.Model):
    __tablename__ = "checklist"
