"""Compatibility alias for ``bench/generate.py`` (outside this branch's scope): the role-play
engine now lives in :mod:`app.drills.scenario.services`. Delete when bench imports that."""

from .scenario.services import choose, current_node, start_run

__all__ = ["choose", "current_node", "start_run"]
