"""This project's questions → :class:`MoodleQuestion` (the export half of the mapping).

| here | Moodle |
|---|---|
| single | multichoice, ``single``: right 100 %, wrong 0 % |
| multiple, ``scoring: partial`` | multichoice, not single: each right option +100/k %, each wrong −100/k % (k right options), so ticking everything earns 0 — Moodle's sum, floored at 0, equals our max(0, (right − wrong)/k) |
| multiple, ``scoring: all`` | the same right weights, wrong −100 %: one wrong tick loses everything. Moodle still gives part marks for a partly right answer (it has no all-or-nothing multi-answer type in core); the tag ``scoring:all`` restores our rule on import |
| truefalse | truefalse |
| numeric | numerical with tolerance; the unit as a Moodle unit (label, optional) and tag ``unit:<key>`` |
| phrase | shortanswer, each accepted variant 100 %, case-insensitive |
| ordering | matching: each item → its position ``1``…``n`` (Moodle grades each item placed right; we grade item pairs) |

Every question carries the tags ``lesson:<id>``, ``clause:<id>`` (one per cited clause),
``difficulty:<n>`` (plus ``scoring:`` / ``unit:`` where they apply) and its own tags; the
question id is the Moodle name and ID number; the explanation is the general feedback.
"""

from __future__ import annotations

from typing import Any

from app.content.documents import QuestionDoc

from ..answer_text import UNITS
from ..question_types import get_type
from .model import (
    CLAUSE_TAG,
    DIFFICULTY_TAG,
    LESSON_TAG,
    SCORING_TAG,
    UNIT_TAG,
    Answer,
    MoodleQuestion,
    format_number,
)


class NotExportable(ValueError):
    """A question type with no Moodle counterpart (reported, never dropped silently)."""


def bank_tags(doc: QuestionDoc, extra: list[str] = ()) -> list[str]:
    tags = [LESSON_TAG + doc.lesson_id, *(CLAUSE_TAG + c for c in doc.cites)]
    if doc.difficulty is not None:
        tags.append(f"{DIFFICULTY_TAG}{doc.difficulty}")
    return [*tags, *extra, *doc.tags]


def multiple_fractions(count: int, key: list[int], scoring: str) -> list[float]:
    """Percent fractions of a multiple-answer question: right options share 100; wrong ones
    cost 100/k (partial) or everything (all)."""
    right = 100.0 / len(key)
    wrong = -right if scoring == "partial" else -100.0
    return [right if index in key else wrong for index in range(count)]


def to_moodle(doc: QuestionDoc) -> MoodleQuestion:
    """The Moodle form of a question that ``content check`` accepted."""
    spec: dict[str, Any] = get_type(doc.type).parse(doc)
    question = MoodleQuestion(qtype="", name=doc.id, idnumber=doc.id, text=doc.prompt,
                              feedback=doc.explanation, category=doc.lesson_id)
    extra: list[str] = []
    if doc.type == "single":
        question.qtype = "multichoice"
        question.answers = [Answer(text, 100.0 if i == spec["key"] else 0.0) for i, text in enumerate(spec["options"])]
    elif doc.type == "multiple":
        question.qtype, question.single = "multichoice", False
        fractions = multiple_fractions(len(spec["options"]), spec["key"], spec["scoring"])
        question.answers = [Answer(text, f) for text, f in zip(spec["options"], fractions, strict=True)]
        extra.append(SCORING_TAG + spec["scoring"])
    elif doc.type == "truefalse":
        question.qtype = "truefalse"
        question.answers = [Answer("true", 100.0 if spec["key"] else 0.0), Answer("false", 0.0 if spec["key"] else 100.0)]
    elif doc.type == "numeric":
        question.qtype = "numerical"
        question.answers = [Answer(format_number(spec["key"]), 100.0, spec.get("tolerance") or 0.0)]
        question.units = [UNITS[spec["unit"]].label]
        extra.append(UNIT_TAG + spec["unit"])
    elif doc.type == "phrase":
        question.qtype = "shortanswer"
        question.answers = [Answer(text, 100.0) for text in spec["key"]]
    elif doc.type == "ordering":
        question.qtype = "matching"
        question.pairs = [(spec["options"][item], str(place + 1)) for place, item in enumerate(spec["key"])]
    else:
        raise NotExportable(f"{doc.path}:{doc.line}: {doc.id}: {doc.type} questions have no Moodle counterpart")
    question.tags = bank_tags(doc, extra)
    return question
