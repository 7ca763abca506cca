"""The complaint-record rubric: deterministic, explainable, no external service.

* Each of the five form fields carries its weight (rules.FORM_FIELDS) split evenly over
  its key facts; a fact counts when any of its synonyms appears in the answer (compared after
  :func:`textnorm.normalise`, so spaces, punctuation and full-width forms do not matter).
* Severity, escalation, deadline and dispatch must match the standard exactly: all or nothing.

The verdict is JSON-able and stored with the submission, so the review never changes.
"""

from __future__ import annotations

from typing import Any

from ..common.textnorm import normalise
from ..exercise.grading import distinct_clause_ids
from .rules import FORM_FIELDS, SELECTS

#: longest text kept per field
MAX_FIELD_LENGTH = 1000


def grade_complaint(spec: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    fields = []
    total = 0.0
    for form_field in FORM_FIELDS:
        expected = spec["fields"][form_field.code]
        answer = (answers.get(form_field.code) or "")[:MAX_FIELD_LENGTH]
        text = normalise(answer)
        found, missing = [], []
        for synonyms in expected["facts"]:
            hit = next((s for s in synonyms if normalise(s) and normalise(s) in text), None)
            if hit is None:
                missing.append(synonyms)
            else:
                found.append(hit)
        count = len(expected["facts"])
        points = form_field.weight * len(found) / count if count else form_field.weight
        total += points
        fields.append({"code": form_field.code, "answer": answer, "points": round(points, 1),
                       "max": form_field.weight, "found": found, "missing": missing,
                       "sample": expected.get("sample", ""), "cites": expected["cites"]})
    selects = []
    for rule in SELECTS:
        expected = spec["rules"][rule.code]
        chosen = answers.get(rule.code) or ""
        correct = chosen == expected["expected"]
        points = rule.weight if correct else 0
        total += points
        selects.append({"code": rule.code, "chosen": chosen, "expected": expected["expected"], "correct": correct,
                        "points": points, "max": rule.weight, "cites": expected["cites"]})
    return {"score": round(total, 1), "fields": fields, "selects": selects}


def missed_clauses(grading: dict[str, Any]) -> list[str]:
    """Clause ids behind every field with a missing fact and every wrong select."""
    return distinct_clause_ids([*(item["cites"] for item in grading["fields"] if item["missing"]),
                                *(item["cites"] for item in grading["selects"] if not item["correct"])])
