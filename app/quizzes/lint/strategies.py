"""Blind surface strategies: how a trainee who knows nothing but reads the surface would answer.

Each strategy turns a question into a *distribution of responses* (probability, response in the
stored form the graders take), so the linter computes the exact expected grade through the real
``QuestionType.grade`` and the blind player (bench/blind_quiz.py) samples from the same thing.
Definitions: /work/notes/lint-spec.md and content/standards/README.md ("Writing good items").
Choice questions (single, multiple, truefalse) are played by the strategy; every other type is
played the way random guessing would, by every strategy.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.content.documents import QuestionDoc

from ..question_types import QuestionType, find_type
from .text import has_cue, length, median, tokens

STRATEGIES = ("chance", "longest", "shortest", "tick-all", "cue-words", "prompt-echo")
CHOICE_TYPES = ("single", "multiple", "truefalse")
#: above this many options (or ordering items), chance is estimated from a fixed-seed sample
_ENUMERATE_MAX = 10
_ORDER_ENUMERATE_MAX = 6
_SAMPLE = 720

Distribution = list[tuple[float, Any]]


@dataclass
class Item:
    """A question prepared for the strategies: its document, type and parsed spec."""

    doc: QuestionDoc
    qtype: QuestionType
    spec: dict[str, Any]

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def type(self) -> str:
        return self.qtype.name

    @property
    def options(self) -> list[str]:
        return [o.text for o in self.doc.options]

    @property
    def keys(self) -> set[int]:
        return set(self.qtype.key_indices(self.spec)) if self.type in ("single", "multiple") else set()

    def grade(self, response: Any) -> float:
        return self.qtype.grade(self.spec, response)


@dataclass(frozen=True)
class Context:
    """What a strategy may know of the pool it plays: the cue words and the median length of
    the true/false statements (for ``longest`` on true/false)."""

    cue_words: tuple[str, ...]
    truefalse_median: float = 0.0


def prepare(doc: QuestionDoc) -> Item | None:
    """The item of a well-formed question; None when its type is unknown or it does not parse
    (``content check`` reports those)."""
    qtype = find_type(doc.type)
    if qtype is None or qtype.validate(doc):
        return None
    try:
        return Item(doc, qtype, qtype.parse(doc))
    except (ValueError, KeyError, IndexError):
        return None


def pool_context(items: Iterable[Item], cue_words: tuple[str, ...]) -> Context:
    statements = [length(item.doc.prompt) for item in items if item.type == "truefalse"]
    return Context(cue_words, median(statements))


def expected(item: Item, strategy: str, context: Context) -> float:
    """The expected fraction (0-1) the strategy earns on the item, through the real grader."""
    return sum(p * item.grade(response) for p, response in plays(item, strategy, context))


def sample(item: Item, strategy: str, context: Context, rng: random.Random) -> Any:
    distribution = plays(item, strategy, context)
    return rng.choices([r for _, r in distribution], weights=[p for p, _ in distribution])[0]


def plays(item: Item, strategy: str, context: Context) -> Distribution:
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    if item.type not in CHOICE_TYPES or strategy == "chance":
        return chance(item)
    return _PLAYERS[strategy](item, context)


# --- chance -------------------------------------------------------------------------------


def _uniform(responses: list[Any]) -> Distribution:
    return [(1 / len(responses), r) for r in responses] if responses else [(1.0, None)]


def chance(item: Item) -> Distribution:
    n = len(item.options)
    if item.type == "single":
        return _uniform(list(range(n)))
    if item.type == "truefalse":
        return _uniform([True, False])
    if item.type == "multiple":
        if n <= _ENUMERATE_MAX:
            return _uniform([list(c) for k in range(1, n + 1) for c in itertools.combinations(range(n), k)])
        rng = random.Random(item.id)
        subsets = []
        while len(subsets) < _SAMPLE:
            subset = [i for i in range(n) if rng.random() < 0.5]
            if subset:
                subsets.append(subset)
        return _uniform(subsets)
    if item.qtype.input == "order":
        if n <= _ORDER_ENUMERATE_MAX:
            return _uniform([list(p) for p in itertools.permutations(range(n))])
        rng = random.Random(item.id)
        return _uniform([rng.sample(range(n), n) for _ in range(_SAMPLE)])
    return [(1.0, None)]  # typed answers: a blind guess earns nothing


# --- the surface strategies ----------------------------------------------------------------


def _best(scores: list[float]) -> list[int]:
    top = max(scores)
    return [i for i, s in enumerate(scores) if s == top]


def _top_half(scores: list[float]) -> Distribution:
    """Tick the ceil(n/2) highest-scoring options; ties at the cut are averaged over."""
    n = len(scores)
    k = math.ceil(n / 2)
    cut = sorted(scores, reverse=True)[k - 1]
    above = [i for i in range(n) if scores[i] > cut]
    tied = [i for i in range(n) if scores[i] == cut]
    return _uniform([sorted(above + list(c)) for c in itertools.combinations(tied, k - len(above))])


def longest(item: Item, context: Context) -> Distribution:
    lengths = [float(length(o)) for o in item.options]
    if item.type == "single":
        return _uniform(_best(lengths))
    if item.type == "multiple":
        return _top_half(lengths)
    return [(1.0, length(item.doc.prompt) > context.truefalse_median)]


def shortest(item: Item, context: Context) -> Distribution:
    """The mirror of :func:`longest`: a bank whose keys were shortened to beat "longest" must not reward this."""
    lengths = [-float(length(o)) for o in item.options]
    if item.type == "single":
        return _uniform(_best(lengths))
    if item.type == "multiple":
        return _top_half(lengths)
    return [(1.0, length(item.doc.prompt) < context.truefalse_median)]


def tick_all(item: Item, context: Context) -> Distribution:
    if item.type == "multiple":
        return [(1.0, list(range(len(item.options))))]
    if item.type == "truefalse":
        return [(1.0, True)]
    return chance(item)


def cue_words(item: Item, context: Context) -> Distribution:
    if item.type == "truefalse":
        return [(1.0, not has_cue(item.doc.prompt, context.cue_words))]
    plain = [i for i, o in enumerate(item.options) if not has_cue(o, context.cue_words)]
    plain = plain or list(range(len(item.options)))
    if item.type == "single":
        return _uniform(plain)
    return [(1.0, plain)]


def prompt_echo(item: Item, context: Context) -> Distribution:
    if item.type == "truefalse":
        return chance(item)
    prompt = tokens(item.doc.prompt)
    overlaps = [float(len(tokens(o) & prompt)) for o in item.options]
    if item.type == "single":
        return _uniform(_best(overlaps))
    middle = median(overlaps)
    ticked = [i for i, value in enumerate(overlaps) if value > middle]
    return [(1.0, ticked)] if ticked else chance(item)


_PLAYERS = {"longest": longest, "shortest": shortest, "tick-all": tick_all, "cue-words": cue_words, "prompt-echo": prompt_echo}
