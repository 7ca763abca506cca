"""Read-only views of attempts for pages and for the layers above (training, dashboards).

Every function is a handful of SQL aggregates, whatever the number of attempts, and takes plain
arguments (employee ids, not a request). Only finished attempts (submitted or expired) count as
results; an attempt in progress is reported as such and never with a score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select

from app.content.models import RETEST_PREFIX, Course
from app.extensions import db
from app.people.models import Employee
from app.results.windows import counts_since_window

from .activity_kind import QuizKind
from .models import FINISHED_STATES, Attempt, AttemptState, Quiz


@dataclass
class QuizOverview:
    """One line of a trainee's quiz list."""

    quiz: Quiz
    course: Course | None
    attempts_used: int
    best_score: float | None
    passed: bool
    open_attempt: Attempt | None
    last_finished: Attempt | None

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left is None or self.attempts_left > 0


def active_quizzes() -> list[Quiz]:
    """Active quizzes of the content; refresher quizzes (``retest-N``) start from 我的培训 only."""
    return list(db.session.scalars(select(Quiz).where(Quiz.retired.is_(False), ~Quiz.id.startswith(RETEST_PREFIX))
                                   .order_by(Quiz.position, Quiz.id)))


def quiz_overview(employee_id: int) -> list[QuizOverview]:
    """Every active quiz with the employee's attempts used, best score and open attempt."""
    quizzes = active_quizzes()
    per_quiz = {row.quiz_id: row for row in db.session.execute(
        select(Attempt.quiz_id,
               func.count().filter(counts_since_window(Attempt.started_at, employee_id, QuizKind.key, Attempt.quiz_id))
               .label("used"),
               func.max(case((Attempt.state.in_(FINISHED_STATES), Attempt.score))).label("best"),
               func.max(case((Attempt.passed.is_(True), 1), else_=0)).label("passed"))
        .where(Attempt.employee_id == employee_id).group_by(Attempt.quiz_id))}
    open_attempts = {a.quiz_id: a for a in db.session.scalars(select(Attempt).where(
        Attempt.employee_id == employee_id, Attempt.state == AttemptState.IN_PROGRESS.value))}
    latest = latest_attempts([employee_id])
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    out = []
    for quiz in quizzes:
        row = per_quiz.get(quiz.id)
        out.append(QuizOverview(
            quiz=quiz, course=courses.get(quiz.course_id or ""), attempts_used=row.used if row else 0,
            best_score=row.best if row else None, passed=bool(row.passed) if row else False,
            open_attempt=open_attempts.get(quiz.id), last_finished=latest.get((employee_id, quiz.id)),
        ))
    return out


def attempts_of(employee_id: int, quiz_id: str | None = None) -> list[Attempt]:
    """An employee's attempts, newest first."""
    stmt = select(Attempt).where(Attempt.employee_id == employee_id)
    if quiz_id:
        stmt = stmt.where(Attempt.quiz_id == quiz_id)
    return list(db.session.scalars(stmt.order_by(Attempt.started_at.desc(), Attempt.id.desc())))


def finished_attempts(employees: Select | None = None, *, quiz_id: str | None = None, limit: int = 200) -> list[Attempt]:
    """Finished attempts newest first; ``employees`` is a SELECT of employees (for instance
    ``app.people.permissions.visible_employees(viewer)``) restricting whose attempts are listed."""
    stmt = select(Attempt).where(Attempt.state.in_(FINISHED_STATES))
    if employees is not None:
        ids = employees.with_only_columns(Employee.id).order_by(None).scalar_subquery()
        stmt = stmt.where(Attempt.employee_id.in_(ids))
    if quiz_id:
        stmt = stmt.where(Attempt.quiz_id == quiz_id)
    return list(db.session.scalars(stmt.order_by(Attempt.finished_at.desc(), Attempt.id.desc()).limit(limit)))


def latest_attempts(employee_ids: Iterable[int], quiz_ids: Iterable[str] | None = None) -> dict[tuple[int, str], Attempt]:
    """The latest *finished* attempt per (employee id, quiz id), for dashboards and assignments."""
    ids = list(employee_ids)
    if not ids:
        return {}
    rank = func.row_number().over(partition_by=(Attempt.employee_id, Attempt.quiz_id),
                                  order_by=(Attempt.finished_at.desc(), Attempt.id.desc())).label("rank")
    inner = select(Attempt.id, rank).where(Attempt.employee_id.in_(ids), Attempt.state.in_(FINISHED_STATES))
    if quiz_ids is not None:
        inner = inner.where(Attempt.quiz_id.in_(list(quiz_ids)))
    ranked = inner.subquery()
    rows = db.session.scalars(select(Attempt).join(ranked, ranked.c.id == Attempt.id).where(ranked.c.rank == 1))
    return {(a.employee_id, a.quiz_id): a for a in rows}
