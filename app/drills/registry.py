"""Compatibility module over the drill kinds (``app/drills/kinds.py``), for the callers of the
former drill-kind registry (app/training). To be deleted when they use ``app.results.kinds``.

    for kind in all_kinds():
        kind.name, kind.label, kind.result_kind, kind.catalog, kind.observed_by_supervisor
        kind.active_items()            -> [CatalogItem(id, title)]
        kind.start_url(item_id)        -> where a trainee starts (or a supervisor opens) the item
        kind.review_url(source_id)     -> the review of a finished run / submission / observation
        kind.wrong_clause_counts(employee_ids, since) -> SELECT clause_id, n
    get_kind("scenario"), kind_for_result(ResultKind.LANGUAGE)

URL functions need a request context (None elsewhere).
"""

from __future__ import annotations

from app.results.kinds import ActivityKind, CatalogItem
from app.results.models import ResultKind

from .common.labels import SECTION_LABELS
from .kinds import DRILL_KINDS

__all__ = ["CatalogItem", "DrillKind", "all_kinds", "get_kind", "kind_for_result"]


class DrillKind:
    """The former registry's interface, answered by one ActivityKind instance."""

    def __init__(self, kind: ActivityKind) -> None:
        self.kind = kind
        self.name = kind.key
        self.label = SECTION_LABELS[kind.key]
        self.result_kind = ResultKind(kind.key)
        self.catalog = kind.catalog
        self.observed_by_supervisor = kind.performed_by_supervisor

    def active_items(self) -> list[CatalogItem]:
        return self.kind.active_items()

    def start_url(self, item_id: str) -> str | None:
        return self.kind.start_url(item_id)

    def review_url(self, source_id: int) -> str | None:
        return self.kind.review_url(source_id)

    def wrong_clause_counts(self, employee_ids, since):
        return self.kind.wrong_clause_counts(employee_ids, since)


_REGISTRY: dict[str, DrillKind] = {cls.key: DrillKind(cls()) for cls in DRILL_KINDS}


def all_kinds() -> list[DrillKind]:
    return list(_REGISTRY.values())


def get_kind(name: str) -> DrillKind:
    return _REGISTRY[name]


def kind_for_result(kind: ResultKind | str) -> DrillKind | None:
    return _REGISTRY.get(str(kind))
