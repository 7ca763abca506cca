"""The question bank, quizzes, and attempts (after Moodle's quiz model).

``Question`` and ``Quiz`` rows are synced from ``content/standards`` (never deleted: retired).
An ``Attempt`` freezes what it drew: each ``AttemptItem`` keeps a copy of the question as it was
shown (spec, rendered prompt and options, option order), so later content changes never alter a
started or finished attempt, and the item is also the saved response (one row per question).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.content.models import Course
from app.extensions import db
from app.people.models import Employee


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    #: finished by the server at the deadline, graded on the answers saved until then
    EXPIRED = "expired"


FINISHED_STATES = (AttemptState.SUBMITTED.value, AttemptState.EXPIRED.value)


class Question(db.Model):
    __tablename__ = "question"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lesson.id"), index=True)
    #: a name registered in ``app.quizzes.question_types``
    type: Mapped[str] = mapped_column(String(16))
    #: 1 easy, 2 medium, 3 hard
    difficulty: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the type's parsed spec, answer key included: server side only, never sent to a browser
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: sanitised HTML rendered at sync time (prompt, options in authored order, explanation,
    #: and the correct answer as shown on review pages)
    prompt_html: Mapped[str] = mapped_column(Text)
    options_html: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str] = mapped_column(String(255), default="")
    source_line: Mapped[int] = mapped_column(Integer, default=0)
    #: sha256 of the source block; a changed hash bumps ``version``
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    citations: Mapped[list[QuestionCitation]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionCitation.position")

    @property
    def cites(self) -> list[str]:
        return [c.clause_id for c in self.citations]


class QuestionCitation(db.Model):
    """A clause a question tests: joins responses to the standard ("which clauses do we miss")."""

    __tablename__ = "question_citation"

    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clause.id"), primary_key=True, index=True)
    #: order in the question's ``cites:`` line
    position: Mapped[int] = mapped_column(Integer, default=0)

    question: Mapped[Question] = relationship(back_populates="citations")


class Quiz(db.Model):
    __tablename__ = "quiz"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    course_id: Mapped[str | None] = mapped_column(ForeignKey("course.id"), index=True)
    #: 0-100: an attempt passes when its score reaches it
    pass_mark: Mapped[int] = mapped_column(Integer)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    #: None: unlimited
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    #: shuffle the drawn questions and the options of each (ordering items are always shuffled)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    #: draw rules: ``[{"count": 3, "lesson": "phone", "tag": null, "difficulty": null}, ...]``
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: order in quizzes.yml
    position: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    course: Mapped[Course | None] = relationship()

    @property
    def question_count(self) -> int:
        return sum(int(rule.get("count", 0)) for rule in self.draw)


class Attempt(db.Model):
    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("employee_id", "quiz_id", "number", name="uq_attempt_employee_quiz_number"),
        #: at most one attempt in progress per employee and quiz, whatever races the services lose
        Index("uq_attempt_one_in_progress", "employee_id", "quiz_id", unique=True,
              sqlite_where=text("state = 'in_progress'"), postgresql_where=text("state = 'in_progress'")),
        Index("ix_attempt_quiz_state", "quiz_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quiz.id"))
    #: 1 for the employee's first attempt at this quiz, 2 for the second …
    number: Mapped[int] = mapped_column(Integer)
    #: in_progress, submitted or expired
    state: Mapped[str] = mapped_column(String(16), default=AttemptState.IN_PROGRESS.value)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: started_at + the time limit (UTC); None when the quiz has no limit
    deadline: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: 0-100, set when the attempt finishes
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    #: the quiz's pass mark when the attempt started (content may change it later)
    pass_mark: Mapped[int] = mapped_column(Integer)
    #: the page the trainee was last on, so resuming opens it
    current_page: Mapped[int] = mapped_column(Integer, default=1)

    employee: Mapped[Employee] = relationship()
    quiz: Mapped[Quiz] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS.value

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES


class AttemptItem(db.Model):
    """One drawn question of an attempt, frozen as shown, with the response saved so far."""

    __tablename__ = "attempt_item"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_attempt_item_attempt_position"),
        #: no question twice in one attempt
        UniqueConstraint("attempt_id", "question_id", name="uq_attempt_item_attempt_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    #: 1-based place in the attempt (after shuffling)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), index=True)
    question_version: Mapped[int] = mapped_column(Integer)
    qtype: Mapped[str] = mapped_column(String(16))
    #: frozen copy of the question's spec (with its key: server side only)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    prompt_html: Mapped[str] = mapped_column(Text)
    options_html: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    #: the clause ids the question cited when drawn (for review links)
    cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: ``option_order[i]`` = authored index of the option shown at place i; None: authored order
    option_order: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    #: the normalised response (authored option indices, bool or text); NULL: not answered
    response: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    #: canonical short form of the response (``QuestionType.summarise``), grouped by item analysis
    choice_key: Mapped[str | None] = mapped_column(String(128))
    saved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: 0-1, set when the attempt finishes
    fraction: Mapped[float | None] = mapped_column(Float)

    attempt: Mapped[Attempt] = relationship(back_populates="items")

    @property
    def answered(self) -> bool:
        return self.response is not None


class QuestionFlag(db.Model):
    """HR's "flag for review" of a question (item-analysis page): the content team's to-do list.

    One row per flagged question (unique), so a second submit finds the flag and changes nothing;
    clearing the flag deletes the row. The audit log keeps who flagged or cleared what, and why.
    """

    __tablename__ = "question_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), unique=True)
    #: why the question needs review, as HR wrote it
    reason: Mapped[str] = mapped_column(Text)
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime)

    question: Mapped[Question] = relationship()
    flagged_by: Mapped[Employee | None] = relationship()


# --- read models behind item analysis (app/quizzes/item_counters.py maintains them) ---------------


class QuizItemStat(db.Model):
    """Per quiz and question, over the items of finished attempts: counts and the sums behind the
    facility and the point-biserial r, in integers (x = fraction × 10,000, y = score × 100) so
    that incremental updates and a rebuild give the very same numbers in any order."""

    __tablename__ = "quiz_item_stat"

    quiz_id: Mapped[str] = mapped_column(ForeignKey("quiz.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    #: items (responses) counted; answered: with a response; unanswered: without a summary
    n: Mapped[int] = mapped_column(BigInteger, default=0)
    answered: Mapped[int] = mapped_column(BigInteger, default=0)
    unanswered: Mapped[int] = mapped_column(BigInteger, default=0)
    sx: Mapped[int] = mapped_column(BigInteger, default=0)
    sy: Mapped[int] = mapped_column(BigInteger, default=0)
    sxy: Mapped[int] = mapped_column(BigInteger, default=0)
    sxx: Mapped[int] = mapped_column(BigInteger, default=0)
    syy: Mapped[int] = mapped_column(BigInteger, default=0)


class QuizAnswerStat(db.Model):
    """Per quiz, question and answer: how many finished items picked it. For choice questions the
    key is an option's authored index ("0", "1" …; a multiple pick counts once per option), for
    typed and ordering questions the response's summary (``AttemptItem.choice_key``)."""

    __tablename__ = "quiz_answer_stat"

    quiz_id: Mapped[str] = mapped_column(ForeignKey("quiz.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    answer_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class QuizAttemptStat(db.Model):
    """Per quiz: finished attempts and the sum of their scores in hundredths (the mean score)."""

    __tablename__ = "quiz_attempt_stat"

    quiz_id: Mapped[str] = mapped_column(ForeignKey("quiz.id"), primary_key=True)
    attempts: Mapped[int] = mapped_column(BigInteger, default=0)
    score_sum: Mapped[int] = mapped_column(BigInteger, default=0)
