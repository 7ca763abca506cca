"""Change sets: the clauses a sync changed in substance, kept for HR to confirm or dismiss.

The content floor only records *what* changed (and reads it back); who must re-learn it is the
training floor's question (``app.training.retest``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from app.content.models import (
    RETEST_PREFIX,
    ChangeKind,
    ChangeSetState,
    ContentChange,
    ContentChangeSet,
    Lesson,
)
from app.extensions import db

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClauseChange:
    clause_id: str
    lesson_id: str
    section_id: str
    kind: ChangeKind
    old_hash: str | None
    new_hash: str | None
    old_text: str | None
    new_text: str | None


def content_version() -> str:
    """sha256 over every active lesson's content hash: names the content a sync produced."""
    rows = db.session.execute(select(Lesson.id, Lesson.content_hash).where(Lesson.retired.is_(False))
                              .order_by(Lesson.id)).all()
    payload = json.dumps([(r.id, r.content_hash) for r in rows], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record_change_set(changes: list[ClauseChange], version: str, now: dt.datetime) -> ContentChangeSet | None:
    """A pending change set when at least one clause was changed or added; None otherwise.

    Removed clauses are kept in it for information but alone do not make one (nobody can be
    re-tested on a clause that is gone).
    """
    if not any(c.kind != ChangeKind.REMOVED for c in changes):
        return None
    change_set = ContentChangeSet(synced_at=now, content_version=version, state=ChangeSetState.PENDING.value)
    order = {ChangeKind.CHANGED: 0, ChangeKind.ADDED: 1, ChangeKind.REMOVED: 2}
    for position, c in enumerate(sorted(changes, key=lambda c: (order[c.kind], c.lesson_id, c.clause_id))):
        change_set.changes.append(ContentChange(
            clause_id=c.clause_id, lesson_id=c.lesson_id, section_id=c.section_id, kind=c.kind.value,
            old_hash=c.old_hash, new_hash=c.new_hash, old_text=c.old_text, new_text=c.new_text,
            position=position))
    db.session.add(change_set)
    db.session.flush()
    logger.info("change set %s: %d clause change(s) recorded", change_set.id, len(changes))
    return change_set


def change_sets(state: str | None = None) -> list[ContentChangeSet]:
    stmt = select(ContentChangeSet).order_by(ContentChangeSet.synced_at.desc(), ContentChangeSet.id.desc())
    if state is not None:
        stmt = stmt.where(ContentChangeSet.state == state)
    return list(db.session.scalars(stmt))


def change_counts(change_set_ids: list[int]) -> dict[int, dict[str, int]]:
    """change set id → {kind: number of clauses} (one GROUP BY)."""
    if not change_set_ids:
        return {}
    out: dict[int, dict[str, int]] = {}
    rows = db.session.execute(select(ContentChange.change_set_id, ContentChange.kind, func.count())
                              .where(ContentChange.change_set_id.in_(change_set_ids))
                              .group_by(ContentChange.change_set_id, ContentChange.kind))
    for set_id, kind, n in rows:
        out.setdefault(set_id, {})[kind] = n
    return out


def parse_activity_id(activity_id: str) -> int | None:
    """``retest-12`` → 12; None for anything else."""
    if not activity_id.startswith(RETEST_PREFIX):
        return None
    tail = activity_id[len(RETEST_PREFIX):]
    return int(tail) if tail.isdigit() else None
