"""Parse one lesson file: front matter, clauses (``{#id}`` markers) and clause links.

This is a line scanner, not a Markdown parser: it only needs to know which lines are ``##``/``###``
headings, list items (with their continuation lines) and admonition blocks, and it must give the
exact line of each. The renderer (``render.py``) turns the same markers into HTML ids; the two
agree on the rule "a marker ends a heading or the first paragraph of a list item".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import CLAUSE_ID_RE, SLUG_RE, ClauseDoc, ContentError, LessonDoc, Problem
from .fields import Fields
from .source import split_front_matter

LESSON_KEYS = ("id", "title", "title_en", "summary", "sources")

HEADING_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*\Z")
LIST_ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)\Z")
ADMONITION_RE = re.compile(r"!!!\s")
#: A well-formed marker at the end of a text: ``… {#phone.answer.rings}``.
END_MARKER_RE = re.compile(r"[ \t]*\{#([^{}\s]*)\}[ \t]*\Z")
LINK_RE = re.compile(r"\]\(\s*#([^)\s]*)\s*\)")

_LINK_TEXT_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE_RE = re.compile(r"`([^`]*)`")
_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{2,3}|~~)(\S(?:.*?\S)?)\1")


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines: no space between two CJK characters (a browser-like space would be
    wrong in Chinese), one space otherwise."""
    joined = ""
    for text in (t.strip() for t in texts):
        if joined and text and not (joined[-1].isascii() or text[0].isascii()):
            joined += text
        else:
            joined = f"{joined} {text}" if joined else text
    return joined


def strip_inline(text: str) -> str:
    """Plain text of a one-line Markdown snippet: links, code and emphasis marks removed."""
    text = _LINK_TEXT_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    return " ".join(text.split())


@dataclass
class _Unit:
    """A heading or a list item's first paragraph: the text a marker may end."""

    kind: str  # "heading" | "item"
    level: int
    line: int
    parts: list[tuple[int, str]] = field(default_factory=list)
    in_admonition: bool = False


class _LessonScanner:
    """Walks the body lines once, building clauses and reporting marker problems."""

    def __init__(self, lesson_id: str, display: str, problems: list[Problem]) -> None:
        self.lesson_id = lesson_id
        self.display = display
        self.problems = problems
        self.clauses: list[ClauseDoc] = []
        self.links: list[tuple[str, int]] = []
        #: Enclosing heading clause ids by level (2, 3); None for a heading without a marker.
        self.headings: dict[int, str | None] = {}
        self.item: _Unit | None = None
        self.in_admonition = False

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def scan(self, lines: list[str], first_line: int) -> None:
        for offset, raw in enumerate(lines):
            self.scan_line(first_line + offset, raw.rstrip())
        self.flush_item()

    def scan_line(self, line: int, text: str) -> None:
        self.links.extend((target, line) for target in LINK_RE.findall(text))
        if not text.strip():
            self.flush_item()
            return
        indented = text[:1] in (" ", "\t")
        if not indented:
            self.in_admonition = False
        if ADMONITION_RE.match(text):
            self.flush_item()
            self.in_admonition = True
            self.check_stray_marker(line, text, "a clause marker cannot be put on an admonition")
            return
        heading = HEADING_RE.match(text)
        item = LIST_ITEM_RE.match(text)
        if heading:
            self.flush_item()
            level = len(heading.group(1))
            self.finish(_Unit("heading", level, line, [(line, heading.group(2) or "")]))
        elif item:
            self.flush_item()
            self.item = _Unit("item", 0, line, [(line, item.group(2))], self.in_admonition)
        elif self.item is not None:
            self.item.parts.append((line, text.strip()))
        else:
            self.check_stray_marker(line, text, "a clause marker belongs at the end of a ## heading or a list item")

    def flush_item(self) -> None:
        if self.item is not None:
            self.finish(self.item)
            self.item = None

    def check_stray_marker(self, line: int, text: str, message: str) -> bool:
        """Report a ``{#`` outside a well-formed end marker; True when one was found."""
        if "{#" in text:
            self.report(line, message)
            return True
        return False

    def finish(self, unit: _Unit) -> None:
        """Find the unit's marker, report misplaced ones, and record the clause if any."""
        last_line, last_text = unit.parts[-1]
        marker = END_MARKER_RE.search(last_text)
        stray = False
        for line, text in unit.parts:
            rest = text[: marker.start()] if marker and line == last_line else text
            stray |= self.check_stray_marker(line, rest, "malformed clause marker: end the line with {#lesson.part.item}")
        if unit.kind == "heading":
            self.headings = {level: cid for level, cid in self.headings.items() if level < unit.level}
        if marker is None:
            if unit.kind == "item" and not unit.in_admonition and not stray:
                self.report(unit.line, "list item without a clause id: end it with {#" + self.lesson_id + ".…}")
            return
        self.add_clause(unit, marker.group(1), last_text[: marker.start()])

    def add_clause(self, unit: _Unit, clause_id: str, last_text: str) -> None:
        if not CLAUSE_ID_RE.match(clause_id):
            self.report(unit.parts[-1][0], f"invalid clause id {clause_id!r}: use dotted lowercase words such as "
                        f"{self.lesson_id}.answer.rings")
            return
        if unit.kind == "heading" and unit.level not in (2, 3):
            self.report(unit.line, "only ## and ### headings can be clauses")
            return
        texts = [text for _, text in unit.parts[:-1]] + [last_text]
        self.clauses.append(ClauseDoc(
            id=clause_id, lesson_id=self.lesson_id, text=strip_inline(join_lines(texts)), level=unit.level,
            line=unit.line, parent_id=self.parent_for(unit), order=len(self.clauses) + 1,
        ))
        if unit.kind == "heading":
            self.headings[unit.level] = clause_id

    def parent_for(self, unit: _Unit) -> str | None:
        """The nearest enclosing heading clause (### before ##), skipping headings without ids."""
        levels = (2,) if unit.level == 3 else (3, 2) if unit.kind == "item" else ()
        for level in levels:
            if self.headings.get(level):
                return self.headings[level]
        return None


def parse_lesson(lines: list[str], display: str, stem: str) -> tuple[LessonDoc, list[Problem]]:
    """Parse a lesson's lines into a LessonDoc; structural failures raise ContentError."""
    data, body_start, problems = split_front_matter(lines, display)
    fields = Fields(data, display, problems)
    fields.check_keys(LESSON_KEYS, "lesson front matter")
    lesson_id = fields.text("id", required=True)
    if lesson_id is not None and not SLUG_RE.match(lesson_id):
        fields.report("id", f"invalid lesson id {lesson_id!r}: use lowercase letters, digits and '-'")
        lesson_id = None
    if lesson_id is not None and lesson_id != stem:
        fields.report("id", f"lesson id {lesson_id!r} does not match the file name {stem + '.md'!r}")
    lesson_id = lesson_id or stem
    if not SLUG_RE.match(lesson_id):
        raise ContentError(Problem(display, 1, f"invalid lesson file name {stem + '.md'!r}"))
    scanner = _LessonScanner(lesson_id, display, problems)
    scanner.scan(lines[body_start:], body_start + 1)
    lesson = LessonDoc(
        id=lesson_id,
        title=fields.text("title", required=True) or "",
        title_en=fields.text("title_en"),
        summary=fields.text("summary", required=True) or "",
        sources=fields.text_list("sources")[0],
        body="\n".join(lines[body_start:]),
        path=display,
        line=data.line_of("id") if "id" in data else 1,
        clauses=scanner.clauses,
        links=scanner.links,
        body_line=body_start + 1,
    )
    return lesson, problems
