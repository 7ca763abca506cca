"""What can be assigned: the training layer's view of the ActivityKind registry.

Every kind of activity (course, quiz, the drills, …) is an object in ``app.results.kinds``; this
module loops over them for the titles of assignable items, whether an item exists, where a
trainee starts it and where a finished Result is reviewed. It imports no activity package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import literal, select, union_all

from app.extensions import db
from app.results.kinds import ActivityKind, all_kinds, get_kind, kind_keys, kind_label
from app.results.models import Result

__all__ = ["Activity", "catalog", "find", "kind_keys", "kind_label", "parse_key", "performed_by_supervisor",
           "review_url", "start_url", "titles"]


@dataclass(frozen=True)
class Activity:
    kind: str
    id: str
    title: str

    @property
    def key(self) -> str:
        """``kind:id``: the value forms carry."""
        return f"{self.kind}:{self.id}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def parse_key(value: str | None) -> tuple[str, str] | None:
    """``"quiz:phone-quiz"`` → ``("quiz", "phone-quiz")``; None for anything malformed."""
    kind, sep, activity_id = (value or "").partition(":")
    if not sep or get_kind(kind) is None or not activity_id or len(activity_id) > 64:
        return None
    return kind, activity_id


def catalog(kinds: Iterable[str] | None = None) -> list[Activity]:
    """Every active (not retired) item that can be assigned, kind by kind, in catalog order."""
    wanted = set(kinds) if kinds is not None else None
    return [Activity(kind.key, item.id, item.title) for kind in all_kinds()
            if wanted is None or kind.key in wanted for item in kind.active_items()]


def find(kind: str, activity_id: str, *, active_only: bool = True) -> Activity | None:
    """The item, or None when the kind is unknown or the item is not in the catalog."""
    registered = get_kind(kind)
    item = registered.find(activity_id, active_only=active_only) if registered is not None else None
    return Activity(kind, item.id, item.title) if item is not None else None


def titles(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Titles of (kind, id) pairs, retired items included: one ``UNION ALL`` query over the kinds'
    catalogs, however many kinds are present (a kind that overrides ``titles`` asks on its own)."""
    by_kind: dict[str, set[str]] = {}
    for kind, activity_id in pairs:
        by_kind.setdefault(kind, set()).add(activity_id)
    found: dict[tuple[str, str], str] = {}
    parts = []
    for key, ids in sorted(by_kind.items()):
        registered = get_kind(key)
        if registered is None:
            continue
        if type(registered).titles is not ActivityKind.titles:
            found.update({(key, item_id): title for item_id, title in registered.titles(ids).items()})
            continue
        model = registered.catalog
        parts.append(select(literal(key).label("kind"), model.id.label("id"), model.title.label("title"))
                     .where(model.id.in_(sorted(ids))))
    if parts:
        stmt = parts[0] if len(parts) == 1 else union_all(*parts)
        found.update({(row.kind, row.id): row.title for row in db.session.execute(stmt)})
    return found


def start_url(kind: str, activity_id: str) -> str | None:
    """Where the trainee starts (or resumes) the item; for observations, where a supervisor scores it.

    URLs need a request; elsewhere (CLI, services called from tests) this is None.
    """
    registered = get_kind(kind)
    return registered.start_url(activity_id) if registered is not None else None


def review_url(result: Result) -> str | None:
    """The review page of a finished activity (its attempt, run, submission or observation)."""
    registered = get_kind(result.kind)
    return registered.review_url(result.source_id) if registered is not None else None


def performed_by_supervisor(kind: str) -> bool:
    """Observations are scored by a supervisor: the trainee cannot start them."""
    registered = get_kind(kind)
    return bool(registered is not None and registered.performed_by_supervisor)
