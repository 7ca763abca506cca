"""The drill-kind registry: one small class per kind, as question types are (DESIGN §3).

Higher layers (assignments, team dashboards) use only this module to work with drills:

    for kind in all_kinds():
        kind.name, kind.label, kind.result_kind
        kind.active_items()            -> [CatalogItem(id, title)]
        kind.start_url(item_id)        -> where a trainee starts (or a supervisor opens) the item
        kind.review_url(source_id)     -> the review of a finished run / submission / observation
                                          (source_id = Result.source_id)
    get_kind("scenario"), kind_for_result(ResultKind.LANGUAGE)
    clause_wrong_counts(employee_ids=[...], since=...) -> [(clause_id, count)], most missed first

URL functions need an app (and request) context, like ``url_for``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.extensions import db
from app.results.models import ResultKind

from .models_catalog import Checklist, ComplaintExercise, LanguagePrompt, Scenario
from .models_exercises import ComplaintSubmission, DrillClauseMiss, LanguageAnswer
from .models_observation import Mark, Observation, ObservationMark, ObservationMarkClause
from .models_scenario import ScenarioRun, ScenarioStep, ScenarioStepClause


@dataclass(frozen=True)
class CatalogItem:
    id: str
    title: str


class DrillKind:
    """Base class; subclasses set the class attributes and the two URL methods."""

    name: ClassVar[str] = ""
    label: ClassVar[object] = ""
    result_kind: ClassVar[ResultKind]
    catalog: ClassVar[type]
    #: True when a supervisor, not the trainee, performs it (observations)
    observed_by_supervisor: ClassVar[bool] = False

    def active_items(self) -> list[CatalogItem]:
        rows = db.session.execute(select(self.catalog.id, self.catalog.title)
                                  .where(self.catalog.retired.is_(False))
                                  .order_by(self.catalog.position, self.catalog.id))
        return [CatalogItem(row.id, row.title) for row in rows]

    def start_url(self, item_id: str) -> str:
        raise NotImplementedError

    def review_url(self, source_id: int) -> str:
        raise NotImplementedError

    def wrong_clause_counts(self, employee_ids: Iterable[int] | None, since: dt.datetime | None) -> Select:
        """``SELECT clause_id, count`` of the clauses this kind's activities got wrong."""
        raise NotImplementedError


_REGISTRY: dict[str, DrillKind] = {}


def register(cls: type[DrillKind]) -> type[DrillKind]:
    if not cls.name or cls.name in _REGISTRY:
        raise ValueError(f"drill kind name {cls.name!r} is empty or already registered")
    _REGISTRY[cls.name] = cls()
    return cls


def all_kinds() -> list[DrillKind]:
    return list(_REGISTRY.values())


def get_kind(name: str) -> DrillKind:
    return _REGISTRY[name]


def kind_for_result(kind: ResultKind | str) -> DrillKind | None:
    return next((k for k in _REGISTRY.values() if k.result_kind.value == str(kind)), None)


def _filter(stmt: Select, employee_column, time_column, employee_ids, since) -> Select:
    if employee_ids is not None:
        stmt = stmt.where(employee_column.in_(list(employee_ids)))
    if since is not None:
        stmt = stmt.where(time_column >= since)
    return stmt


@register
class ScenarioKind(DrillKind):
    name = "scenario"
    label = _l("Role-play scenarios")
    result_kind = ResultKind.SCENARIO
    catalog = Scenario

    def start_url(self, item_id: str) -> str:
        return url_for("drills.scenario_intro", scenario_id=item_id)

    def review_url(self, source_id: int) -> str:
        return url_for("drills.run_review", run_id=source_id)

    def wrong_clause_counts(self, employee_ids, since) -> Select:
        """Chosen choices that were not the best on offer → the clauses those choices cite."""
        stmt = (select(ScenarioStepClause.clause_id, func.count().label("n"))
                .join(ScenarioStep, ScenarioStep.id == ScenarioStepClause.step_id)
                .join(ScenarioRun, ScenarioRun.id == ScenarioStep.run_id)
                .where(ScenarioStep.score < ScenarioStep.best))
        return _filter(stmt, ScenarioRun.employee_id, ScenarioStep.created_at, employee_ids, since) \
            .group_by(ScenarioStepClause.clause_id)


class _MissKind(DrillKind):
    def wrong_clause_counts(self, employee_ids, since) -> Select:
        stmt = (select(DrillClauseMiss.clause_id, func.count().label("n"))
                .where(DrillClauseMiss.kind == self.result_kind.value))
        return _filter(stmt, DrillClauseMiss.employee_id, DrillClauseMiss.recorded_at, employee_ids, since) \
            .group_by(DrillClauseMiss.clause_id)


@register
class ComplaintKind(_MissKind):
    name = "complaint"
    label = _l("Complaint-record exercises")
    result_kind = ResultKind.COMPLAINT
    catalog = ComplaintExercise
    source = ComplaintSubmission

    def start_url(self, item_id: str) -> str:
        return url_for("drills.complaint_form", exercise_id=item_id)

    def review_url(self, source_id: int) -> str:
        return url_for("drills.complaint_result", submission_id=source_id)


@register
class LanguageKind(_MissKind):
    name = "language"
    label = _l("Polite-language drills")
    result_kind = ResultKind.LANGUAGE
    catalog = LanguagePrompt
    source = LanguageAnswer

    def start_url(self, item_id: str) -> str:
        return url_for("drills.language_form", prompt_id=item_id)

    def review_url(self, source_id: int) -> str:
        return url_for("drills.language_result", answer_id=source_id)


@register
class ObservationKind(DrillKind):
    name = "observation"
    label = _l("Observation checklists")
    result_kind = ResultKind.OBSERVATION
    catalog = Checklist
    observed_by_supervisor = True

    def start_url(self, item_id: str) -> str:
        return url_for("drills.observation_pick", checklist=item_id)

    def review_url(self, source_id: int) -> str:
        return url_for("drills.observation_view", observation_id=source_id)

    def wrong_clause_counts(self, employee_ids, since) -> Select:
        """Items marked "fail" → the clauses they cite."""
        stmt = (select(ObservationMarkClause.clause_id, func.count().label("n"))
                .join(ObservationMark, ObservationMark.id == ObservationMarkClause.mark_id)
                .join(Observation, Observation.id == ObservationMark.observation_id)
                .where(ObservationMark.mark == Mark.FAIL.value))
        return _filter(stmt, Observation.employee_id, Observation.observed_at, employee_ids, since) \
            .group_by(ObservationMarkClause.clause_id)


def clause_wrong_counts(employee_ids: Iterable[int] | None = None, since: dt.datetime | None = None,
                        kinds: Iterable[str] | None = None) -> list[tuple[str, int]]:
    """How often each clause was got wrong in drills (all kinds, or ``kinds``), most first.

    ``employee_ids`` limits it to some people (a team); ``since`` to recent activity.
    """
    ids = list(employee_ids) if employee_ids is not None else None
    totals: Counter[str] = Counter()
    for kind in all_kinds():
        if kinds is not None and kind.name not in kinds:
            continue
        for clause_id, count in db.session.execute(kind.wrong_clause_counts(ids, since)):
            totals[clause_id] += count
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))
