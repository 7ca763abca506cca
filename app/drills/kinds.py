"""The drill kinds as ActivityKinds (interim adapter over ``registry``; replaced by the per-kind packages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists

from app.content.documents import ContentSet
from app.results.kinds import ActivityKind, build_url

from . import registry
from .drill_content import load_drills
from .models import RunState, ScenarioRun


class _DrillKind(ActivityKind):
    component = "practice"
    _content_attr = ""
    _start: tuple[str, str] = ("", "")
    _review: tuple[str, str] = ("", "")

    def content_ids(self, content: ContentSet) -> set[str]:
        return {d.id for d in getattr(load_drills(content), self._content_attr)}

    def start_url(self, activity_id):
        return build_url(self._start[0], **{self._start[1]: activity_id})

    def review_url(self, source_id):
        return build_url(self._review[0], **{self._review[1]: source_id})

    def wrong_clause_counts(self, employee_ids, since):
        return registry.get_kind(self.key).wrong_clause_counts(employee_ids, since)


class ScenarioKind(_DrillKind):
    key = "scenario"
    label = _l("Role-play scenario")
    catalog = registry.ScenarioKind.catalog
    position = 30
    _content_attr = "scenarios"
    _start = ("drills.scenario_intro", "scenario_id")
    _review = ("drills.run_review", "run_id")

    def in_progress_sql(self, employee_id, activity_id):
        return exists().where(ScenarioRun.employee_id == employee_id, ScenarioRun.scenario_id == activity_id,
                              ScenarioRun.state == RunState.IN_PROGRESS.value)


class ComplaintKind(_DrillKind):
    key = "complaint"
    label = _l("Complaint-record exercise")
    catalog = registry.ComplaintKind.catalog
    position = 40
    _content_attr = "complaints"
    _start = ("drills.complaint_form", "exercise_id")
    _review = ("drills.complaint_result", "submission_id")


class LanguageKind(_DrillKind):
    key = "language"
    label = _l("Polite-language drill")
    catalog = registry.LanguageKind.catalog
    position = 50
    _content_attr = "prompts"
    _start = ("drills.language_form", "prompt_id")
    _review = ("drills.language_result", "answer_id")


class ObservationKind(_DrillKind):
    key = "observation"
    label = _l("Observation checklist")
    component = "observation"
    catalog = registry.ObservationKind.catalog
    position = 60
    performed_by_supervisor = True
    _content_attr = "checklists"
    _start = ("drills.observation_pick", "checklist")
    _review = ("drills.observation_view", "observation_id")


DRILL_KINDS = (ScenarioKind, ComplaintKind, LanguageKind, ObservationKind)
