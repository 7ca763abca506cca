"""Drafts → question-bank files in the exact format of content/standards/README.md.

One file per lesson (front matter ``lesson: <id>``), one ``## id`` block per question: the
``key: value`` lines, a blank line, the prompt, the answer list (``- [x]`` boxes or ``1.``
numbers), the explanation as ``>`` lines. Texts that the question parser would misread (a prompt
line that looks like a list item, a quote or a heading) are escaped with a backslash, which
Markdown renders as the plain character.
"""

from __future__ import annotations

import re

from .model import Draft

_LIST_START_RE = re.compile(r"( {0,3})([-*+]|\d{1,9}[.)])([ \t]|\Z)")
_QUOTE_START_RE = re.compile(r"( {0,3})>")
_HEADING_RE = re.compile(r"##(?:[ \t]|\Z)")


def _prompt_line(line: str) -> str:
    match = _LIST_START_RE.match(line)
    if match:
        marker = match.group(2)
        escaped = f"{marker[:-1]}\\{marker[-1]}" if marker[0].isdigit() else "\\" + marker
        return match.group(1) + escaped + line[match.end(2):]
    match = _QUOTE_START_RE.match(line)
    if match:
        return match.group(1) + "\\" + line[match.end(1):]
    return "\\" + line if _HEADING_RE.match(line) else line


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_question(draft: Draft) -> str:
    lines = [f"## {draft.id}"]
    lines += [f"{key}: {_one_line(value)}" for key, value in draft.meta.items()]
    lines.append("")
    lines += [_prompt_line(line.rstrip()) for line in draft.prompt.strip().split("\n")]
    if draft.options:
        lines.append("")
        for number, (text, checked) in enumerate(draft.options, start=1):
            if checked is None:
                lines.append(f"{number}. {_one_line(text)}")
            else:
                lines.append(f"- [{'x' if checked else ' '}] {_one_line(text)}")
    if draft.explanation.strip():
        lines.append("")
        lines += [f"> {line.rstrip()}" if line.strip() else ">" for line in draft.explanation.strip().split("\n")]
    return "\n".join(lines) + "\n"


def render_file(lesson: str, drafts: list[Draft]) -> str:
    return f"---\nlesson: {lesson}\n---\n" + "\n".join(render_question(d) for d in drafts)
