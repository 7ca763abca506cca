"""The observation checklist as an ActivityKind (registered by ``create_app``): performed by a supervisor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.content.documents import ContentSet
from app.results.kinds import build_url

from ..common.kind import DrillKind, since_filter
from ..drill_content import load_drills
from .models import Checklist, Mark, Observation, ObservationMark, ObservationMarkClause


class ObservationKind(DrillKind):
    key = "observation"
    label = _l("Observation checklist")
    component = "observation"
    catalog = Checklist
    position = 60
    performed_by_supervisor = True

    def content_ids(self, content: ContentSet) -> set[str]:
        return {doc.id for doc in load_drills(content).checklists}

    def start_url(self, activity_id: str) -> str | None:
        """Where a supervisor picks the team member to observe against this checklist."""
        return build_url("drills.observation_pick", checklist=activity_id)

    def review_url(self, source_id: int) -> str | None:
        return build_url("drills.observation_view", observation_id=source_id)

    def employee_of(self, obj) -> int | None:
        """An observation written or changed."""
        return obj.employee_id if isinstance(obj, Observation) else None

    def wrong_clause_counts(self, employee_ids, since, by_day: bool = False) -> Select:
        """Items marked "fail" → the clauses they cite."""
        stmt = (select(ObservationMarkClause.clause_id, func.count().label("n"))
                .join(ObservationMark, ObservationMark.id == ObservationMarkClause.mark_id)
                .join(Observation, Observation.id == ObservationMark.observation_id)
                .where(ObservationMark.mark == Mark.FAIL.value))
        return since_filter(stmt, Observation.employee_id, Observation.observed_at, employee_ids, since, by_day) \
            .group_by(ObservationMarkClause.clause_id)
