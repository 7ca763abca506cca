"""The course as an activity kind: assigned like any activity, completed by reading its lessons.

A course yields no Result (and so no appraisal score): an assignment of it is completed when
every active lesson of the course has been read, reading before the assignment included; it is
in progress once one of them has been read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from app.content.documents import ContentSet
from app.content.models import Clause, Course, CourseLesson, Lesson, LessonProgress
from app.extensions import db
from app.results.kinds import ActivityKind, CompletionSQL, build_url


def _course_lessons(assignment, *columns, read: bool):
    stmt = (select(*columns).select_from(CourseLesson)
            .join(Lesson, Lesson.id == CourseLesson.lesson_id)
            .where(CourseLesson.course_id == assignment.activity_id, Lesson.retired.is_(False)))
    if read:
        stmt = stmt.join(LessonProgress, and_(LessonProgress.lesson_id == CourseLesson.lesson_id,
                                              LessonProgress.employee_id == assignment.employee_id))
    return stmt.correlate(assignment).scalar_subquery()


class CourseKind(ActivityKind):
    key = "course"
    label = _l("Course")
    component = None  # reading yields no score
    catalog = Course
    position = 10

    def cited_clauses(self, activity_id: str) -> list[str]:
        """Every active clause of the course's active lessons."""
        return list(db.session.scalars(
            select(Clause.id).join(CourseLesson, CourseLesson.lesson_id == Clause.lesson_id)
            .join(Lesson, Lesson.id == Clause.lesson_id)
            .where(CourseLesson.course_id == activity_id, Lesson.retired.is_(False), Clause.retired.is_(False))
            .order_by(CourseLesson.position, Clause.position)))

    def content_ids(self, content: ContentSet) -> set[str]:
        return set(content.courses)

    def start_url(self, activity_id: str) -> str | None:
        return build_url("content.course", course_id=activity_id)

    def employee_of(self, obj) -> int | None:
        """A lesson read (a course's completion follows its lessons' reading)."""
        return obj.employee_id if isinstance(obj, LessonProgress) else None

    def completion_sql(self, assignment) -> CompletionSQL:
        total = _course_lessons(assignment, func.count(), read=False)
        read = _course_lessons(assignment, func.count(), read=True)
        return CompletionSQL(completed=and_(total > 0, read >= total), started=read > 0,
                             completed_at=_course_lessons(assignment, func.max(LessonProgress.read_at), read=True))
