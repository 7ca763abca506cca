"""The records shared by the interchange modules (no logic beyond tiny helpers)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Tag prefixes that carry this project's metadata through Moodle (everything else is a plain tag).
LESSON_TAG, CLAUSE_TAG, DIFFICULTY_TAG, UNIT_TAG, SCORING_TAG = "lesson:", "clause:", "difficulty:", "unit:", "scoring:"
#: Percent fractions closer than this count as equal (Moodle writes 33.33333).
FRACTION_SLACK = 0.01


class InterchangeError(Exception):
    """The whole input is unusable (not UTF-8, not XML, an entity trick); nothing is imported."""


@dataclass
class Answer:
    """One Moodle answer: its text and its fraction in percent (100 = full marks, may be < 0)."""

    text: str
    fraction: float
    tolerance: float | None = None


@dataclass
class MoodleQuestion:
    """A question as Moodle sees it, read from or written to GIFT / Moodle XML.

    ``qtype`` uses Moodle XML's names (``multichoice``, ``truefalse``, ``shortanswer``,
    ``numerical``, ``matching``, ``ordering``, ``essay``, ``description``, …); truefalse has the
    answers ``true`` and ``false``. Texts are Markdown/plain (readers convert HTML).
    """

    qtype: str
    name: str
    text: str
    where: str = ""
    feedback: str = ""
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    #: matching: (stem, answer) pairs in file order
    pairs: list[tuple[str, str]] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    idnumber: str = ""


@dataclass
class Unreadable:
    """A question block a reader could not parse (reported at ``where``, never dropped)."""

    where: str
    reason: str


@dataclass
class Draft:
    """One question ready to be written as Markdown (``markdown_writer``)."""

    id: str
    lesson: str
    #: meta lines in writing order (``type`` first)
    meta: dict[str, str]
    prompt: str
    #: (text, checked): checked is True/False for task lists, None for numbered items
    options: list[tuple[str, bool | None]] = field(default_factory=list)
    explanation: str = ""
    where: str = ""
    #: what the author must still fix or should know (the file is written anyway)
    notes: list[str] = field(default_factory=list)


@dataclass
class NotConverted:
    where: str
    reason: str


def format_number(value: float) -> str:
    """3.0 → "3", 2.5 → "2.5", 33.333333 → "33.33333" (at most 5 decimals, as Moodle writes)."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
