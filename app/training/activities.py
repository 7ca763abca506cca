"""What can be assigned: one adapter over the catalog of every activity kind.

The training layer sits above content, quizzes and drills (DESIGN §1), and this module is its
only door to them: the titles of assignable items, whether an item exists, where a trainee
starts it, where a finished Result is reviewed, and the SQL test for "an unfinished attempt or
run exists" that the derived status uses. Drills are reached through ``app.drills.registry``
only, except for the scenario run table (the registry has no "unfinished" hook).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, select
from werkzeug.routing import BuildError

from app.content.models import Course
from app.drills import registry as drill_registry
from app.drills.models import RunState, ScenarioRun
from app.extensions import db
from app.quizzes.models import Attempt, AttemptState, Quiz
from app.results.models import Result
from app.training.models import ActivityKind

logger = logging.getLogger(__name__)

KIND_LABELS = {
    ActivityKind.COURSE.value: _l("Course"),
    ActivityKind.QUIZ.value: _l("Quiz"),
    ActivityKind.SCENARIO.value: _l("Role-play scenario"),
    ActivityKind.COMPLAINT.value: _l("Complaint-record exercise"),
    ActivityKind.LANGUAGE.value: _l("Polite-language drill"),
    ActivityKind.OBSERVATION.value: _l("Observation checklist"),
}

#: the order kinds are offered in forms and shown in matrices
KIND_ORDER = [kind.value for kind in ActivityKind]


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


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
    if not sep or kind not in KIND_LABELS or not activity_id or len(activity_id) > 64:
        return None
    return kind, activity_id


def _catalog_model(kind: str):
    if kind == ActivityKind.COURSE.value:
        return Course
    if kind == ActivityKind.QUIZ.value:
        return Quiz
    return drill_registry.get_kind(kind).catalog


def catalog(kinds: Iterable[str] | None = None) -> list[Activity]:
    """Every active (not retired) item that can be assigned, kind by kind, in catalog order."""
    wanted = list(kinds) if kinds is not None else KIND_ORDER
    items: list[Activity] = []
    for kind in KIND_ORDER:
        if kind not in wanted:
            continue
        model = _catalog_model(kind)
        rows = db.session.execute(select(model.id, model.title).where(model.retired.is_(False))
                                  .order_by(model.position, model.id))
        items.extend(Activity(kind, row.id, row.title) for row in rows)
    return items


def find(kind: str, activity_id: str, *, active_only: bool = True) -> Activity | None:
    """The item, or None when the kind is unknown or the item is not in the catalog."""
    if kind not in KIND_LABELS:
        return None
    model = _catalog_model(kind)
    row = db.session.execute(select(model.id, model.title, model.retired).where(model.id == activity_id)).first()
    if row is None or (active_only and row.retired):
        return None
    return Activity(kind, row.id, row.title)


def titles(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Titles of (kind, id) pairs, retired items included: one query per kind present."""
    by_kind: dict[str, set[str]] = {}
    for kind, activity_id in pairs:
        if kind in KIND_LABELS:
            by_kind.setdefault(kind, set()).add(activity_id)
    found: dict[tuple[str, str], str] = {}
    for kind, ids in by_kind.items():
        model = _catalog_model(kind)
        for row in db.session.execute(select(model.id, model.title).where(model.id.in_(sorted(ids)))):
            found[(kind, row.id)] = row.title
    return found


def _url(endpoint: str, **values) -> str | None:
    if endpoint not in current_app.view_functions or not has_request_context():
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        logger.warning("cannot build %s with %s", endpoint, values)
        return None


def start_url(kind: str, activity_id: str) -> str | None:
    """Where the trainee starts (or resumes) the item; for observations, where a supervisor scores it.

    URLs need a request; elsewhere (CLI, services called from tests) this is None.
    """
    if kind == ActivityKind.COURSE.value:
        return _url("content.course", course_id=activity_id)
    if kind == ActivityKind.QUIZ.value:  # the quiz list holds the start buttons (and the rules)
        url = _url("quizzes.quiz_list")
        return f"{url}#quiz-{activity_id}" if url else None
    if not has_request_context():
        return None
    try:
        return drill_registry.get_kind(kind).start_url(activity_id)
    except (KeyError, BuildError):
        return None


def review_url(result: Result) -> str | None:
    """The review page of a finished activity (its attempt, run, submission or observation)."""
    if result.kind == ActivityKind.QUIZ.value:
        return _url("quizzes.review", attempt_id=result.source_id)
    drill = drill_registry.kind_for_result(result.kind)
    if drill is None or not has_request_context():
        return None
    try:
        return drill.review_url(result.source_id)
    except BuildError:
        return None


def performed_by_supervisor(kind: str) -> bool:
    """Observations are scored by a supervisor: the trainee cannot start them."""
    if kind in (ActivityKind.COURSE.value, ActivityKind.QUIZ.value):
        return False
    try:
        return bool(drill_registry.get_kind(kind).observed_by_supervisor)
    except KeyError:
        return False


def in_progress_sql(assignment) -> dict[str, ColumnElement[bool]]:
    """Per kind, "an unfinished attempt or run exists" as SQL correlated to ``assignment``.

    Kinds graded on a single submit (complaint, language, observation) have no unfinished state;
    courses are handled by the status module (some lessons read).
    """
    quiz = exists().where(Attempt.employee_id == assignment.employee_id, Attempt.quiz_id == assignment.activity_id,
                          Attempt.state == AttemptState.IN_PROGRESS.value)
    scenario = exists().where(ScenarioRun.employee_id == assignment.employee_id,
                              ScenarioRun.scenario_id == assignment.activity_id,
                              ScenarioRun.state == RunState.IN_PROGRESS.value)
    return {ActivityKind.QUIZ.value: quiz, ActivityKind.SCENARIO.value: scenario}
