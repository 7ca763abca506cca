"""Panels higher layers add to 我的培训 and the team dashboard, without training importing them.

A feature above training (certificates) registers a :class:`Panel` in ``app/blueprints.py``: a
template and the functions that compute its data. The training pages render each registered
panel whose function returns something (None: nothing to show for this employee or team).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "training_panels"


@dataclass(frozen=True)
class Panel:
    key: str
    #: included with ``panel`` (this object) and ``panel_data`` (what the function returned)
    template: str
    #: (employee_id, today) → data for 我的培训, or None
    my_training: Callable[[int, dt.date], Any] | None = None
    #: (member ids, today) → data for the team dashboard, or None
    team: Callable[[list[int], dt.date], Any] | None = None


@dataclass(frozen=True)
class Shown:
    panel: Panel
    data: Any


def register_panel(app: Flask, panel: Panel) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(panel)


def _panels() -> list[Panel]:
    return list(current_app.extensions.get(EXTENSION_KEY, []))


def for_employee(employee_id: int, today: dt.date) -> list[Shown]:
    return [Shown(p, data) for p in _panels() if p.my_training is not None
            and (data := p.my_training(employee_id, today)) is not None]


def for_team(member_ids: list[int], today: dt.date) -> list[Shown]:
    return [Shown(p, data) for p in _panels() if p.team is not None
            and (data := p.team(member_ids, today)) is not None]
