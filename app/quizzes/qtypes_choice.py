"""Question types answered by picking or ordering given options: single, multiple, truefalse,
ordering."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from app.content.documents import Problem, QuestionDoc

from .qtypes_base import (
    QuestionType,
    displayed_options,
    form_values,
    is_index,
    no_answer_list,
    register,
    to_original_indices,
)


class _ChoiceType(QuestionType):
    """Shared by single and multiple: a task list with ticked correct options."""

    input = "radio"

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        problems = super().validate(doc)
        if len(doc.options) < 2:
            problems.append(Problem(doc.path, doc.line, f"a {self.name} question needs at least two options"))
        seen: set[str] = set()
        for option in doc.options:
            if option.checked is None:
                problems.append(Problem(doc.path, option.line, "options must be '- [ ]' or '- [x]' boxes"))
            if option.text in seen:
                problems.append(Problem(doc.path, option.line, f"duplicate option {option.text!r}"))
            seen.add(option.text)
        return problems + self.validate_key(doc, sum(1 for o in doc.options if o.checked))

    def validate_key(self, doc: QuestionDoc, ticked: int) -> list[Problem]:
        raise NotImplementedError

    def choice_labels(self, spec: dict[str, Any]) -> list[str]:
        return list(spec["options"])

    def picked(self, spec: dict[str, Any], response: Any) -> list[int]:
        values = response if isinstance(response, list) else [response]
        return sorted({v for v in values if is_index(v) and 0 <= v < len(spec["options"])})

    def key_indices(self, spec: dict[str, Any]) -> list[int]:
        key = spec["key"]
        return sorted(key) if isinstance(key, list) else [key]

    def public_view(self, spec: dict[str, Any], option_order: Sequence[int] | None = None) -> dict[str, Any]:
        return {**super().public_view(spec), "options": displayed_options(spec["options"], option_order)}


@register
class SingleChoice(_ChoiceType):
    name = "single"
    label = _l("Single choice")

    def validate_key(self, doc: QuestionDoc, ticked: int) -> list[Problem]:
        if ticked == 1:
            return []
        ticked_lines = [o.line for o in doc.options if o.checked]
        line = ticked_lines[1] if ticked > 1 else doc.options[0].line if doc.options else doc.line
        return [Problem(doc.path, line, f"a single-choice question needs exactly one [x] option, not {ticked}")]

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        keys = [i for i, option in enumerate(doc.options) if option.checked]
        if len(keys) != 1:
            raise ValueError(f"{doc.id}: not exactly one correct option")
        return {"options": [o.text for o in doc.options], "key": keys[0]}

    def normalise_response(self, spec: dict[str, Any], raw: Sequence[str],
                           option_order: Sequence[int] | None = None) -> int | None:
        picked = to_original_indices(raw, self.option_count(spec), option_order)
        return picked[0] if picked else None

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        return 1.0 if is_index(response) and response == spec["key"] else 0.0

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        return spec["options"][spec["key"]]


@register
class MultipleChoice(_ChoiceType):
    """``scoring: all`` (default) is all-or-nothing; ``partial`` gives
    max(0, (right picks − wrong picks) / number of right options), so ticking everything
    does not pay."""

    name = "multiple"
    label = _l("Multiple choice")
    meta_keys = ("scoring",)
    input = "checkbox"
    SCORINGS = ("all", "partial")

    def validate_key(self, doc: QuestionDoc, ticked: int) -> list[Problem]:
        problems = []
        if ticked == 0:
            line = doc.options[0].line if doc.options else doc.line
            problems.append(Problem(doc.path, line, "a multiple-choice question needs at least one [x] option"))
        if doc.meta.get("scoring", "all") not in self.SCORINGS:
            problems.append(Problem(doc.path, doc.meta_line("scoring"), "scoring must be 'all' or 'partial'"))
        return problems

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        keys = [i for i, option in enumerate(doc.options) if option.checked]
        if not keys:
            raise ValueError(f"{doc.id}: no correct option")
        return {"options": [o.text for o in doc.options], "key": keys,
                "scoring": doc.meta.get("scoring", "all")}

    def normalise_response(self, spec: dict[str, Any], raw: Sequence[str],
                           option_order: Sequence[int] | None = None) -> list[int]:
        return sorted(to_original_indices(raw, self.option_count(spec), option_order))

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        if not isinstance(response, list):
            return 0.0
        picked, key = {r for r in response if is_index(r)}, set(spec["key"])
        if spec.get("scoring") != "partial":
            return 1.0 if picked == key else 0.0
        right, wrong = len(picked & key), len(picked - key)
        return max(0.0, (right - wrong) / len(key))

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        return "；".join(spec["options"][i] for i in spec["key"])


@register
class TrueFalse(QuestionType):
    """The prompt is a statement; ``answer: true|false`` says whether it holds."""

    name = "truefalse"
    label = _l("True or false")
    meta_keys = ("answer",)
    input = "radio"
    LABELS = {True: "正确", False: "错误"}

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        problems = super().validate(doc) + no_answer_list(doc)
        if doc.meta.get("answer", "").strip().lower() not in ("true", "false"):
            problems.append(Problem(doc.path, doc.meta_line("answer"), "a truefalse question needs 'answer: true' or 'answer: false'"))
        return problems

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        answer = doc.meta.get("answer", "").strip().lower()
        if answer not in ("true", "false"):
            raise ValueError(f"{doc.id}: answer is not true/false")
        return {"key": answer == "true"}

    def choice_labels(self, spec: dict[str, Any]) -> list[str]:
        """Index 0 is "true", 1 is "false" (the order the public view shows them in)."""
        return [self.LABELS[True], self.LABELS[False]]

    def picked(self, spec: dict[str, Any], response: Any) -> list[int]:
        return [0 if response else 1] if isinstance(response, bool) else []

    def key_indices(self, spec: dict[str, Any]) -> list[int]:
        return [0 if spec["key"] else 1]

    def public_view(self, spec: dict[str, Any], option_order: Sequence[int] | None = None) -> dict[str, Any]:
        options = [{"value": "true", "text": self.LABELS[True]}, {"value": "false", "text": self.LABELS[False]}]
        return {**super().public_view(spec), "options": options}

    def normalise_response(self, spec: dict[str, Any], raw: Sequence[str],
                           option_order: Sequence[int] | None = None) -> bool | None:
        values = [v.lower() for v in form_values(raw)]
        return {"true": True, "false": False}.get(values[0]) if values else None

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        return 1.0 if isinstance(response, bool) and response == spec["key"] else 0.0

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        return self.LABELS[bool(spec["key"])]


@register
class Ordering(QuestionType):
    """Items authored in the correct order; always shown shuffled.

    Grading: the fraction of item *pairs* the trainee put in the right relative order
    (a normalised Kendall tau). Chosen over "adjacent pairs" because that scheme rates a far-off
    answer such as 3-4-1-2 (two of three adjacent pairs right) as high as one swapped pair,
    while pairwise gives 1/3 and 5/6. One swap of neighbours loses 1 pair of n(n-1)/2; the
    reverse order scores 0. Items missing from the response count as wrongly placed.
    """

    name = "ordering"
    label = _l("Ordering")
    input = "order"

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        problems = super().validate(doc)
        if len(doc.options) < 2:
            problems.append(Problem(doc.path, doc.line, "an ordering question needs a numbered list of at least two items"))
        elif not doc.numbered:
            problems.append(Problem(doc.path, doc.options[0].line, "an ordering question lists its items as '1. … 2. …'"))
        texts = [o.text for o in doc.options]
        for index, option in enumerate(doc.options):
            if option.text in texts[:index]:
                problems.append(Problem(doc.path, option.line, f"duplicate item {option.text!r}: the order would be ambiguous"))
        return problems

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        if len(doc.options) < 2:
            raise ValueError(f"{doc.id}: fewer than two items")
        return {"options": [o.text for o in doc.options], "key": list(range(len(doc.options)))}

    def make_option_order(self, spec: dict[str, Any], rng: random.Random, shuffle: bool) -> list[int] | None:
        """Always shuffled (the authored order is the answer), and never left in that order."""
        count = self.option_count(spec)
        order = list(range(count))
        while count >= 2 and order == sorted(order):
            rng.shuffle(order)
        return order

    def public_view(self, spec: dict[str, Any], option_order: Sequence[int] | None = None) -> dict[str, Any]:
        """Refuses the authored order: shown unshuffled, an ordering question gives itself away."""
        if not option_order or list(option_order) == sorted(option_order):
            raise ValueError("an ordering question must be shown in a shuffled order (make_option_order)")
        return {**super().public_view(spec), "options": displayed_options(spec["options"], option_order)}

    def normalise_response(self, spec: dict[str, Any], raw: Sequence[str],
                           option_order: Sequence[int] | None = None) -> list[int]:
        """The displayed positions in the trainee's order (several values, or one "2,0,1" value)."""
        values = [part for value in form_values(raw) for part in value.replace("，", ",").split(",")]
        return to_original_indices(values, self.option_count(spec), option_order)

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        count = len(spec["key"])
        if not isinstance(response, list) or count < 2:
            return 0.0
        position: dict[int, int] = {}
        for place, item in enumerate(response):
            if is_index(item) and 0 <= item < count:
                position.setdefault(item, place)
        pairs = count * (count - 1) // 2
        right = sum(1 for a in range(count) for b in range(a + 1, count)
                    if a in position and b in position and position[a] < position[b])
        return right / pairs

    def summary_grade(self, spec: dict[str, Any], summary: str) -> float:
        return self.grade(spec, [int(part) for part in summary.split(",") if part.isdigit()])

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        return " → ".join(spec["options"][i] for i in spec["key"])
