"""The polite-language rubric: required elements and banned phrases, deterministic.

* Required elements: each lists alternatives (``您好`` / ``你好``); one of them present earns the
  element's points (placeholders ``{service_centre}`` and ``{number}``, and the ``not_in`` words an
  alternative must not be part of: :mod:`.matching`). ``base = 100 × earned points / total points``.
* Banned phrases (``language-prompts/_banned.yml`` plus the prompt's own): each phrase found
  takes its penalty off once, however often it occurs. Allowed phrases that contain it
  (the entry's ``except:``, e.g. ``有没有`` for ``没有``, and the prompt's ``allowed:``, e.g. a
  truthful ``还没有确切的时间``) are masked out first.
* ``score = clamp(base − penalties, 0, 100)``, rounded to one decimal.

Text is compared after :func:`textnorm.normalise` (NFKC, case and spaces ignored); a phrase never
matches across punctuation, so ``没有，没有`` is two banned words, not an allowed ``有没有``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context

from app.config import DEFAULT_SERVICE_CENTRE
from app.ui.formatting import round_score

from ..common.textnorm import contains, mask, normalise
from ..exercise.grading import distinct_clause_ids
from .matching import display, find_element

MAX_ANSWER_LENGTH = 300


def service_centre() -> str:
    """The configured service-centre name (the standards' placeholder outside an app)."""
    if has_app_context():
        return current_app.config.get("COMPANY_SERVICE_CENTRE") or DEFAULT_SERVICE_CENTRE
    return DEFAULT_SERVICE_CENTRE


def grade_answer(spec: dict[str, Any], answer: str, *, centre: str | None = None) -> dict[str, Any]:
    text = normalise(answer[:MAX_ANSWER_LENGTH], keep_breaks=True)
    centre = centre or service_centre()
    elements = []
    earned = total = 0
    for element in spec["elements"]:
        found = find_element(text, element["any"], element.get("not_in", []), centre)
        total += element["points"]
        if found is not None:
            earned += element["points"]
        elements.append({"id": element["id"], "label": element["label"], "found": found,
                         "any": [display(alt, centre) for alt in element["any"]],
                         "points": element["points"], "earned": element["points"] if found else 0,
                         "cites": element["cites"]})
    hits = []
    allowed = mask(text, spec.get("allowed", []))
    for banned in spec["banned"]:
        if contains(mask(allowed, banned.get("except", [])), banned["phrase"]):
            hits.append({"phrase": banned["phrase"], "penalty": banned["penalty"], "cites": banned["cites"]})
    base = 100 * earned / total if total else 100.0
    penalty = sum(hit["penalty"] for hit in hits)
    score = max(0.0, min(100.0, base - penalty))
    return {"score": round_score(score), "base": round_score(base), "penalty": penalty, "earned": earned, "total": total,
            "elements": elements, "banned": hits}


def missed_clauses(grading: dict[str, Any]) -> list[str]:
    """Clause ids behind every missing element and every banned phrase used."""
    return distinct_clause_ids([*(e["cites"] for e in grading["elements"] if not e["found"]),
                                *(hit["cites"] for hit in grading["banned"])])
