"""Job kinds: the feature packages' job functions, registered by name in app/blueprints.py.

A job function takes a :class:`JobContext` and returns the result dict (JSON). It works in
``db.session`` and only flushes: the runner writes the job's ``done`` state in the same
transaction and commits once, so a job's work and its completion are one atomic step, and a
re-run after a crash starts from the beginning. It must therefore be idempotent (close: skip
when already closed; export: rewrite its own file; import: all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app


class JobError(Exception):
    """A clean failure: the message is shown on the job page; ``details`` go to the result."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details


@dataclass
class JobContext:
    job_id: int
    kind: str
    params: dict
    actor_id: int | None
    #: callbacks run after the job's transaction committed (e.g. delete a consumed upload)
    on_success: list[Callable[[], None]] = field(default_factory=list)

    def report(self, percent: float, message: str = "") -> bool:
        from app.jobs.progress import report

        return report(self.job_id, percent, message)


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext], dict | None]
    #: what the job page calls it (a lazy string)
    label: object
    #: template included on the job page of a finished job (gets ``job``, ``result`` and ``extra``)
    result_template: str | None = None
    #: extra template context for the result: ``(job, viewer) -> dict`` (may hide data from non-owners)
    result_view: Callable | None = None


@dataclass
class JobsState:
    kinds: dict[str, JobKind] = field(default_factory=dict)
    #: roles that see every job (the owner always sees their own)
    viewer_roles: frozenset[str] = frozenset()


def state(app: Flask | None = None) -> JobsState:
    app = app or current_app
    return app.extensions.setdefault("jobs", JobsState())


def register_job_kind(app: Flask, kind: JobKind) -> None:
    kinds = state(app).kinds
    if kind.name in kinds and kinds[kind.name] is not kind:
        raise ValueError(f"job kind {kind.name!r} registered twice")
    kinds[kind.name] = kind


def get_kind(name: str, app: Flask | None = None) -> JobKind:
    try:
        return state(app).kinds[name]
    except KeyError:
        raise KeyError(f"unknown job kind {name!r}") from None
