"""How higher layers plug their own content kinds into `flask content check/sync/stats`.

app/content knows nothing of quizzes or drills (DESIGN.md §1). Those packages register, at app
creation, a ``ContentPlugin``: a checker (more problems for ``content check``), a syncer (import
their rows in the same transaction as the catalog), a stats function (their counts and the
clause ids they cite, for coverage) and extra ``flask content …`` commands (``commands``,
attached to the group by ``app.content.cli.add_plugin_commands``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import click
from flask import Flask, current_app

from app.content.documents import ContentSet, Problem

EXTENSION_KEY = "content_plugins"


@dataclass
class SyncReport:
    """What a sync did, per kind of item: ids added, changed, retired; how many unchanged."""

    added: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)
    retired: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, outcome: str, item_id: str) -> None:
        if outcome == "unchanged":
            self.unchanged[kind] = self.unchanged.get(kind, 0) + 1
        else:
            getattr(self, outcome).setdefault(kind, []).append(item_id)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.added) | set(self.changed) | set(self.retired) | set(self.unchanged))
        out = []
        for kind in kinds:
            out.append(f"{kind}: {len(self.added.get(kind, []))} added, {len(self.changed.get(kind, []))} changed, "
                       f"{len(self.retired.get(kind, []))} retired, {self.unchanged.get(kind, 0)} unchanged")
            for outcome in ("added", "changed", "retired"):
                for item_id in getattr(self, outcome).get(kind, []):
                    out.append(f"  {outcome} {kind} {item_id}")
        return out

    @property
    def is_noop(self) -> bool:
        return not (self.added or self.changed or self.retired)


@dataclass
class StatsContribution:
    counts: dict[str, object]
    citations: Iterable[str] = ()


@dataclass
class ContentPlugin:
    name: str
    check: Callable[[ContentSet], Iterable[Problem]] | None = None
    sync: Callable[[ContentSet, SyncReport], None] | None = None
    stats: Callable[[ContentSet], StatsContribution] | None = None
    #: more subcommands of ``flask content`` (e.g. the quiz layer's export-bank / import-bank)
    commands: tuple[click.Command, ...] = ()


def register_plugin(app: Flask, plugin: ContentPlugin) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(plugin)


def plugins() -> list[ContentPlugin]:
    return list(current_app.extensions.get(EXTENSION_KEY, []))
