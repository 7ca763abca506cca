"""The question-type registry: one small class per type (DESIGN §3, issue 4).

Each type parses a generic :class:`QuestionDoc` into a stored *spec*, validates the document,
shows the browser a public view, normalises form input, grades it to a fraction in [0, 1] and
displays the correct answer. Adding a type = one subclass decorated with :func:`register` in a
``qtypes_*`` module imported below (base class in ``qtypes_base``, the built-in types in
``qtypes_choice`` and ``qtypes_text``).

Spec layout (JSON-able, stored with the question): ``{"key": <answer key>, ...public settings}``.
Only ``public_view`` output may reach the browser; it never contains ``key`` nor anything from
which the key can be derived (option values are display positions, not original indices).

Option order: ``option_order[i]`` is the original index of the option shown at position ``i``
(frozen per attempt by the quiz engine); ``None`` means the authored order. Responses are
stored in original indices, so grading needs no order and reviews survive re-shuffles.
"""

from __future__ import annotations

from app.content.documents import ContentSet, Problem

from . import qtypes_choice, qtypes_text  # noqa: F401 (importing registers the built-in types)
from .qtypes_base import (
    MAX_TEXT_ANSWER,
    QuestionType,
    UnknownQuestionType,
    all_types,
    find_type,
    get_type,
    register,
)

__all__ = [
    "MAX_TEXT_ANSWER", "QuestionType", "UnknownQuestionType", "all_types", "check_questions", "find_type", "get_type",
    "register",
]


def check_questions(content: ContentSet) -> list[Problem]:
    """The checker the quiz layer plugs into ``app.content.validate.validate``."""
    problems: list[Problem] = []
    known = ", ".join(qtype.name for qtype in all_types())
    for doc in content.questions.values():
        if not doc.type:
            continue  # reported by the generic checks
        qtype = find_type(doc.type)
        if qtype is None:
            problems.append(Problem(doc.path, doc.meta_line("type"),
                                    f"unknown question type {doc.type!r} (known: {known})"))
        else:
            problems.extend(qtype.validate(doc))
    return problems
