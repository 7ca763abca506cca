"""The registry of read models: name → rebuild function (and a snapshot for equivalence tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True)
class ReadModel:
    #: short stable name, e.g. "activity_status" (used by ``--only`` and in logs)
    name: str
    #: recompute every row from the source tables in ``db.session``; flush, never commit; return rows written
    rebuild: Callable[[], int]
    #: the read model's rows as sorted plain tuples (what the equivalence test compares)
    snapshot: Callable[[], list[tuple]]
    #: one line for ``flask readmodels list``
    description: str = ""
    #: the tables the rebuild rewrites (their planner statistics are refreshed after it: ``statistics.py``)
    tables: tuple[str, ...] = ()


def _registry(app: Flask | None = None) -> dict[str, ReadModel]:
    return (app or current_app).extensions.setdefault("readmodels", {})


def register_read_model(app: Flask, model: ReadModel) -> None:
    models = _registry(app)
    if model.name in models and models[model.name] is not model:
        raise ValueError(f"read model {model.name!r} registered twice")
    models[model.name] = model


def all_read_models() -> list[ReadModel]:
    return list(_registry().values())


def get_read_model(name: str) -> ReadModel:
    try:
        return _registry()[name]
    except KeyError:
        known = ", ".join(sorted(_registry())) or "none"
        raise KeyError(f"unknown read model {name!r} (known: {known})") from None
