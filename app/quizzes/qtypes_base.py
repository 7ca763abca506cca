"""The base class and registry of question types (see ``question_types`` for the contract).

Kept apart from the concrete types so each module stays small and the types import this one,
never the other way round.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, ClassVar

from app.content.documents import Problem, QuestionDoc
from app.content.validate import COMMON_META_KEYS

from .answer_text import normalise_phrase

#: Longest free-text answer kept; longer input is cut (it cannot be right anyway).
MAX_TEXT_ANSWER = 200
#: Longest response summary (what item analysis groups responses by).
MAX_SUMMARY = 120


class UnknownQuestionType(KeyError):
    """Raised by :func:`get_type` for a name no class registered."""


class QuestionType:
    """Base class; subclasses set ``name`` and override what differs."""

    name: ClassVar[str] = ""
    #: What people call it ("Single choice"), translated when shown; falls back to ``name``.
    label: ClassVar[object] = ""
    #: Meta keys this type accepts besides :data:`COMMON_META_KEYS`.
    meta_keys: ClassVar[tuple[str, ...]] = ()
    #: The widget the template draws: radio, checkbox, order or text.
    input: ClassVar[str] = "text"

    # -- authoring ------------------------------------------------------------------------

    def validate(self, doc: QuestionDoc) -> list[Problem]:
        """Type-specific problems (generic keys are checked by ``app.content.validate``)."""
        allowed = set(COMMON_META_KEYS) | set(self.meta_keys)
        return [Problem(doc.path, doc.meta_line(key), f"{key!r} is not a key of {self.name} questions")
                for key in doc.meta if key not in allowed]

    def parse(self, doc: QuestionDoc) -> dict[str, Any]:
        """The stored spec of a document that :meth:`validate` accepted."""
        raise NotImplementedError

    # -- attempts ---------------------------------------------------------------------------

    def option_count(self, spec: dict[str, Any]) -> int:
        return len(spec.get("options", ()))

    def make_option_order(self, spec: dict[str, Any], rng: random.Random, shuffle: bool) -> list[int] | None:
        """A display order for one attempt, or None for the authored order."""
        count = self.option_count(spec)
        if not shuffle or count < 2:
            return None
        order = list(range(count))
        rng.shuffle(order)
        return order

    def public_view(self, spec: dict[str, Any], option_order: Sequence[int] | None = None) -> dict[str, Any]:
        """What the browser may see: the widget and the options in display order."""
        return {"type": self.name, "input": self.input}

    def normalise_response(self, spec: dict[str, Any], raw: Sequence[str],
                           option_order: Sequence[int] | None = None) -> Any:
        """Form values (``request.form.getlist(field)``) → the stored JSON-able response.

        Never raises: junk becomes an empty response, which grades 0.
        """
        values = form_values(raw)
        return values[0][:MAX_TEXT_ANSWER] if values else None

    def input_problem(self, spec: dict[str, Any], raw: Sequence[str]) -> bool:
        """True when the typed input cannot be an answer of this type (it is then not saved)."""
        return False

    def grade(self, spec: dict[str, Any], response: Any) -> float:
        """The fraction of the mark earned, in [0, 1]; an empty or malformed response is 0."""
        raise NotImplementedError

    def correct_answer_display(self, spec: dict[str, Any]) -> str:
        """The right answer for review pages, as Markdown text (render with render_inline)."""
        raise NotImplementedError

    # -- review and item analysis (server side only) -------------------------------------------

    def choice_labels(self, spec: dict[str, Any]) -> list[str]:
        """The options a trainee *picks* from, in authored order (Markdown); [] when the answer
        is typed or ordered. Item analysis counts picks per label."""
        return []

    def picked(self, spec: dict[str, Any], response: Any) -> list[int]:
        """The indices of :meth:`choice_labels` a stored response picked (sorted, valid only)."""
        return []

    def key_indices(self, spec: dict[str, Any]) -> list[int]:
        """The indices of :meth:`choice_labels` that are correct."""
        return []

    def summarise(self, spec: dict[str, Any], response: Any) -> str | None:
        """A short canonical text of a stored response, equal for equivalent answers (``三声``
        and ``3``; ``您好！`` and ``您好``), or None when nothing was answered. Item analysis
        groups responses by it in SQL, so it is computed once, when the answer is saved."""
        if response is None or response == [] or response == "":
            return None
        if self.choice_labels(spec):
            picked = self.picked(spec, response)
            return ",".join(str(i) for i in picked) if picked else None
        if isinstance(response, str):
            return normalise_phrase(response)[:MAX_SUMMARY] or None
        if isinstance(response, list):
            return ",".join(str(i) for i in response if is_index(i))[:MAX_SUMMARY] or None
        return str(response)[:MAX_SUMMARY]

    def summary_grade(self, spec: dict[str, Any], summary: str) -> float:
        """The fraction earned by a response with this :meth:`summarise` text (for typed
        answers: grading the normalised text gives the same result)."""
        return self.grade(spec, summary)


_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make a type available under its ``name``."""
    if not cls.name or cls.name in _REGISTRY:
        raise ValueError(f"question type name {cls.name!r} is empty or already registered")
    _REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def find_type(name: str) -> QuestionType | None:
    """The registered type called ``name``, or None (for checkers that report, not raise)."""
    return _REGISTRY.get(name)


def type_label(name: str) -> str:
    """The translated name of a question type, or the code itself for an unknown one."""
    qtype = _REGISTRY.get(name)
    return str(qtype.label) if qtype is not None and qtype.label else name


def all_types() -> list[QuestionType]:
    return list(_REGISTRY.values())


# --- shared helpers ----------------------------------------------------------------------------


def form_values(raw: Sequence[str] | str) -> list[str]:
    """Form values as a list of stripped texts (a lone string counts as one value)."""
    items = [raw] if isinstance(raw, str) else list(raw or ())
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def to_original_indices(raw: Sequence[str] | str, count: int, option_order: Sequence[int] | None) -> list[int]:
    """Display positions sent by the browser → original option indices; junk and repeats dropped."""
    order = list(option_order) if option_order else list(range(count))
    indices: list[int] = []
    for text in form_values(raw):
        if not (text.isascii() and text.isdigit()) or int(text) >= len(order):
            continue
        index = order[int(text)]
        if 0 <= index < count and index not in indices:
            indices.append(index)
    return indices


def is_index(value: Any) -> bool:
    """An option index from a stored response (JSON ``true`` is not ``1``)."""
    return isinstance(value, int) and not isinstance(value, bool)


def displayed_options(options: list[str], option_order: Sequence[int] | None) -> list[dict[str, str]]:
    order = option_order or range(len(options))
    return [{"value": str(position), "text": options[index]} for position, index in enumerate(order)]


def no_answer_list(doc: QuestionDoc) -> list[Problem]:
    if doc.options:
        return [Problem(doc.path, doc.options[0].line, f"a {doc.type} question has no answer list")]
    return []


def require_meta(doc: QuestionDoc, key: str, hint: str) -> list[Problem]:
    if doc.meta.get(key, "").strip():
        return []
    return [Problem(doc.path, doc.meta_line(key), f"{doc.type} question needs '{key}: …' ({hint})")]
