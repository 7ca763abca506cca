"""Reading the catalog: courses with progress, lesson neighbours, reading progress, clause search."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from app.content.models import Clause, Course, CourseLesson, Lesson, LessonProgress
from app.extensions import db
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

#: a search term shorter than this matches too much to be useful
MIN_QUERY_LENGTH = 1
MAX_QUERY_LENGTH = 50


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    lessons_total: int
    lessons_read: int

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_read / self.lessons_total) if self.lessons_total else 0


def active_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.retired.is_(False)).order_by(Course.position)))


def course_progress(employee_id: int, courses: list[Course]) -> dict[str, CourseProgress]:
    """Lessons read per course for one employee, in two aggregate queries whatever the course count."""
    if not courses:
        return {}
    ids = [c.id for c in courses]
    totals = dict(db.session.execute(
        select(CourseLesson.course_id, func.count())
        .join(Lesson, Lesson.id == CourseLesson.lesson_id)
        .where(CourseLesson.course_id.in_(ids), Lesson.retired.is_(False))
        .group_by(CourseLesson.course_id)).all())
    read = dict(db.session.execute(
        select(CourseLesson.course_id, func.count())
        .join(Lesson, Lesson.id == CourseLesson.lesson_id)
        .join(LessonProgress, (LessonProgress.lesson_id == CourseLesson.lesson_id)
              & (LessonProgress.employee_id == employee_id))
        .where(CourseLesson.course_id.in_(ids), Lesson.retired.is_(False))
        .group_by(CourseLesson.course_id)).all())
    return {c.id: CourseProgress(c, totals.get(c.id, 0), read.get(c.id, 0)) for c in courses}


def course_lessons(course_id: str) -> list[Lesson]:
    return list(db.session.scalars(
        select(Lesson).join(CourseLesson, CourseLesson.lesson_id == Lesson.id)
        .where(CourseLesson.course_id == course_id, Lesson.retired.is_(False))
        .order_by(CourseLesson.position)))


def read_lessons(employee_id: int, lesson_ids: list[str] | None = None) -> dict[str, LessonProgress]:
    stmt = select(LessonProgress).where(LessonProgress.employee_id == employee_id)
    if lesson_ids is not None:
        stmt = stmt.where(LessonProgress.lesson_id.in_(lesson_ids))
    return {p.lesson_id: p for p in db.session.scalars(stmt)}


def courses_of_lesson(lesson_id: str) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(CourseLesson, CourseLesson.course_id == Course.id)
        .where(CourseLesson.lesson_id == lesson_id, Course.retired.is_(False)).order_by(Course.position)))


def neighbours(course_id: str, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
    """The previous and next lesson of ``lesson_id`` within ``course_id``."""
    lessons = course_lessons(course_id)
    ids = [lesson.id for lesson in lessons]
    if lesson_id not in ids:
        return None, None
    i = ids.index(lesson_id)
    return (lessons[i - 1] if i > 0 else None), (lessons[i + 1] if i + 1 < len(lessons) else None)


def mark_read(employee_id: int, lesson: Lesson, now: dt.datetime | None = None) -> LessonProgress:
    """Record that the employee read this version of the lesson (idempotent per employee and lesson)."""
    now = now or utcnow()
    progress = db.session.scalar(select(LessonProgress).where(
        LessonProgress.employee_id == employee_id, LessonProgress.lesson_id == lesson.id))
    if progress is None:
        progress = LessonProgress(employee_id=employee_id, lesson_id=lesson.id)
        db.session.add(progress)
    progress.content_hash, progress.read_at = lesson.content_hash, now
    db.session.flush()
    logger.info("lesson %s read by employee %s", lesson.id, employee_id)
    return progress


def normalise_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_clauses(query: str, limit: int = 100) -> list[Clause]:
    """Clauses whose text (or lesson title) contains every word of ``query``.

    A plain LIKE scan: Chinese words are mostly two characters, which trigram indexes (FTS5
    trigram, pg_trgm) cannot match, and the catalog holds hundreds of clauses, not millions.
    Behaves the same on SQLite and PostgreSQL.
    """
    words = [w for w in normalise_query(query).split(" ") if len(w) >= MIN_QUERY_LENGTH]
    if not words:
        return []
    stmt = (select(Clause).join(Lesson, Lesson.id == Clause.lesson_id)
            .where(Clause.retired.is_(False), Lesson.retired.is_(False)))
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        stmt = stmt.where(or_(Clause.text.ilike(pattern, escape="\\"), Lesson.title.ilike(pattern, escape="\\")))
    stmt = stmt.order_by(Clause.lesson_id, Clause.position).limit(limit)
    return list(db.session.scalars(stmt))


def handbook_lessons() -> list[Lesson]:
    """Every active lesson, in course order (onboarding first), each once."""
    seen: dict[str, Lesson] = {}
    rows = db.session.scalars(
        select(Lesson).join(CourseLesson, CourseLesson.lesson_id == Lesson.id)
        .join(Course, Course.id == CourseLesson.course_id)
        .where(Course.retired.is_(False), Lesson.retired.is_(False))
        .order_by(Course.position, Course.id, CourseLesson.position))  # one query, whatever the course count
    for lesson in rows:
        seen.setdefault(lesson.id, lesson)
    return list(seen.values())


@dataclass(frozen=True)
class ClauseWhere:
    """Where a clause sits, in words: its lesson's title and the heading it stands under."""

    lesson_id: str
    lesson_title: str
    section: str | None

    def __str__(self) -> str:
        return f"{self.lesson_title} › {self.section}" if self.section else self.lesson_title


def clause_where(clause_ids: Iterable[str]) -> dict[str, ClauseWhere]:
    """id → :class:`ClauseWhere` for the known ids (retired clauses included), in one query."""
    ids = sorted(set(clause_ids))
    if not ids:
        return {}
    parent = aliased(Clause)
    rows = db.session.execute(
        select(Clause.id, Clause.lesson_id, Lesson.title, parent.text)
        .join(Lesson, Lesson.id == Clause.lesson_id)
        .outerjoin(parent, parent.id == Clause.parent_id)
        .where(Clause.id.in_(ids)))
    return {row[0]: ClauseWhere(row[1], row[2], row[3]) for row in rows}
