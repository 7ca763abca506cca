"""The course as an activity kind: assigned like any activity, completed by reading its lessons.

A course yields no Result (and so no appraisal score): an assignment of it is completed when
every active lesson of the course has been read, reading before the assignment included; it is
in progress once one of them has been read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, func, literal, select

from app.content.changes import parse_activity_id
from app.content.documents import ContentSet
from app.content.models import (
    RETEST_PREFIX,
    ChangeKind,
    Clause,
    ContentChange,
    ContentChangeSet,
    Course,
    CourseLesson,
    Lesson,
    LessonProgress,
)
from app.extensions import db
from app.results.kinds import ActivityKind, CatalogItem, CompletionSQL, build_url


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


def _change_set_lessons(assignment):
    """The lessons with changed or added clauses in the change set named by ``assignment.activity_id``."""
    named = (literal(RETEST_PREFIX) + cast(ContentChange.change_set_id, String)) == assignment.activity_id
    return and_(named, ContentChange.kind != ChangeKind.REMOVED.value)


def _reread_since(assignment, lesson_id):
    return and_(LessonProgress.employee_id == assignment.employee_id, LessonProgress.lesson_id == lesson_id,
                LessonProgress.read_at >= assignment.created_at)


class RereadKind(ActivityKind):
    """Rereading the sections a standard change touched, when no question cites the changed clauses.

    Its items are change sets (``retest-N``), given by HR's confirmation only (never in the assign
    form). An assignment of it is completed when every lesson with a changed clause has been
    marked read again since the assignment was made.
    """

    key = "reread"
    label = _l("Reading of changed sections")
    component = None
    catalog = ContentChangeSet
    position = 15

    def _title(self, change_set_id: int) -> str:
        return str(_l("Updated standard: reread (change %(n)s)", n=change_set_id))

    def active_items(self) -> list[CatalogItem]:
        return []

    def find(self, activity_id: str, *, active_only: bool = True) -> CatalogItem | None:
        set_id = parse_activity_id(activity_id)
        if set_id is None or db.session.get(ContentChangeSet, set_id) is None:
            return None
        return CatalogItem(activity_id, self._title(set_id))

    def titles(self, activity_ids) -> dict[str, str]:
        return {a: self._title(n) for a in set(activity_ids) if (n := parse_activity_id(a)) is not None}

    def cited_clauses(self, activity_id: str) -> list[str]:
        set_id = parse_activity_id(activity_id)
        return list(db.session.scalars(select(ContentChange.clause_id).where(
            ContentChange.change_set_id == set_id, ContentChange.kind != ChangeKind.REMOVED.value)))

    def start_url(self, activity_id: str) -> str | None:
        url = build_url("training.my_training")
        return f"{url}#{activity_id}" if url else None

    def completion_sql(self, assignment) -> CompletionSQL:
        lessons = _change_set_lessons(assignment)
        reread_lesson = (select(LessonProgress.id).where(_reread_since(assignment, ContentChange.lesson_id))
                         .correlate_except(LessonProgress).exists())  # two levels down: correlate explicitly
        unread = select(ContentChange.id).where(lessons, ~reread_lesson).correlate(assignment).exists()
        any_lesson = select(ContentChange.id).where(lessons).correlate(assignment).exists()
        reread = (select(LessonProgress.read_at).join(ContentChange, ContentChange.lesson_id == LessonProgress.lesson_id)
                  .where(lessons, _reread_since(assignment, ContentChange.lesson_id)))
        started = reread.correlate(assignment).exists()
        done_at = (select(func.max(LessonProgress.read_at))
                   .join(ContentChange, ContentChange.lesson_id == LessonProgress.lesson_id)
                   .where(lessons, _reread_since(assignment, ContentChange.lesson_id))
                   .correlate(assignment).scalar_subquery())
        return CompletionSQL(completed=and_(any_lesson, ~unread), started=started, completed_at=done_at)
