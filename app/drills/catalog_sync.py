"""Upsert the drill catalog from a validated content set (called by ``flask content sync``).

Idempotent: an item whose rendered spec hashes the same is "unchanged". Non-destructive: an item
whose file is gone is retired, never deleted. A changed scenario gets a new
:class:`ScenarioVersion`; runs keep the version they started on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.content.documents import ContentSet
from app.content.plugins import SyncReport
from app.content.sync import digest
from app.extensions import db
from app.timeutil import utcnow as _now

from .complaint.models import ComplaintExercise
from .complaint.spec import complaint_payload
from .drill_content import DrillSet, load_drills
from .language.models import LanguagePrompt
from .language.spec import prompt_payload
from .observation.models import Checklist
from .observation.spec import checklist_payload
from .scenario.models import Scenario, ScenarioVersion
from .scenario.spec import scenario_payload

logger = logging.getLogger(__name__)


def sync_drills(content: ContentSet, report: SyncReport) -> None:
    drills = load_drills(content)
    if drills.problems:
        raise ValueError(f"drill content has {len(drills.problems)} problem(s); run `flask content check`")
    known = content.clause_index()
    _upsert(Scenario, "scenario", [_row(d, scenario_payload(d, known)) for d in drills.scenarios],
            report, on_change=_ensure_version)
    _upsert(ComplaintExercise, "complaint_exercise",
            [_row(d, complaint_payload(d, known)) for d in drills.complaints], report)
    _upsert(LanguagePrompt, "language_prompt",
            [_row(d, prompt_payload(d, drills.common_banned, known)) for d in drills.prompts], report)
    _upsert(Checklist, "checklist", [_row(d, checklist_payload(d, known)) for d in drills.checklists], report)


def _row(doc, payload: dict[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    """(id, title, path, spec): the kind's payload plus the pass mark and attempt rules."""
    return (doc.id, doc.title, doc.path, {**payload, "policy": doc.policy.as_spec()})


def _upsert(model, kind: str, items: list[tuple[str, str, str, dict[str, Any]]], report: SyncReport,
            on_change: Callable[[Any], None] | None = None) -> None:
    existing = {row.id: row for row in db.session.scalars(select(model))}
    for position, (item_id, title, path, spec) in enumerate(items):
        new_hash = digest(kind, spec)
        row = existing.get(item_id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note(kind, "unchanged", item_id)
            if row.position != position or row.source_path != path:
                row.position, row.source_path = position, path
            continue
        if row is None:
            row = model(id=item_id)
            db.session.add(row)
            report.note(kind, "added", item_id)
        else:
            report.note(kind, "changed", item_id)
        row.title, row.spec, row.source_path, row.content_hash = title, spec, path, new_hash
        row.position, row.retired, row.synced_at = position, False, _now()
        db.session.flush()
        if on_change is not None:
            on_change(row)
    for item_id, row in existing.items():
        if item_id not in {item[0] for item in items} and not row.retired:
            row.retired = True
            report.note(kind, "retired", item_id)
    db.session.flush()


def _ensure_version(row: Scenario) -> None:
    version = db.session.scalar(select(ScenarioVersion).where(
        ScenarioVersion.scenario_id == row.id, ScenarioVersion.content_hash == row.content_hash))
    if version is None:
        db.session.add(ScenarioVersion(scenario_id=row.id, content_hash=row.content_hash, spec=row.spec))
        db.session.flush()
        logger.info("scenario %s: new version %s", row.id, row.content_hash[:12])


def drill_counts(drills: DrillSet) -> dict[str, int]:
    return {"scenarios": len(drills.scenarios), "complaint_exercises": len(drills.complaints),
            "language_prompts": len(drills.prompts), "checklists": len(drills.checklists),
            "checklist_items": sum(len(c.items) for c in drills.checklists)}
