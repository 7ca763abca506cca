"""``content lint --source FILE``: prose copied from a source standard.

A finding is a run of at least N Chinese characters (default 20) of a lesson or question line
that also occurs in the source. Only Chinese characters are compared (punctuation, spaces, digits
and Latin letters are skipped, so re-punctuating a sentence does not hide it). Text inside
quotation marks (“…”, 「…」, 『…』) is left out: the standard's model phrases may be quoted verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import CJK_RE

QUOTED_RE = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』")


def chinese(text: str) -> str:
    return "".join(CJK_RE.findall(text))


def source_index(source_text: str, size: int) -> set[str]:
    """Every ``size``-character window of the source's Chinese text."""
    text = chinese(source_text)
    return {text[i:i + size] for i in range(len(text) - size + 1)}


@dataclass(frozen=True)
class CopiedRun:
    line: int
    text: str


def copied_runs(lines: list[str], index: set[str], size: int, first_line: int = 1) -> list[CopiedRun]:
    """The maximal runs of ≥ ``size`` Chinese characters per line that the source holds too."""
    runs: list[CopiedRun] = []
    for offset, raw in enumerate(lines):
        for part in QUOTED_RE.split(raw):
            text = chinese(part)
            start, end = 0, -1
            for i in range(len(text) - size + 1):
                if text[i:i + size] in index:
                    if i >= end:  # not overlapping the current run: a new one
                        if end >= 0:
                            runs.append(CopiedRun(first_line + offset, text[start:end]))
                        start = i
                    end = i + size
            if end >= 0:
                runs.append(CopiedRun(first_line + offset, text[start:end]))
    return runs
