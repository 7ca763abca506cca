"""Parse a question-bank file into generic QuestionDoc blocks.

The layout of a block (README, "Questions"): ``## id``, then ``key: value`` lines, a blank line,
the prompt, an optional answer list (task list, bullets or numbered), and the explanation as a
``>`` quote. The first list item starts the answer part, so a prompt cannot contain a list.
Nothing here knows question types: ``app.quizzes.question_types`` interprets the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import SLUG_RE, OptionDoc, Problem, QuestionDoc
from .fields import Fields
from .source import split_front_matter

QUESTION_FILE_KEYS = ("lesson",)

BLOCK_RE = re.compile(r"##(?:[ \t]+(.*?))?[ \t]*\Z")
META_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*[:：][ \t]*(.*)\Z")
OPTION_RE = re.compile(r" {0,3}([-*+]|\d{1,9}[.)])[ \t]+(.*)\Z")
TASK_RE = re.compile(r"\[([ xX])\][ \t]*(.*)\Z")
QUOTE_RE = re.compile(r" {0,3}>[ \t]?(.*)\Z")


@dataclass
class _Block:
    """The raw lines of one ``##`` block, with their file line numbers."""

    id: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _split_blocks(lines: list[str], first_line: int, display: str,
                  problems: list[Problem]) -> list[_Block]:
    """Cut the body at ``## `` headings; text before the first heading is an error."""
    blocks: list[_Block] = []
    for offset, raw in enumerate(lines):
        line, text = first_line + offset, raw.rstrip()
        heading = BLOCK_RE.match(text)
        if heading:
            blocks.append(_Block((heading.group(1) or "").strip(), line))
        elif blocks:
            blocks[-1].lines.append((line, text))
        elif text.strip():
            problems.append(Problem(display, line, "text before the first '## question-id' heading"))
    return blocks


class _BlockParser:
    """Turns one block's lines into meta, prompt, options and explanation."""

    def __init__(self, block: _Block, lesson: tuple[str, int], display: str, problems: list[Problem]) -> None:
        self.block = block
        self.lesson_id, self.lesson_line = lesson
        self.display = display
        self.problems = problems
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.prompt: list[str] = []
        self.options: list[OptionDoc] = []
        self.option_kinds: set[str] = set()
        self.explanation: list[str] = []
        self.state = "prompt"  # prompt → options → explanation → after

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def parse(self) -> QuestionDoc:
        rest = self.parse_meta(self.block.lines)
        for line, text in rest:
            self.parse_line(line, text)
        if not "\n".join(self.prompt).strip():
            self.report(self.block.line, f"question {self.block.id!r} has no prompt")
        return QuestionDoc(
            id=self.block.id, lesson_id=self.lesson_id, type=self.meta.get("type", ""),
            meta=self.meta, meta_lines=self.meta_lines, prompt="\n".join(self.prompt).strip(),
            options=self.options, numbered=self.option_kinds == {"numbered"},
            explanation="\n".join(self.explanation).strip(), path=self.display, line=self.block.line,
            lesson_line=self.lesson_line,
        )

    def parse_meta(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Read ``key: value`` lines up to the first blank line; return the remaining lines."""
        for index, (line, text) in enumerate(lines):
            if not text.strip():
                return lines[index + 1:]
            match = META_RE.match(text.strip())
            if not match:
                self.report(line, "expected a 'key: value' line (leave a blank line between the keys and the prompt)")
                continue
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in self.meta:
                self.report(line, f"duplicate key {key!r}")
                continue
            self.meta[key] = value
            self.meta_lines[key] = line
        return []

    def parse_line(self, line: int, text: str) -> None:
        quote = QUOTE_RE.match(text)
        option = OPTION_RE.match(text)
        if quote:
            if self.state == "after":
                self.explanation.append("")  # a second quoted paragraph
            self.state = "explanation"
            self.explanation.append(quote.group(1))
        elif not text.strip():
            if self.state == "explanation":
                self.state = "after"
            elif self.state == "prompt":
                self.prompt.append("")
        elif self.state == "explanation":
            self.explanation.append(text.strip())  # lazy continuation of the quote
        elif self.state == "after":
            self.report(line, "text after the explanation: the '>' explanation must end the question")
        elif option and self.state in ("prompt", "options"):
            self.state = "options"
            self.add_option(line, option.group(1), option.group(2))
        elif self.state == "options" and text[:1] in (" ", "\t") and self.options:
            self.options[-1].text = f"{self.options[-1].text} {text.strip()}"
        elif self.state == "options":
            self.report(line, "text between the answer list and the explanation")
        else:
            self.prompt.append(text)

    def add_option(self, line: int, bullet: str, text: str) -> None:
        kind = "numbered" if bullet[0].isdigit() else "bullet"
        task = TASK_RE.match(text)
        if task:
            kind, text = "task", task.group(2)
            checked: bool | None = task.group(1) != " "
        else:
            checked = None
        if self.option_kinds and kind not in self.option_kinds:
            self.report(line, "mixed list styles: use one of '- [ ]' boxes, '-' bullets or '1.' numbers")
        self.option_kinds.add(kind)
        if not text.strip():
            self.report(line, "empty answer option")
        self.options.append(OptionDoc(text.strip(), checked, line))


def parse_question_file(lines: list[str], display: str, stem: str) -> tuple[list[QuestionDoc], list[Problem]]:
    """Parse a question-bank file; structural failures of the front matter raise ContentError."""
    data, body_start, problems = split_front_matter(lines, display)
    fields = Fields(data, display, problems)
    fields.check_keys(QUESTION_FILE_KEYS, "question file front matter")
    lesson_id = fields.text("lesson", required=True)
    if lesson_id is not None and lesson_id != stem:
        fields.report("lesson", f"lesson {lesson_id!r} does not match the file name {stem + '.md'!r}")
    lesson_id = lesson_id or stem
    questions: list[QuestionDoc] = []
    for block in _split_blocks(lines[body_start:], body_start + 1, display, problems):
        if not SLUG_RE.match(block.id):
            problems.append(Problem(display, block.line, f"invalid question id {block.id!r}: "
                                    "use lowercase letters, digits and '-'"))
            continue
        lesson = (lesson_id, fields.line("lesson"))
        questions.append(_BlockParser(block, lesson, display, problems).parse())
    if not questions and not any(p.path == display for p in problems):
        problems.append(Problem(display, body_start + 1, "no questions: add '## question-id' blocks"))
    return questions, problems
