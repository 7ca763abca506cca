"""Typed reads from a YAML mapping that turn every wrong shape into a located Problem.

Front matter, ``courses.yml`` and ``quizzes.yml`` are written by hand, so any key may hold any
YAML value. :class:`Fields` reads one mapping with the expected types and records a Problem (at
the key's line) instead of raising, so one bad value never hides the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .documents import Problem
from .yaml_lines import LineDict, LineList


def _is_scalar_text(value: Any) -> bool:
    """Numbers count as text (``title: 2024``); booleans and containers do not."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


class Fields:
    """Reads the keys of one YAML mapping, collecting problems into a shared list."""

    def __init__(self, data: LineDict, path: str, problems: list[Problem]) -> None:
        self.data = data
        self.path = path
        self.problems = problems

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def report(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), message))

    def missing(self, key: str) -> None:
        """Report an absent (or explicitly empty) required key."""
        if key in self.data:
            self.report(key, f"{key!r} is empty")
        else:
            self.problems.append(Problem(self.path, self.data.line, f"missing required key {key!r}"))

    def check_keys(self, allowed: Iterable[str], what: str) -> None:
        """Report keys outside ``allowed``: a typo must not be silently ignored."""
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                self.report(key, f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)})")

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A non-empty text value, or None (reported when required or of the wrong type)."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if not _is_scalar_text(value):
            self.report(key, f"{key!r} must be text")
            return None
        text = str(value).strip()
        if not text and required:
            self.report(key, f"{key!r} is empty")
            return None
        return text or None

    def text_list(self, key: str, *, required: bool = False) -> tuple[list[str], list[int]]:
        """A list of texts (a single text counts as a one-item list) and each item's line."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key)
            return [], []
        if _is_scalar_text(value):
            return [str(value).strip()], [self.line(key)]
        if not isinstance(value, LineList):
            self.report(key, f"{key!r} must be a list")
            return [], []
        items: list[str] = []
        lines: list[int] = []
        for index, item in enumerate(value):
            if _is_scalar_text(item) and str(item).strip():
                items.append(str(item).strip())
                lines.append(value.line_of(index))
            else:
                self.problems.append(Problem(self.path, value.line_of(index), f"items of {key!r} must be text"))
        return items, lines

    def integer(self, key: str, *, default: int | None = None, required: bool = False) -> int | None:
        """An integer value (YAML ``80``, not ``"80"`` nor ``true``); ranges are checked later."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key)
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"{key!r} must be a whole number")
            return default
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(key, f"{key!r} must be true or false")
            return default
        return value
