"""The quiz as an activity kind: what training and appraisal know of quizzes, and nothing more.

The SQL hooks answer, over the quiz tables, the questions the upper floors ask of every kind:
is an attempt in progress, which clauses were answered wrong, how many points per lesson.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, exists, func, inspect, select

from app.content.documents import ContentSet
from app.content.models import RETEST_PREFIX
from app.content.sync import digest
from app.extensions import db
from app.results.kinds import ActivityKind, CatalogItem, CitingQuestion, build_url, day_of

from .draw import candidates, rule_pool
from .models import FINISHED_STATES, Attempt, AttemptItem, AttemptState, Question, QuestionCitation, Quiz


class QuizKind(ActivityKind):
    key = "quiz"
    label = _l("Quiz")
    component = "theory"
    catalog = Quiz
    position = 20

    def active_items(self) -> list[CatalogItem]:
        """Assignable quizzes: refresher quizzes (``retest-N``) are given by HR's confirmation only."""
        return [item for item in super().active_items() if not item.id.startswith(RETEST_PREFIX)]

    def cited_clauses(self, activity_id: str) -> list[str]:
        """The clauses cited by the active questions the quiz's draw rules can pick (what it can test)."""
        quiz = db.session.get(Quiz, activity_id)
        if quiz is None:
            return []
        pool = candidates()
        drawable = {q.id for rule in quiz.draw for q in rule_pool(quiz, rule, pool)}
        if not drawable:
            return []
        return sorted(set(db.session.scalars(select(QuestionCitation.clause_id)
                                             .where(QuestionCitation.question_id.in_(sorted(drawable))))))

    def content_ids(self, content: ContentSet) -> set[str]:
        return set(content.quizzes)

    def start_url(self, activity_id: str) -> str | None:
        if activity_id.startswith(RETEST_PREFIX):  # started from its refresher card in 我的培训
            url = build_url("training.my_training")
            return f"{url}#{activity_id}" if url else None
        url = build_url("quizzes.quiz_list")  # the list holds the start buttons (and the rules)
        return f"{url}#quiz-{activity_id}" if url else None

    def review_url(self, source_id: int) -> str | None:
        return build_url("quizzes.review", attempt_id=source_id)

    def in_progress_sql(self, employee_id, activity_id) -> ColumnElement[bool]:
        return exists().where(Attempt.employee_id == employee_id, Attempt.quiz_id == activity_id,
                              Attempt.state == AttemptState.IN_PROGRESS.value)

    def _answers(self, employee_ids: Iterable[int] | None, since: dt.datetime | None) -> list:
        criteria = [Attempt.state.in_(FINISHED_STATES)]
        if employee_ids is not None:
            criteria.append(Attempt.employee_id.in_(list(employee_ids)))
        if since is not None:
            criteria.append(Attempt.finished_at >= since)
        return criteria

    def wrong_clause_counts(self, employee_ids, since, by_day: bool = False) -> Select:
        """Finished answers scoring below full marks → the clauses their questions cite."""
        extra = [Attempt.employee_id.label("employee_id"), day_of(Attempt.finished_at).label("day")] if by_day else []
        return (select(QuestionCitation.clause_id.label("clause_id"), func.count().label("n"), *extra)
                .join(AttemptItem, AttemptItem.question_id == QuestionCitation.question_id)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(*self._answers(employee_ids, since), AttemptItem.fraction < 1)
                .group_by(QuestionCitation.clause_id, *extra))

    def lesson_points(self, employee_ids, since, by_day: bool = False) -> Select:
        """Per employee and lesson: points scored (sum of fractions) over scored answers."""
        extra = [day_of(Attempt.finished_at).label("day")] if by_day else []
        return (select(Attempt.employee_id.label("employee_id"), Question.lesson_id.label("lesson_id"),
                       func.sum(AttemptItem.fraction).label("points"), func.count(AttemptItem.id).label("answers"),
                       *extra)
                .select_from(AttemptItem)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .join(Question, Question.id == AttemptItem.question_id)
                .where(*self._answers(employee_ids, since), AttemptItem.fraction.is_not(None))
                .group_by(Attempt.employee_id, Question.lesson_id, *extra))

    def employee_of(self, obj) -> int | None:
        """An attempt started or finished (its state changed); paging and autosaves change nothing."""
        if isinstance(obj, Attempt) and inspect(obj).attrs.state.history.has_changes():
            return obj.employee_id
        return None

    def course_items(self, course_ids) -> Select:
        return (select(Quiz.course_id.label("course_id"), Quiz.id.label("id"), Quiz.title.label("title"),
                       Quiz.position.label("position"))
                .where(Quiz.course_id.in_(course_ids), Quiz.retired.is_(False)))

    def questions_citing(self, clause_ids: Iterable[str]) -> list[CitingQuestion]:
        ids = sorted(set(clause_ids))
        if not ids:
            return []
        citing = select(QuestionCitation.question_id).where(QuestionCitation.clause_id.in_(ids))
        questions = list(db.session.scalars(select(Question).where(Question.id.in_(citing),
                                                                   Question.retired.is_(False))
                                            .order_by(Question.lesson_id, Question.source_line, Question.id)))
        return [CitingQuestion(q.id, q.lesson_id, q.prompt_html, tuple(q.cites)) for q in questions]

    def make_retest(self, activity_id: str, title: str, question_ids: list[str], pass_mark: int) -> bool:
        """A quiz drawing every one of ``question_ids`` and nothing else (no time limit, unlimited tries)."""
        ids = sorted(set(question_ids))
        rule = {"count": len(ids), "lesson": None, "tag": None, "difficulty": None, "questions": ids}
        quiz = db.session.get(Quiz, activity_id)
        if quiz is None:
            quiz = Quiz(id=activity_id, position=10_000)
            db.session.add(quiz)
        quiz.title, quiz.title_en, quiz.course_id = title, None, None
        quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts, quiz.shuffle = pass_mark, None, None, True
        quiz.draw, quiz.retired = [rule], False
        quiz.content_hash = digest("retest-quiz", activity_id, ids, pass_mark)
        db.session.flush()
        return True
