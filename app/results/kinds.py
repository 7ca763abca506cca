"""The ActivityKind registry: one registered object per kind of activity (DESIGN §1).

Everything the upper floors (training, appraisal) need to know about a kind lives on its object:
its key (the value stored in ``Assignment.activity_kind`` and ``Result.kind``), its label, the
appraisal component it feeds, its catalog, where a trainee starts it and where a finished result
is reviewed, and the SQL pieces the upper floors compose into their own queries. The upper floors
loop over :func:`all_kinds` and never import an activity package's models.

Each activity package defines its kinds (a subclass of :class:`ActivityKind` each) and registers
them on the app in ``create_app`` (``app/blueprints.py``) with :func:`register_kind`. The registry
is per app, so a test app can carry a kind of its own without touching any other app.

Adding a kind: subclass ``ActivityKind`` in the package that owns the activity, set ``key``,
``label``, ``component`` and ``catalog``, override the URL and SQL hooks that apply, call
``record_result(kind=MyKind.key, …)`` when an activity is finished, register it. Nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from flask import Flask, current_app, has_request_context, url_for
from sqlalchemy import ColumnElement, Select, func, select
from werkzeug.routing import BuildError

from app.extensions import db

if TYPE_CHECKING:
    import datetime as dt

    from app.content.documents import ContentSet

logger = logging.getLogger(__name__)

EXTENSION_KEY = "activity_kinds"

#: the appraisal components, in display order
COMPONENTS = ("theory", "practice", "observation")


@dataclass(frozen=True)
class CatalogItem:
    id: str
    title: str
    retired: bool = False


@dataclass(frozen=True)
class CitingQuestion:
    """A question that cites a clause (for refreshers on changed clauses)."""

    id: str
    lesson_id: str
    #: the prompt as rendered at sync time (sanitised HTML)
    prompt_html: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompletionSQL:
    """How a kind that yields no Result (a course) is completed, as SQL correlated to ``assignment``."""

    completed: ColumnElement[bool]
    started: ColumnElement[bool]
    completed_at: ColumnElement


class ActivityKind:
    """One kind of activity. Subclasses set the class attributes and override the hooks that apply.

    The catalog model must have ``id``, ``title``, ``retired`` and ``position`` columns (every
    synced catalog table has them).
    """

    #: stored in Assignment.activity_kind and Result.kind (at most 16 characters)
    key: ClassVar[str] = ""
    #: the one translated name of the kind
    label: ClassVar[object] = ""
    #: the appraisal component its Results feed (one of COMPONENTS); None: it yields no Result
    component: ClassVar[str | None] = None
    #: the catalog model (id, title, retired, position)
    catalog: ClassVar[type]
    #: order in forms, filters and matrices (lower first)
    position: ClassVar[int] = 100
    #: True when a supervisor, not the trainee, performs it (observations)
    performed_by_supervisor: ClassVar[bool] = False

    # --- catalog ---------------------------------------------------------------------------

    def active_items(self) -> list[CatalogItem]:
        """Every item that can be assigned now (not retired), in catalog order."""
        model = self.catalog
        rows = db.session.execute(select(model.id, model.title).where(model.retired.is_(False))
                                  .order_by(model.position, model.id))
        return [CatalogItem(row.id, row.title) for row in rows]

    def find(self, activity_id: str, *, active_only: bool = True) -> CatalogItem | None:
        model = self.catalog
        row = db.session.execute(select(model.id, model.title, model.retired)
                                 .where(model.id == activity_id)).first()
        if row is None or (active_only and row.retired):
            return None
        return CatalogItem(row.id, row.title, bool(row.retired))

    def titles(self, activity_ids: Iterable[str]) -> dict[str, str]:
        """id → title, retired items included (one query)."""
        ids = sorted(set(activity_ids))
        if not ids:
            return {}
        model = self.catalog
        return {row.id: row.title for row in db.session.execute(select(model.id, model.title)
                                                                .where(model.id.in_(ids)))}

    def cited_clauses(self, activity_id: str) -> list[str]:
        """The clause ids the item teaches or tests (for refreshers and coverage); [] when unknown."""
        return []

    def content_ids(self, content: ContentSet) -> set[str] | None:
        """The item ids defined in the content files (``content check`` of onboarding.yml uses it).

        None: the kind's items do not come from content files (nothing to check them against)."""
        return None

    # --- URLs (need a request, like url_for; None elsewhere) ---------------------------------

    def start_url(self, activity_id: str) -> str | None:
        """Where the trainee starts or resumes the item (for observations: where a supervisor scores it)."""
        return None

    def review_url(self, source_id: int) -> str | None:
        """The review of one finished activity (``Result.source_id``)."""
        return None

    # --- SQL hooks the upper floors compose --------------------------------------------------

    def in_progress_sql(self, employee_id, activity_id) -> ColumnElement[bool] | None:
        """"An unfinished attempt or run exists" for these (correlated) columns; None: no such state."""
        return None

    def completion_sql(self, assignment) -> CompletionSQL | None:
        """For a kind with no Result: how an assignment of it completes. None: its first Result does."""
        return None

    def wrong_clause_counts(self, employee_ids: Iterable[int] | None, since: dt.datetime | None,
                            by_day: bool = False) -> Select | None:
        """``SELECT clause_id, n``: how often these employees got each clause wrong since ``since``.

        ``by_day``: also ``employee_id`` and ``day`` (the UTC date of the answer, :func:`day_of`),
        grouped by them too (what the training read models store)."""
        return None

    def lesson_points(self, employee_ids: Iterable[int] | None, since: dt.datetime | None,
                      by_day: bool = False) -> Select | None:
        """``SELECT employee_id, lesson_id, points, answers``: scored answers per lesson (topic averages).

        ``by_day``: also a ``day`` column, grouped by it too."""
        return None

    def employee_of(self, obj: object) -> int | None:
        """The employee whose training state a just-flushed row of this kind's tables changes
        (an attempt started or finished, a miss recorded …), so the read models refresh that
        employee; None when ``obj`` is not such a row."""
        return None

    def course_items(self, course_ids) -> Select | None:
        """``SELECT course_id, id, title, position``: active items belonging to the courses ``course_ids``
        (a list of ids or a SELECT of them; a refresher's target)."""
        return None

    # --- re-testing changed clauses (app/training/retest.py) --------------------------------

    def questions_citing(self, clause_ids: Iterable[str]) -> list[CitingQuestion]:
        """The active questions of this kind's bank citing any of ``clause_ids``; [] when it has no bank."""
        return []

    def make_retest(self, activity_id: str, title: str, question_ids: list[str], pass_mark: int) -> bool:
        """Create or refresh the item ``activity_id`` that draws exactly ``question_ids`` (a refresher
        quiz on changed clauses). False: this kind cannot make one."""
        return False


def day_of(column) -> ColumnElement:
    """The date part of a timestamp column, in SQL (a ``by_day`` hook's ``day``)."""
    return func.date(column)


# --- the registry --------------------------------------------------------------------------


def register_kind(app: Flask, kind: ActivityKind | type[ActivityKind]) -> ActivityKind:
    """Add a kind to ``app``'s registry; a key may be registered once."""
    instance = kind() if isinstance(kind, type) else kind
    registry: dict[str, ActivityKind] = app.extensions.setdefault(EXTENSION_KEY, {})
    if not instance.key or len(instance.key) > 16 or instance.key in registry:
        raise ValueError(f"activity kind key {instance.key!r} is empty, too long or already registered")
    if instance.component is not None and instance.component not in COMPONENTS:
        raise ValueError(f"activity kind {instance.key!r}: unknown component {instance.component!r}")
    registry[instance.key] = instance
    return instance


def _registry() -> dict[str, ActivityKind]:
    return current_app.extensions.get(EXTENSION_KEY, {})


def all_kinds() -> list[ActivityKind]:
    """Every registered kind, in display order."""
    return sorted(_registry().values(), key=lambda k: (k.position, k.key))


def kind_keys() -> list[str]:
    return [k.key for k in all_kinds()]


def get_kind(key: str) -> ActivityKind | None:
    return _registry().get(key)


def scored_kinds() -> list[ActivityKind]:
    """Kinds whose Results feed an appraisal component."""
    return [k for k in all_kinds() if k.component is not None]


def component_of() -> dict[str, str]:
    """kind key → appraisal component, for the kinds that yield Results."""
    return {k.key: k.component for k in scored_kinds()}


def kind_label(key: str) -> str:
    kind = get_kind(key)
    return str(kind.label) if kind is not None else key


def build_url(endpoint: str, **values) -> str | None:
    """``url_for`` that answers None outside a request or when the endpoint is not registered."""
    if not has_request_context() or endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        logger.warning("cannot build %s with %s", endpoint, values)
        return None
