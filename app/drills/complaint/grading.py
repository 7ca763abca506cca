"""The complaint-record rubric: deterministic, explainable, no external service.

It rewards *recording*, not copying:

* Each of the five form fields carries its weight (rules.FORM_FIELDS) split evenly over its key
  facts; a fact counts when any of its synonyms appears in the answer (compared after
  :func:`textnorm.normalise`, so spaces, punctuation and full-width forms do not matter).
* A field longer than its length budget (letters and digits, stated in the exercise and shown on
  the form) scores 0: it is a copy, not a record.
* A field that carries the key facts of other fields loses a third of its weight for each such
  fact beyond the first (one shared detail, such as the flat number next to the phone number,
  is natural).
* Severity and the consequences that follow from it (who gets it and by when, the handling
  deadline, who approves more time, the callback, the channel's own time limit) must match the
  standard for the exercise's true severity and channel: all or nothing each.

The verdict is JSON-able and stored with the submission, so the review never changes.
"""

from __future__ import annotations

from typing import Any

from app.ui.formatting import round_score

from ..common.textnorm import normalise
from ..exercise.grading import distinct_clause_ids
from .rules import FORM_FIELDS, SELECTS

#: longest text kept per field
MAX_FIELD_LENGTH = 1000
#: facts of other fields a field may carry without penalty
BLEED_TOLERANCE = 1
#: share of a field's weight lost per further foreign fact
BLEED_PENALTY = 1 / 3


def _hit(synonyms: list[str], text: str) -> str | None:
    return next((s for s in synonyms if normalise(s) and normalise(s) in text), None)


def grade_field(form_field, expected: dict[str, Any], others: list[list[str]], answer: str) -> dict[str, Any]:
    text = normalise(answer)
    budget = expected.get("budget") or form_field.budget
    found, missing = [], []
    for synonyms in expected["facts"]:
        hit = _hit(synonyms, text)
        (missing.append(synonyms) if hit is None else found.append(hit))
    count = len(expected["facts"])
    points = form_field.weight * len(found) / count if count else form_field.weight
    own = {normalise(s) for synonyms in expected["facts"] for s in synonyms}
    foreign = [hit for synonyms in others
               if not any(normalise(s) in own for s in synonyms) and (hit := _hit(synonyms, text))]
    foreign = list(dict.fromkeys(foreign))
    over = len(text) > budget
    penalty = max(len(foreign) - BLEED_TOLERANCE, 0) * form_field.weight * BLEED_PENALTY
    points = 0.0 if over or not text else max(points - penalty, 0.0)
    return {"code": form_field.code, "answer": answer, "points": round_score(points), "max": form_field.weight,
            "found": found, "missing": missing, "foreign": foreign, "length": len(text), "budget": budget,
            "over_budget": over, "sample": expected.get("sample", ""), "cites": expected["cites"]}


def grade_complaint(spec: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    fields = []
    total = 0.0
    for form_field in FORM_FIELDS:
        expected = spec["fields"][form_field.code]
        others = [facts for code, other in spec["fields"].items() if code != form_field.code for facts in other["facts"]]
        item = grade_field(form_field, expected, others, (answers.get(form_field.code) or "")[:MAX_FIELD_LENGTH])
        total += item["points"]
        fields.append(item)
    selects = []
    for rule in SELECTS:
        expected = spec["rules"].get(rule.code)
        if expected is None:
            continue
        chosen = answers.get(rule.code) or ""
        correct = chosen == expected["expected"]
        points = rule.weight if correct else 0
        total += points
        selects.append({"code": rule.code, "chosen": chosen, "expected": expected["expected"], "correct": correct,
                        "points": points, "max": rule.weight, "cites": expected["cites"]})
    return {"score": round_score(min(total, 100.0)), "fields": fields, "selects": selects}


def field_faulty(item: dict[str, Any]) -> bool:
    return bool(item["missing"] or item.get("over_budget") or item["points"] < item["max"])


def missed_clauses(grading: dict[str, Any]) -> list[str]:
    """Clause ids behind every field that lost points and every wrong select."""
    return distinct_clause_ids([*(item["cites"] for item in grading["fields"] if field_faulty(item)),
                                *(item["cites"] for item in grading["selects"] if not item["correct"])])
