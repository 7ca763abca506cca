"""Shared pieces of turning parsed drill documents into the JSON ``spec`` stored in the catalog.

Each kind renders its own payload (``<kind>/spec.py``); they all quote cited clauses the same way:
every cited clause is stored with its lesson and text, so feedback can quote the clause and link
to it without another query, and a clause edit shows up as a changed item.
"""

from __future__ import annotations

from typing import Any

from app.content.documents import ClauseDoc

from .spec_common import Cite

Known = dict[str, ClauseDoc]


def quote(clause_ids: list[str], known: Known) -> list[dict[str, str]]:
    """``[{id, lesson_id, text}]`` for each distinct known clause id, in order."""
    quoted = []
    for clause_id in dict.fromkeys(clause_ids):
        clause = known.get(clause_id)
        if clause is not None:
            quoted.append({"id": clause.id, "lesson_id": clause.lesson_id, "text": clause.text})
    return quoted


def cite_ids(cites: list[Cite]) -> list[str]:
    return [c.clause_id for c in cites]


def spec_cited_ids(spec: Any) -> list[str]:
    """Every clause id quoted anywhere in a stored spec (each ``cites`` list), each once, in order."""
    ids: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "cites" and isinstance(item, list):
                    ids.extend(c["id"] for c in item if isinstance(c, dict) and "id" in c)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec)
    return list(dict.fromkeys(ids))
