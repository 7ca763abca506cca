"""Helpers of the linter tests: the fixture banks and the line of a text in a fixture file."""

from __future__ import annotations

import shutil
from pathlib import Path

LINT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
GOOD = LINT_FIXTURES / "good"
BAD = LINT_FIXTURES / "bad"


def line_of(path: Path, text: str, after: str | None = None) -> int:
    """The 1-based line of the first line holding ``text`` (after the line holding ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def copy_bank(source: Path, tmp_path: Path, lint_yml: str | None = None) -> Path:
    root = tmp_path / source.name
    shutil.copytree(source, root)
    if lint_yml is not None:
        (root / "lint.yml").write_text(lint_yml, encoding="utf-8")
    return root
