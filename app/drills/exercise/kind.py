"""The ActivityKind part the two single-POST exercises share: URLs and the missed-clause counts."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Select, func, select

from app.results.kinds import build_url

from ..common.kind import DrillKind, since_filter
from .base import ExerciseType
from .models import DrillClauseMiss


class ExerciseKind(DrillKind):
    """Subclasses set ``exercise`` (their :class:`ExerciseType`) besides the ActivityKind attributes."""

    exercise: ClassVar[ExerciseType]
    component = "practice"

    def start_url(self, activity_id: str) -> str | None:
        return build_url(self.exercise.form_endpoint, **{self.exercise.form_arg: activity_id})

    def review_url(self, source_id: int) -> str | None:
        return build_url(self.exercise.result_endpoint, **{self.exercise.result_arg: source_id})

    def employee_of(self, obj) -> int | None:
        """A clause miss recorded."""
        return obj.employee_id if isinstance(obj, DrillClauseMiss) else None

    def wrong_clause_counts(self, employee_ids, since, by_day: bool = False) -> Select:
        """The clauses behind missed facts / elements, wrong selects and banned phrases used."""
        stmt = (select(DrillClauseMiss.clause_id, func.count().label("n"))
                .where(DrillClauseMiss.kind == self.exercise.kind_key))
        return since_filter(stmt, DrillClauseMiss.employee_id, DrillClauseMiss.recorded_at, employee_ids, since, by_day) \
            .group_by(DrillClauseMiss.clause_id)
