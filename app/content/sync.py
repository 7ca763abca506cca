"""Import a validated ContentSet into the catalog tables.

Idempotent (a second run reports everything unchanged), non-destructive (rows that left the
content are retired, never deleted), and rendering happens here, once, so lesson pages only read
stored HTML. The caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select

from app.content.changes import ClauseChange, content_version, record_change_set
from app.content.documents import ContentSet, CourseDoc, LessonDoc
from app.content.models import ChangeKind, Clause, Course, CourseLesson, Lesson
from app.content.normalise import text_hash
from app.content.plugins import ContentPlugin, SyncReport
from app.content.render import Rendered, clause_resolver, render_lesson
from app.extensions import db
from app.timeutil import utcnow as _now

logger = logging.getLogger(__name__)


def digest(*parts: object) -> str:
    """A stable sha256 over JSON-serialisable parts."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()



def upsert_catalog(model, kind: str, docs: Mapping[str, Any], *, hash_of: Callable[[Any, int], str],
                   fill: Callable[[Any, Any, int, bool], None], report: SyncReport,
                   keep_out: tuple = ()) -> None:
    """The one upsert-or-retire loop behind every catalog sync (lessons, courses, questions, quizzes …).

    For each document: unchanged rows (same hash, not retired) are left alone; new ids get a row;
    changed ones are refilled by ``fill(row, doc, position, is_new)``. Rows whose id left the
    content are retired, never deleted. ``model`` needs ``id``, ``content_hash`` and ``retired``.
    ``keep_out``: SQL criteria selecting the rows this sync owns (rows made by the app itself,
    such as refresher quizzes, are left alone).
    """
    existing = {row.id: row for row in db.session.scalars(select(model).where(*keep_out))}
    for position, (item_id, doc) in enumerate(docs.items()):
        new_hash = hash_of(doc, position)
        row = existing.get(item_id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note(kind, "unchanged", item_id)
            continue
        is_new = row is None
        if is_new:
            row = model(id=item_id)
            db.session.add(row)
        report.note(kind, "added" if is_new else "changed", item_id)
        fill(row, doc, position, is_new)
        row.content_hash, row.retired = new_hash, False
    for item_id, row in existing.items():
        if item_id not in docs and not row.retired:
            row.retired = True
            report.note(kind, "retired", item_id)
    db.session.flush()


def _lesson_hash(doc: LessonDoc) -> str:
    return digest("lesson", doc.id, doc.title, doc.title_en, doc.summary, doc.body)


def _course_hash(doc: CourseDoc, position: int) -> str:
    return digest("course", doc.id, doc.title, doc.title_en, doc.description, doc.lessons, position)


def _sync_lessons(content: ContentSet, report: SyncReport) -> None:
    """Upsert lessons, then refresh the stored HTML of every lesson whose rendering changed.

    A lesson's HTML depends on more than its own text: its ``#clause.id`` links point at the
    lesson each clause lives in, and the renderer itself improves. Those changes re-render the
    page without touching ``content_hash``, so readers are not told the lesson changed.
    """
    clause_lessons = content.clause_lessons()
    rendered: dict[str, Rendered] = {
        lesson_id: render_lesson(doc.body, clause_resolver(clause_lessons, lesson_id))
        for lesson_id, doc in content.lessons.items()
    }

    def fill(row: Lesson, doc: LessonDoc, _position: int, _is_new: bool) -> None:
        row.title, row.title_en, row.summary = doc.title, doc.title_en, doc.summary
        row.source_path, row.synced_at = doc.path, _now()

    upsert_catalog(Lesson, "lesson", content.lessons, hash_of=lambda doc, _pos: _lesson_hash(doc),
                   fill=fill, report=report)
    for row in db.session.scalars(select(Lesson).where(Lesson.id.in_(list(rendered)))):
        page = rendered[row.id]
        if (row.html, row.toc_html) != (page.html, page.toc_html):
            row.html, row.toc_html = page.html, page.toc_html
    db.session.flush()


def _sync_clauses(content: ContentSet, report: SyncReport) -> list[ClauseChange]:
    """Upsert clauses; return the changes of substance (normalised text, ``app.content.normalise``).

    ``content_hash`` changes with any edit (a re-render, a moved clause, a comma); the normalised
    ``text_hash`` only when the words change. Rows synced before ``text_hash`` existed get it
    here, computed from their stored text, so the first sync after the upgrade compares properly.
    On an empty catalog (the very first sync) nothing counts as a change.
    """
    existing = {row.id: row for row in db.session.scalars(select(Clause))}
    first_sync = not existing
    changes: list[ClauseChange] = []
    seen: set[str] = set()
    for lesson in content.lessons.values():
        for position, doc in enumerate(lesson.clauses):
            seen.add(doc.id)
            new_hash = digest("clause", doc.id, lesson.id, doc.parent_id, doc.level, doc.text)
            new_text_hash = text_hash(doc.text)
            section_id = doc.parent_id if doc.level == 0 and doc.parent_id else doc.id
            row = existing.get(doc.id)
            if row is not None and row.text_hash is None:
                row.text_hash = text_hash(row.text)  # backfill
            if row is None or row.retired:
                if not first_sync:
                    changes.append(ClauseChange(doc.id, lesson.id, section_id, ChangeKind.ADDED,
                                                None, new_text_hash, None, doc.text))
            elif row.text_hash != new_text_hash:
                changes.append(ClauseChange(doc.id, lesson.id, section_id, ChangeKind.CHANGED,
                                            row.text_hash, new_text_hash, row.text, doc.text))
            if (row is not None and row.content_hash == new_hash and row.position == position
                    and not row.retired and row.text_hash == new_text_hash):
                report.note("clause", "unchanged", doc.id)
                continue
            if row is None:
                row = Clause(id=doc.id)
                db.session.add(row)
                report.note("clause", "added", doc.id)
            elif row.content_hash != new_hash or row.retired:
                report.note("clause", "changed", doc.id)
            row.lesson_id, row.parent_id, row.level = lesson.id, doc.parent_id, doc.level
            row.position, row.text, row.content_hash, row.retired = position, doc.text, new_hash, False
            row.text_hash = new_text_hash
    for clause_id, row in existing.items():
        if clause_id not in seen and not row.retired:
            row.retired = True
            report.note("clause", "retired", clause_id)
            old = row.text_hash or text_hash(row.text)
            section_id = row.parent_id if row.level == 0 and row.parent_id else row.id
            changes.append(ClauseChange(row.id, row.lesson_id, section_id, ChangeKind.REMOVED,
                                        old, None, row.text, None))
    db.session.flush()
    return changes


def _fill_course(row: Course, doc: CourseDoc, position: int, is_new: bool) -> None:
    row.title, row.title_en, row.description = doc.title, doc.title_en, doc.description
    row.position, row.synced_at = position, _now()
    if not is_new:
        row.lesson_links.clear()
        db.session.flush()  # the old links go before new ones with the same keys arrive
    row.lesson_links.extend(CourseLesson(course_id=doc.id, lesson_id=lesson_id, position=i)
                            for i, lesson_id in enumerate(dict.fromkeys(doc.lessons)))


def _sync_courses(content: ContentSet, report: SyncReport) -> None:
    upsert_catalog(Course, "course", content.courses, hash_of=_course_hash, fill=_fill_course, report=report)


def sync_content(content: ContentSet, plugins: Iterable[ContentPlugin] = ()) -> SyncReport:
    """Bring the catalog in line with ``content`` (which must have validated cleanly)."""
    report = SyncReport()
    _sync_lessons(content, report)
    changes = _sync_clauses(content, report)
    _sync_courses(content, report)
    for plugin in plugins:
        if plugin.sync is not None:
            plugin.sync(content, report)
    change_set = record_change_set(changes, content_version(), _now())
    if change_set is not None:
        report.change_set_id = change_set.id
    logger.info("content sync: %s", "; ".join(report.lines()[:10]) or "nothing to do")
    return report
