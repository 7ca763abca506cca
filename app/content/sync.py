"""Import a validated ContentSet into the catalog tables.

Idempotent (a second run reports everything unchanged), non-destructive (rows that left the
content are retired, never deleted), and rendering happens here, once, so lesson pages only read
stored HTML. The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable

from sqlalchemy import select

from app.content.documents import ContentSet, CourseDoc, LessonDoc
from app.content.models import Clause, Course, CourseLesson, Lesson
from app.content.plugins import ContentPlugin, SyncReport
from app.content.render import render_lesson
from app.extensions import db

logger = logging.getLogger(__name__)


def digest(*parts: object) -> str:
    """A stable sha256 over JSON-serialisable parts."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _lesson_hash(doc: LessonDoc) -> str:
    return digest("lesson", doc.id, doc.title, doc.title_en, doc.summary, doc.body)


def _course_hash(doc: CourseDoc, position: int) -> str:
    return digest("course", doc.id, doc.title, doc.title_en, doc.description, doc.lessons, position)


def _sync_lessons(content: ContentSet, report: SyncReport) -> None:
    existing = {row.id: row for row in db.session.scalars(select(Lesson))}
    for doc in content.lessons.values():
        new_hash = _lesson_hash(doc)
        row = existing.get(doc.id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note("lesson", "unchanged", doc.id)
            continue
        rendered = render_lesson(doc.body)
        if row is None:
            row = Lesson(id=doc.id)
            db.session.add(row)
            report.note("lesson", "added", doc.id)
        else:
            report.note("lesson", "changed", doc.id)
        row.title, row.title_en, row.summary = doc.title, doc.title_en, doc.summary
        row.html, row.toc_html = rendered.html, rendered.toc_html
        row.source_path, row.content_hash, row.retired, row.synced_at = doc.path, new_hash, False, _now()
    for lesson_id, row in existing.items():
        if lesson_id not in content.lessons and not row.retired:
            row.retired = True
            report.note("lesson", "retired", lesson_id)
    db.session.flush()


def _sync_clauses(content: ContentSet, report: SyncReport) -> None:
    existing = {row.id: row for row in db.session.scalars(select(Clause))}
    seen: set[str] = set()
    for lesson in content.lessons.values():
        for position, doc in enumerate(lesson.clauses):
            seen.add(doc.id)
            new_hash = digest("clause", doc.id, lesson.id, doc.parent_id, doc.level, doc.text)
            row = existing.get(doc.id)
            if row is not None and row.content_hash == new_hash and row.position == position and not row.retired:
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
    for clause_id, row in existing.items():
        if clause_id not in seen and not row.retired:
            row.retired = True
            report.note("clause", "retired", clause_id)
    db.session.flush()


def _sync_courses(content: ContentSet, report: SyncReport) -> None:
    existing = {row.id: row for row in db.session.scalars(select(Course))}
    for position, doc in enumerate(content.courses.values()):
        new_hash = _course_hash(doc, position)
        row = existing.get(doc.id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note("course", "unchanged", doc.id)
            continue
        if row is None:
            row = Course(id=doc.id)
            db.session.add(row)
            report.note("course", "added", doc.id)
        else:
            report.note("course", "changed", doc.id)
        row.title, row.title_en, row.description = doc.title, doc.title_en, doc.description
        row.position, row.content_hash, row.retired, row.synced_at = position, new_hash, False, _now()
        row.lesson_links.clear()
        db.session.flush()  # the old links go before new ones with the same keys arrive
        row.lesson_links.extend(CourseLesson(course_id=doc.id, lesson_id=lesson_id, position=i)
                                for i, lesson_id in enumerate(dict.fromkeys(doc.lessons)))
    for course_id, row in existing.items():
        if course_id not in content.courses and not row.retired:
            row.retired = True
            report.note("course", "retired", course_id)
    db.session.flush()


def sync_content(content: ContentSet, plugins: Iterable[ContentPlugin] = ()) -> SyncReport:
    """Bring the catalog in line with ``content`` (which must have validated cleanly)."""
    report = SyncReport()
    _sync_lessons(content, report)
    _sync_clauses(content, report)
    _sync_courses(content, report)
    for plugin in plugins:
        if plugin.sync is not None:
            plugin.sync(content, report)
    logger.info("content sync: %s", "; ".join(report.lines()[:10]) or "nothing to do")
    return report
