"""The drills blueprint and the template helpers its pages share.

The views live in each kind's ``routes.py`` (and ``routes_list.py`` for the home page);
``app/drills/routes.py`` imports them all and re-exports ``bp`` for ``create_app``. A kind adds
the template helpers only its pages use with a context processor of its own.
"""

from __future__ import annotations

from flask import Blueprint, current_app, url_for
from werkzeug.routing import BuildError

from .common.labels import MARK_LABELS, NOT_OBSERVED_REASON_LABELS, OUTCOME_CLASSES, SITUATION_LABELS

bp = Blueprint("drills", __name__, url_prefix="/drills")

LESSON_ENDPOINT = "content.lesson"


def clause_url(lesson_id: str | None, clause_id: str) -> str | None:
    """The clause's anchor in its lesson page, or None while lesson pages are not available."""
    if not lesson_id or LESSON_ENDPOINT not in current_app.view_functions:
        return None
    try:
        return url_for(LESSON_ENDPOINT, lesson_id=lesson_id, _anchor=clause_id)
    except BuildError:
        return None


@bp.context_processor
def drill_helpers() -> dict:
    return {"clause_url": clause_url, "mark_labels": MARK_LABELS,
            "reason_labels": NOT_OBSERVED_REASON_LABELS, "situation_labels": SITUATION_LABELS,
            "outcome_classes": OUTCOME_CLASSES}
