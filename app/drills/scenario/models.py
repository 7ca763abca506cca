"""Scenarios and their runs.

The catalog row (:class:`Scenario`) and its published versions; a run is one row per
play-through, one step per choice, stored as it is made."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Employee

from ..common.models import CatalogColumns


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


class RunState(StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class ScenarioRun(db.Model):
    __tablename__ = "scenario_run"
    __table_args__ = (
        #: at most one open run per employee and scenario (``open_slot`` is NULL once finished,
        #: and NULLs never collide in a unique constraint, on SQLite and PostgreSQL alike)
        UniqueConstraint("employee_id", "scenario_id", "open_slot", name="uq_scenario_run_employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenario.id"), index=True)
    #: the scenario version being played: texts, scores and links all come from it
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id"))
    #: in_progress or finished
    state: Mapped[str] = mapped_column(String(16), default=RunState.IN_PROGRESS.value)
    #: 1 while in progress, NULL once finished (see the unique constraint)
    open_slot: Mapped[int | None] = mapped_column(Integer, default=1)
    #: the node shown now (an ending once finished)
    current_node: Mapped[str] = mapped_column(String(64))
    #: how many choices have been made; the next step gets this position
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: shuffles the order of the choices: drawn at the start, the same order on every reload
    seed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the normalised 0-100 score, set when an ending is reached
    score: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship()
    scenario: Mapped[Scenario] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    steps: Mapped[list[ScenarioStep]] = relationship(order_by="ScenarioStep.position", back_populates="run")

    @property
    def finished(self) -> bool:
        return self.state == RunState.FINISHED.value


class ScenarioStep(db.Model):
    """One choice, written when it is made. The scores are copied so the breakdown never changes."""

    __tablename__ = "scenario_step"
    __table_args__ = (
        #: a step per position: a repeated POST for a position already answered records nothing
        UniqueConstraint("run_id", "position", name="uq_scenario_step_run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scenario_run.id"))
    #: 0-based order of the choice within the run
    position: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(64))
    #: index of the chosen choice in the node's list (in the run's version)
    choice_index: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    #: the best and worst score on offer at this node, for the normalised score
    best: Mapped[int] = mapped_column(Integer)
    worst: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    run: Mapped[ScenarioRun] = relationship(back_populates="steps")
    clauses: Mapped[list[ScenarioStepClause]] = relationship(cascade="all, delete-orphan")

    @property
    def missed(self) -> bool:
        """Whether a better choice was on offer."""
        return self.score < self.best


class ScenarioStepClause(db.Model):
    """The clauses the chosen choice applies: joined with steps for "clauses most often got wrong"."""

    __tablename__ = "scenario_step_clause"

    step_id: Mapped[int] = mapped_column(ForeignKey("scenario_step.id"), primary_key=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clause.id"), primary_key=True, index=True)
