"""The catalog synced from content/standards: courses, lessons, clauses, reading progress.

Rows are never deleted by a sync: an item that left the content is marked ``retired`` so that
progress, questions and results that point at it keep their meaning.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: order in courses.yml, for the catalogue
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: sha256 of the course's source entry; a changed hash means the course changed
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    lesson_links: Mapped[list[CourseLesson]] = relationship(
        order_by="CourseLesson.position", cascade="all, delete-orphan")


class Lesson(db.Model):
    __tablename__ = "lesson"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: sanitised HTML rendered at sync time (never per request)
    html: Mapped[str] = mapped_column(Text, default="")
    toc_html: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str] = mapped_column(String(255), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    clauses: Mapped[list[Clause]] = relationship(order_by="Clause.position", back_populates="lesson")


class CourseLesson(db.Model):
    __tablename__ = "course_lesson"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lesson.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    lesson: Mapped[Lesson] = relationship()


class Clause(db.Model):
    __tablename__ = "clause"

    #: stable dotted id such as ``phone.answer.rings``; also the HTML anchor in the lesson page
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lesson.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(String(128))
    #: 2 or 3 for section headings, 0 for list-item clauses (the testable facts)
    level: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: sha256 of the normalised text (app.content.normalise): equal across cosmetic edits; NULL on
    #: rows synced before it existed (the next sync fills it from ``text``)
    text_hash: Mapped[str | None] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    lesson: Mapped[Lesson] = relationship(back_populates="clauses")


class LessonProgress(db.Model):
    """"I have read this": one row per employee and lesson, kept across content changes."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("employee_id", "lesson_id", name="uq_lesson_progress_employee_lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lesson.id"), index=True)
    #: the lesson version that was read; a later change shows the lesson as updated
    content_hash: Mapped[str] = mapped_column(String(64))
    read_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ChangeSetState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ChangeKind(StrEnum):
    CHANGED = "changed"
    ADDED = "added"
    #: recorded for information: nobody is re-tested on a clause that is gone
    REMOVED = "removed"


class ContentChangeSet(db.Model):
    """The clauses one ``flask content sync`` changed in substance (see ``app.content.normalise``).

    Written by the sync when at least one clause was changed or added; HR then confirms it
    (everyone who learned the old version gets a refresher) or dismisses it.
    """

    __tablename__ = "content_change_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: sha256 over the lessons' content hashes after the sync (the content version it produced)
    content_version: Mapped[str] = mapped_column(String(64))
    #: pending, confirmed or dismissed (ChangeSetState)
    state: Mapped[str] = mapped_column(String(16), default=ChangeSetState.PENDING.value, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    changes: Mapped[list[ContentChange]] = relationship(
        back_populates="change_set", order_by="ContentChange.position", cascade="all, delete-orphan")

    @property
    def activity_id(self) -> str:
        """The id of its refresher (the quiz ``retest-<id>`` and the reading assignment)."""
        return f"{RETEST_PREFIX}{self.id}"


#: the refresher quiz / reading of change set N is ``retest-N``
RETEST_PREFIX = "retest-"


class ContentChange(db.Model):
    __tablename__ = "content_change"
    __table_args__ = (UniqueConstraint("change_set_id", "clause_id", name="uq_content_change_set_clause"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_set_id: Mapped[int] = mapped_column(ForeignKey("content_change_set.id"), index=True)
    clause_id: Mapped[str] = mapped_column(String(128))
    lesson_id: Mapped[str] = mapped_column(String(64))
    #: the section heading clause the clause sits in (the anchor to reread), or the clause itself
    section_id: Mapped[str] = mapped_column(String(128))
    #: changed, added or removed (ChangeKind)
    kind: Mapped[str] = mapped_column(String(16))
    old_hash: Mapped[str | None] = mapped_column(String(64))
    new_hash: Mapped[str | None] = mapped_column(String(64))
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    change_set: Mapped[ContentChangeSet] = relationship(back_populates="changes")
