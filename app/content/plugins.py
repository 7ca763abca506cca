"""How higher layers plug their own content kinds into `flask content check/sync/stats`.

app/content knows nothing of quizzes or drills (DESIGN.md §1). Those packages register, at app
creation, a ``ContentPlugin``: a checker (more problems for ``content check``), a syncer (import
their rows in the same transaction as the catalog), a stats function (their counts and the
clause ids they cite, for coverage), a linter (``flask content lint``: findings about how well
the content is written, with figures, rather than whether it is well-formed) and extra
``flask content …`` commands (``commands``, attached to the group by
``app.content.cli.add_plugin_commands``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    #: the ContentChangeSet this sync recorded (clauses changed in substance), if any
    change_set_id: int | None = None

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
        if self.change_set_id is not None:
            out.append(f"change set {self.change_set_id} recorded: HR reviews it under Training → Standard changes")
        return out

    @property
    def is_noop(self) -> bool:
        return not (self.added or self.changed or self.retired)


@dataclass
class StatsContribution:
    counts: dict[str, object]
    citations: Iterable[str] = ()


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class LintFinding:
    """One lint finding, shown as ``path:line: error|warning: message``; ``code`` names its class."""

    path: str
    line: int
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "severity": self.severity, "code": self.code,
                "message": self.message}


@dataclass
class LintRequest:
    """What ``content lint`` was asked for: source standards to compare against (``--source``)
    and whether the plugin may read the database (real answers)."""

    sources: list[Path] = field(default_factory=list)
    database: bool = False


@dataclass
class LintReport:
    """A plugin's findings and its figures (JSON-able, keyed by the plugin's choosing)."""

    findings: list[LintFinding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[LintFinding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[LintFinding]:
        return [f for f in self.findings if f.severity != ERROR]


@dataclass
class ContentPlugin:
    name: str
    check: Callable[[ContentSet], Iterable[Problem]] | None = None
    sync: Callable[[ContentSet, SyncReport], None] | None = None
    stats: Callable[[ContentSet], StatsContribution] | None = None
    lint: Callable[[ContentSet, LintRequest], LintReport] | None = None
    #: more subcommands of ``flask content`` (e.g. the quiz layer's export-bank / import-bank)
    commands: tuple[click.Command, ...] = ()


def register_plugin(app: Flask, plugin: ContentPlugin) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(plugin)


def plugins() -> list[ContentPlugin]:
    return list(current_app.extensions.get(EXTENSION_KEY, []))
