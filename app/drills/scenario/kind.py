"""The role-play scenario as an ActivityKind (registered by ``create_app``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, exists, func, select

from app.content.documents import ContentSet
from app.results.kinds import build_url

from ..common.kind import DrillKind, since_filter
from ..drill_content import load_drills
from .models import RunState, Scenario, ScenarioRun, ScenarioStep, ScenarioStepClause


class ScenarioKind(DrillKind):
    key = "scenario"
    label = _l("Role-play scenario")
    component = "practice"
    catalog = Scenario
    position = 30

    def content_ids(self, content: ContentSet) -> set[str]:
        return {doc.id for doc in load_drills(content).scenarios}

    def start_url(self, activity_id: str) -> str | None:
        return build_url("drills.scenario_intro", scenario_id=activity_id)

    def review_url(self, source_id: int) -> str | None:
        return build_url("drills.run_review", run_id=source_id)

    def in_progress_sql(self, employee_id, activity_id) -> ColumnElement[bool]:
        """An unfinished run of this scenario by this employee exists."""
        return exists().where(ScenarioRun.employee_id == employee_id, ScenarioRun.scenario_id == activity_id,
                              ScenarioRun.state == RunState.IN_PROGRESS.value)

    def employee_of(self, obj) -> int | None:
        """A run started or finished (its steps' misses count once the run is flushed again)."""
        return obj.employee_id if isinstance(obj, ScenarioRun) else None

    def wrong_clause_counts(self, employee_ids, since, by_day: bool = False) -> Select:
        """Chosen choices that were not the best on offer → the clauses those choices cite."""
        stmt = (select(ScenarioStepClause.clause_id, func.count().label("n"))
                .join(ScenarioStep, ScenarioStep.id == ScenarioStepClause.step_id)
                .join(ScenarioRun, ScenarioRun.id == ScenarioStep.run_id)
                .where(ScenarioStep.score < ScenarioStep.best))
        return since_filter(stmt, ScenarioRun.employee_id, ScenarioStep.created_at, employee_ids, since, by_day) \
            .group_by(ScenarioStepClause.clause_id)
