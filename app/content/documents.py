"""Plain documents parsed from the standards files, each remembering where it came from.

These are deliberately dumb dataclasses (no database, no Markdown rendering) so the loader can be
tested on files alone and the sync layer can map them to catalog rows. Every document keeps its
``path`` (display path) and ``line`` so any later check can still report ``path:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Lesson ids and question ids: lowercase letters, digits and ``-``.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
#: Clause ids: dotted slugs, at least two parts (``phone.answer``).
CLAUSE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+\Z")
#: Separators accepted in comma lists (authors type Chinese punctuation too).
_LIST_SEP_RE = re.compile(r"[,，、]")


def split_list(value: str | None) -> list[str]:
    """Split a ``a, b，c`` meta value into its non-empty items (ASCII or Chinese commas)."""
    if not value:
        return []
    return [item.strip() for item in _LIST_SEP_RE.split(value) if item.strip()]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, shown to authors as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised inside the parsers to abandon one file; the loader turns it back into a Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class ClauseDoc:
    """A heading (level 2/3) or list item (level 0) carrying a ``{#clause.id}`` marker."""

    id: str
    lesson_id: str
    #: The clause text without the marker; inline Markdown (``**``, links) is stripped.
    text: str
    level: int
    line: int
    #: The nearest enclosing heading clause, or None when the item sits under no heading clause.
    parent_id: str | None
    #: 1-based position among the lesson's clauses, in document order.
    order: int

    @property
    def is_heading(self) -> bool:
        return self.level > 0


@dataclass
class LessonDoc:
    """One lesson file: front matter plus the Markdown body and the clauses found in it."""

    id: str
    title: str
    title_en: str | None
    summary: str
    sources: list[str]
    #: The Markdown after the front matter, unchanged (render it with ``render.render_lesson``).
    body: str
    path: str
    line: int
    clauses: list[ClauseDoc] = field(default_factory=list)
    #: ``(target clause id, line)`` for every ``](#x.y)`` link in the body.
    links: list[tuple[str, int]] = field(default_factory=list)
    #: File line number of the body's first line (to map body offsets back to the file).
    body_line: int = 1


@dataclass
class OptionDoc:
    """A list item of a question's answer part; ``checked`` is None for plain/numbered items."""

    text: str
    checked: bool | None
    line: int


@dataclass
class QuestionDoc:
    """One ``## question-id`` block, kept generic: the question-type classes interpret it."""

    id: str
    lesson_id: str
    type: str
    meta: dict[str, str]
    meta_lines: dict[str, int]
    prompt: str
    options: list[OptionDoc]
    #: True when the answer part is a numbered list (``1. …``) rather than bullets.
    numbered: bool
    explanation: str
    path: str
    line: int
    #: Line of the file's ``lesson:`` front-matter key (where a wrong lesson id is reported).
    lesson_line: int = 2

    def meta_line(self, key: str) -> int:
        """The line of a meta key, or the block's heading line when the key is absent."""
        return self.meta_lines.get(key, self.line)

    @property
    def cites(self) -> list[str]:
        return split_list(self.meta.get("cites"))

    @property
    def tags(self) -> list[str]:
        return split_list(self.meta.get("tags"))

    @property
    def difficulty(self) -> int | None:
        """The difficulty as an int, or None when absent or not a number (validate reports it)."""
        raw = self.meta.get("difficulty", "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() else None


@dataclass
class CourseDoc:
    """One entry of ``courses.yml``: an ordered list of lesson ids."""

    id: str
    title: str
    title_en: str | None
    description: str
    lessons: list[str]
    path: str
    line: int
    #: The line of each entry in ``lessons`` (same order).
    lesson_lines: list[int] = field(default_factory=list)
    #: The raw ``certificate:`` rule (a YAML mapping with line numbers) or None. The content layer
    #: does not interpret it: app/certificates checks and syncs it through its content plugin.
    certificate: object | None = None
    certificate_line: int = 0


@dataclass
class DrawRule:
    """Draw ``count`` questions matching every given filter (None = any)."""

    count: int
    lesson: str | None = None
    tag: str | None = None
    difficulty: int | None = None
    line: int = 0


@dataclass
class QuizDoc:
    """One entry of ``quizzes.yml``."""

    id: str
    title: str
    title_en: str | None
    course: str | None
    pass_mark: int
    time_limit_minutes: int | None
    max_attempts: int | None
    shuffle: bool
    draw: list[DrawRule]
    path: str
    line: int
    #: The line of each key of the entry, for precise messages (``pass_mark`` out of range …).
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class ContentSet:
    """Everything loaded from one content root, plus the problems met while loading it."""

    root: Path
    lessons: dict[str, LessonDoc] = field(default_factory=dict)
    questions: dict[str, QuestionDoc] = field(default_factory=dict)
    courses: dict[str, CourseDoc] = field(default_factory=dict)
    quizzes: dict[str, QuizDoc] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def clause_lessons(self) -> dict[str, str]:
        """Clause id → id of the lesson it lives in (what a ``#clause.id`` link resolves by)."""
        return {clause_id: clause.lesson_id for clause_id, clause in self.clause_index().items()}

    def clause_index(self) -> dict[str, ClauseDoc]:
        """All clauses by id (first occurrence wins; duplicates were reported by the loader)."""
        index: dict[str, ClauseDoc] = {}
        for lesson in self.lessons.values():
            for clause in lesson.clauses:
                index.setdefault(clause.id, clause)
        return index
