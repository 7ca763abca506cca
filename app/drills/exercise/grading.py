"""What the two rubrics share: the clauses behind every missed part, each once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def distinct_clause_ids(cite_lists: Iterable[list[dict[str, Any]]]) -> list[str]:
    """The ids of the quoted clauses (``[{id, lesson_id, text}]`` lists), each once, in order."""
    return list(dict.fromkeys(c["id"] for cites in cite_lists for c in cites))
