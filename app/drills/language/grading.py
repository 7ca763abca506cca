"""The polite-language rubric: required elements and banned phrases, deterministic.

* Required elements: each lists alternatives (``您好`` / ``你好``); one of them present earns the
  element's points. ``base = 100 × earned points / total points``.
* Banned phrases (the prompt's own plus ``language-prompts/_banned.yml``): each phrase found
  takes its penalty off once, however often it occurs. Allowed phrases that contain it
  (``except:``, e.g. ``有没有`` for ``没有``) are masked out first.
* ``score = clamp(base − penalties, 0, 100)``, rounded to one decimal.

Text is compared after :func:`textnorm.normalise` (NFKC, case and spaces ignored); a phrase never
matches across punctuation, so ``没有，没有`` is two banned words, not an allowed ``有没有``.
"""

from __future__ import annotations

from typing import Any

from ..common.textnorm import contains, mask, normalise
from ..exercise.grading import distinct_clause_ids

MAX_ANSWER_LENGTH = 300


def grade_answer(spec: dict[str, Any], answer: str) -> dict[str, Any]:
    text = normalise(answer[:MAX_ANSWER_LENGTH], keep_breaks=True)
    elements = []
    earned = total = 0
    for element in spec["elements"]:
        found = next((alt for alt in element["any"] if contains(text, alt)), None)
        total += element["points"]
        if found is not None:
            earned += element["points"]
        elements.append({"id": element["id"], "label": element["label"], "found": found, "any": element["any"],
                         "points": element["points"], "earned": element["points"] if found else 0,
                         "cites": element["cites"]})
    hits = []
    for banned in spec["banned"]:
        if contains(mask(text, banned.get("except", [])), banned["phrase"]):
            hits.append({"phrase": banned["phrase"], "penalty": banned["penalty"], "cites": banned["cites"]})
    base = 100 * earned / total if total else 100.0
    penalty = sum(hit["penalty"] for hit in hits)
    score = max(0.0, min(100.0, base - penalty))
    return {"score": round(score, 1), "base": round(base, 1), "penalty": penalty, "earned": earned, "total": total,
            "elements": elements, "banned": hits}


def missed_clauses(grading: dict[str, Any]) -> list[str]:
    """Clause ids behind every missing element and every banned phrase used."""
    return distinct_clause_ids([*(e["cites"] for e in grading["elements"] if not e["found"]),
                                *(hit["cites"] for hit in grading["banned"])])
