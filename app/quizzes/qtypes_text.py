"""Question types answered by typing: numeric (number + unit) and phrase (free wording)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from app.content.documents import Problem, QuestionDoc

from .answer_text import UNITS, convert, normalise_phrase, parse_plain_number, parse_quantity
from .qtypes_base import QuestionType, no_answer_list, register, require_meta


@register
class Numeric(QuestionType):
    """A number in a unit from :data:`UNITS`; ``tolerance`` (default 0) is inclusive.

    Accepted input: ``3``, ``３``, ``三``, ``3声``, ``3 声``, ``第三声``; a different unit of the
    same kind is converted (``1米`` for 100 cm, ``半小时`` for 30 minutes); a unit of another
    kind is wrong.
    """

    name = "numeric"
    label = _l("Numeric answer")
    meta_keys = ("answer", "unit", "tolerance")

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        problems = super().validate(doc) + no_answer_list(doc)
        problems += require_meta(doc, "unit", "one of " + ", ".join(UNITS))
        unit = doc.meta.get("unit", "").strip()
        if unit and unit not in UNITS:
            problems.append(Problem(doc.path, doc.meta_line("unit"), f"unknown unit {unit!r} (use one of {', '.join(UNITS)})"))
        problems += require_meta(doc, "answer", "the number")
        if doc.meta.get("answer", "").strip() and parse_plain_number(doc.meta["answer"]) is None:
            problems.append(Problem(doc.path, doc.meta_line("answer"), f"answer {doc.meta['answer']!r} is not a number"))
        tolerance = parse_plain_number(doc.meta.get("tolerance", "0"))
        if tolerance is None or tolerance < 0:
            problems.append(Problem(doc.path, doc.meta_line("tolerance"), "tolerance must be a number ≥ 0"))
        return problems

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        answer = parse_plain_number(doc.meta.get("answer", ""))
        unit = doc.meta.get("unit", "").strip()
        if answer is None or unit not in UNITS:
            raise ValueError(f"{doc.id}: bad answer or unit")
        return {"unit": unit, "key": answer, "tolerance": parse_plain_number(doc.meta.get("tolerance", "0")) or 0.0}

    def public_view(self, spec: dict[str, Any], option_order: Sequence[int] | None = None) -> dict[str, Any]:
        return {**super().public_view(spec), "unit": spec["unit"], "unit_label": UNITS[spec["unit"]].label}

    def input_problem(self, spec: dict[str, Any], raw: Sequence[str]) -> bool:
        """Text that is not a number (``很多``): refused with a message instead of graded 0."""
        text = (raw[0] if raw else "") or ""
        return bool(text.strip()) and parse_quantity(text) is None

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        quantity = parse_quantity(response) if isinstance(response, str) else None
        value = convert(quantity, spec["unit"]) if quantity else None
        if value is None:
            return 0.0
        slack = 1e-9 * max(1.0, abs(spec["key"]))  # float noise, e.g. 0.1 + 0.2
        return 1.0 if abs(value - spec["key"]) <= spec.get("tolerance", 0.0) + slack else 0.0

    def summarise(self, spec: dict[str, Any], response: Any) -> str | None:
        """The number in the question's unit when it parses (``三声`` → ``3``), else the text."""
        quantity = parse_quantity(response) if isinstance(response, str) else None
        value = convert(quantity, spec["unit"]) if quantity else None
        if value is not None and math.isfinite(value):
            return _number(round(value, 6))
        return super().summarise(spec, response)

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        text = f"{_number(spec['key'])} {UNITS[spec['unit']].label}"
        tolerance = spec.get("tolerance") or 0
        return f"{text}（±{_number(tolerance)}）" if tolerance else text


def _number(value: float) -> str:
    """3.0 → "3", 2.5 → "2.5"."""
    return str(int(value)) if float(value).is_integer() else str(value)


@register
class Phrase(QuestionType):
    """Free text compared with ``accept: a|b|c`` after :func:`normalise_phrase` (width, case,
    punctuation and spaces do not matter; wording does)."""

    name = "phrase"
    label = _l("Phrase answer")
    meta_keys = ("accept",)

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        problems = super().validate(doc) + no_answer_list(doc) + require_meta(doc, "accept", "accepted answers separated by |")
        raw = doc.meta.get("accept", "")
        if raw.strip() and any(not normalise_phrase(part) for part in raw.split("|")):
            problems.append(Problem(doc.path, doc.meta_line("accept"), "an accepted answer is empty (check the | separators)"))
        return problems

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        accepted = [part.strip() for part in doc.meta.get("accept", "").split("|") if normalise_phrase(part)]
        if not accepted:
            raise ValueError(f"{doc.id}: no accepted answer")
        return {"key": accepted}

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        typed = normalise_phrase(response) if isinstance(response, str) else ""
        return 1.0 if typed and typed in {normalise_phrase(a) for a in spec["key"]} else 0.0

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        return " / ".join(spec["key"])
