"""The attempt lifecycle, after Moodle: ``in_progress`` → ``submitted``, or ``expired``.

* :func:`start_attempt` draws and freezes the questions and each option order, or returns the
  attempt already in progress (at most one per employee and quiz: a partial unique index backs
  the service-level check).
* :func:`save_answers` stores answers as they are given; the trainee resumes from them.
* :func:`submit_attempt` grades once. It locks the attempt row (``FOR UPDATE`` on PostgreSQL;
  SQLite writers are serialised by ``BEGIN IMMEDIATE``) and checks the state under the lock, so a
  double click, two tabs or concurrent workers yield one score and one Result.
* The deadline is the server's: any save, submit or page view at or after it finishes the attempt
  as ``expired``, graded on the answers saved until then (:func:`expire_if_due`).

Services flush, never commit. When one raises :class:`AttemptClosed` it may already have expired
the attempt: the caller commits anyway so the expiry and its Result are kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import math
import random
import secrets
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.content.models import RETEST_PREFIX
from app.extensions import db
from app.people.models import Employee
from app.results.services import record_result
from app.results.windows import counts_since_window, window_start
from app.timeutil import utcnow

from .activity_kind import QuizKind
from .draw import draw_questions
from .item_counters import count_attempt
from .models import Attempt, AttemptItem, AttemptState, Question, Quiz
from .question_types import get_type

logger = logging.getLogger(__name__)

#: Questions shown per page of an attempt.
QUESTIONS_PER_PAGE = 5


class AttemptError(Exception):
    """A refusal the routes turn into a clear message (never a 500)."""


class QuizUnavailable(AttemptError):
    """The quiz does not exist, is retired, or has no question left to draw."""


class NoAttemptsLeft(AttemptError):
    def __init__(self, quiz: Quiz, used: int) -> None:
        super().__init__(f"{quiz.id}: {used} of {quiz.max_attempts} attempts used")
        self.quiz, self.used = quiz, used


class AttemptNotFound(AttemptError):
    """No such attempt for this employee."""


class AttemptClosed(AttemptError):
    """The attempt is no longer in progress (``just_expired``: this very call expired it)."""

    def __init__(self, attempt: Attempt, just_expired: bool = False) -> None:
        super().__init__(f"attempt {attempt.id} is {attempt.state}")
        self.attempt, self.just_expired = attempt, just_expired



def is_due(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.is_open and attempt.deadline is not None and now >= attempt.deadline


def seconds_left(attempt: Attempt, now: dt.datetime) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, math.floor((attempt.deadline - now).total_seconds()))


def page_count(attempt: Attempt) -> int:
    return max(1, math.ceil(len(attempt.items) / QUESTIONS_PER_PAGE))


def items_on_page(attempt: Attempt, page: int) -> list[AttemptItem]:
    start = (page - 1) * QUESTIONS_PER_PAGE
    return attempt.items[start:start + QUESTIONS_PER_PAGE]


def clamp_page(attempt: Attempt, page: int | None) -> int:
    return min(max(1, page or attempt.current_page or 1), page_count(attempt))


# --- loading -------------------------------------------------------------------------------------


def _lock(attempt_id: int) -> Attempt | None:
    """The attempt, re-read under a row lock (PostgreSQL) so the state seen is the committed one."""
    stmt = (select(Attempt).where(Attempt.id == attempt_id).with_for_update()
            .execution_options(populate_existing=True))
    return db.session.scalar(stmt)


def _owned_locked(attempt_id: int, employee_id: int) -> Attempt:
    attempt = _lock(attempt_id)
    if attempt is None or attempt.employee_id != employee_id:
        raise AttemptNotFound(attempt_id)
    return attempt


def _fresh_items(attempt: Attempt, positions: Sequence[int] | None = None) -> list[AttemptItem]:
    """The items as committed (read after the lock), not as an earlier read in this session left
    them; only those at ``positions`` when given."""
    stmt = select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
    if positions is not None:
        stmt = stmt.where(AttemptItem.position.in_(list(positions)))
    return list(db.session.scalars(stmt.order_by(AttemptItem.position).execution_options(populate_existing=True)))


def open_attempt(employee_id: int, quiz_id: str) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.employee_id == employee_id, Attempt.quiz_id == quiz_id,
        Attempt.state == AttemptState.IN_PROGRESS.value))


def attempts_used(employee_id: int, quiz_id: str) -> int:
    """Attempts counted against the quiz's limit: those started in the current attempt window."""
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.employee_id == employee_id, Attempt.quiz_id == quiz_id,
        counts_since_window(Attempt.started_at, employee_id, QuizKind.key, quiz_id))) or 0


# --- start ---------------------------------------------------------------------------------------


def start_attempt(employee_id: int, quiz_id: str, *, now: dt.datetime | None = None,
                  rng: random.Random | None = None) -> tuple[Attempt, bool]:
    """The attempt to work on and whether it is new: the one in progress (resume), else a new
    one with its questions drawn and frozen. Raises QuizUnavailable or NoAttemptsLeft."""
    # One start at a time per employee (PostgreSQL); the partial unique index is the last guard.
    db.session.execute(select(Employee.id).where(Employee.id == employee_id).with_for_update())
    now = now or utcnow()
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.retired:
        raise QuizUnavailable(quiz_id)
    if quiz_id.startswith(RETEST_PREFIX) and window_start(employee_id, QuizKind.key, quiz_id) is None:
        # a refresher quiz is for the employees it was assigned to (the assignment opened their window)
        raise QuizUnavailable(quiz_id)
    current = open_attempt(employee_id, quiz_id)
    if current is not None:
        current = _lock(current.id)
        if current is not None and not is_due(current, now):
            return current, False
        if current is not None:
            finish_attempt(current, AttemptState.EXPIRED, now)
    used = attempts_used(employee_id, quiz_id)
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise NoAttemptsLeft(quiz, used)
    rng = rng or random.Random(secrets.randbits(64))
    question_ids = draw_questions(quiz, employee_id, rng)
    if not question_ids:
        raise QuizUnavailable(quiz_id)
    if quiz.shuffle:
        rng.shuffle(question_ids)
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids))
                                                     .options(selectinload(Question.citations)))}
    last = db.session.scalar(select(func.max(Attempt.number)).where(
        Attempt.employee_id == employee_id, Attempt.quiz_id == quiz_id)) or 0
    deadline = now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = Attempt(employee_id=employee_id, quiz_id=quiz.id, number=last + 1,
                      state=AttemptState.IN_PROGRESS.value, started_at=now, deadline=deadline,
                      pass_mark=quiz.pass_mark, current_page=1)
    for position, question_id in enumerate(question_ids, start=1):
        attempt.items.append(_freeze(questions[question_id], position, rng, quiz.shuffle))
    db.session.add(attempt)
    db.session.flush()
    logger.info("attempt %s of quiz %s started by employee %s (%d questions)", attempt.id, quiz.id,
                employee_id, len(question_ids))
    return attempt, True


def _freeze(question: Question, position: int, rng: random.Random, shuffle: bool) -> AttemptItem:
    qtype = get_type(question.type)
    return AttemptItem(
        position=position, question_id=question.id, question_version=question.version, qtype=question.type,
        spec=copy.deepcopy(question.spec), prompt_html=question.prompt_html,
        options_html=list(question.options_html or []), explanation_html=question.explanation_html,
        answer_html=question.answer_html, cites=question.cites,
        option_order=qtype.make_option_order(question.spec, rng, shuffle),
    )


# --- answering -----------------------------------------------------------------------------------


def ensure_open(attempt: Attempt, now: dt.datetime) -> None:
    """Raise AttemptClosed unless answers may still be saved; expire the attempt when it is due."""
    if not attempt.is_open:
        raise AttemptClosed(attempt)
    if is_due(attempt, now):
        finish_attempt(attempt, AttemptState.EXPIRED, now)
        raise AttemptClosed(attempt, just_expired=True)


def save_answers(attempt_id: int, employee_id: int, answers: Mapping[int, Sequence[str]], *,
                 now: dt.datetime | None = None, page: int | None = None) -> Attempt:
    """Store the raw form values of some items (by position); unknown positions are ignored and
    junk values become empty answers (the question types never raise on input)."""
    attempt = _owned_locked(attempt_id, employee_id)
    now = now or utcnow()  # read under the lock, so the timeline follows the order of writes
    ensure_open(attempt, now)
    by_position = {item.position: item for item in _fresh_items(attempt, list(answers)) if answers}
    changed = 0
    for position, raw in answers.items():
        item = by_position.get(position)
        if item is None:
            continue
        qtype = get_type(item.qtype)
        response = qtype.normalise_response(item.spec, list(raw), item.option_order)
        if response in ([], ""):
            response = None
        if response != item.response or item.saved_at is None:
            item.response = response
            item.choice_key = qtype.summarise(item.spec, response)
            item.saved_at = now
            changed += 1
    if page is not None:
        attempt.current_page = clamp_page(attempt, page)
    db.session.flush()
    logger.info("attempt %s: %d answer(s) saved by employee %s", attempt.id, changed, employee_id)
    return attempt


def refuse_unreadable(items, answers: dict[int, Sequence[str]]) -> list[tuple[int, str]]:
    """Take out of ``answers`` the inputs their question type cannot read (text for a number);
    returns (position, text) of each, for the message. They are not saved."""
    by_position = {item.position: item for item in items}
    refused = []
    for position in list(answers):
        item = by_position.get(position)
        if item is not None and get_type(item.qtype).input_problem(item.spec, list(answers[position])):
            refused.append((position, list(answers.pop(position))[0]))
    return refused


def set_page(attempt_id: int, employee_id: int, page: int, *, now: dt.datetime | None = None) -> Attempt:
    """Remember where the trainee is (resume opens that page)."""
    return save_answers(attempt_id, employee_id, {}, now=now, page=page)


# --- finishing -----------------------------------------------------------------------------------


def submit_attempt(attempt_id: int, employee_id: int, *, now: dt.datetime | None = None) -> tuple[Attempt, bool]:
    """Finish the attempt once: ``(attempt, True)`` for the call that graded it, ``(attempt,
    False)`` when it was already finished (a double click, a second tab, the back button). Past
    the deadline it finishes as ``expired`` with the answers saved in time."""
    attempt = _owned_locked(attempt_id, employee_id)
    now = now or utcnow()
    if not attempt.is_open:
        return attempt, False
    state = AttemptState.EXPIRED if is_due(attempt, now) else AttemptState.SUBMITTED
    finish_attempt(attempt, state, now)
    return attempt, True


def expire_if_due(attempt_id: int, *, now: dt.datetime | None = None) -> bool:
    """Finish an attempt whose deadline has passed; True when this call did it.

    The claim is a conditional UPDATE (``… WHERE state = 'in_progress' AND deadline <= now``), so
    exactly one caller wins on every backend, and on SQLite the transaction *starts* with a write:
    a GET request (a deferred transaction) can expire an attempt after ending its read
    transaction, without the "database is locked" a read-then-write upgrade risks.
    """
    now = now or utcnow()
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.state == AttemptState.IN_PROGRESS.value,
               Attempt.deadline.is_not(None), Attempt.deadline <= now)
        .values(state=AttemptState.EXPIRED.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    attempt = _lock(attempt_id)
    if attempt is None:
        return False
    finish_attempt(attempt, AttemptState.EXPIRED, now)
    return True


def due_attempt_ids(now: dt.datetime, employee_id: int | None = None) -> list[int]:
    stmt = select(Attempt.id).where(Attempt.state == AttemptState.IN_PROGRESS.value,
                                    Attempt.deadline.is_not(None), Attempt.deadline <= now)
    if employee_id is not None:
        stmt = stmt.where(Attempt.employee_id == employee_id)
    return list(db.session.scalars(stmt.order_by(Attempt.id)))


def expire_due_attempts(*, now: dt.datetime | None = None, employee_id: int | None = None) -> int:
    """Expire every attempt past its deadline (abandoned ones too), so each yields its Result."""
    now = now or utcnow()
    return sum(1 for attempt_id in due_attempt_ids(now, employee_id) if expire_if_due(attempt_id, now=now))


def finish_attempt(attempt: Attempt, state: AttemptState, now: dt.datetime) -> Attempt:
    """Grade every item from its frozen spec, set score and pass, write the one Result.

    The caller holds the attempt's row lock and has checked that it is in progress. An expired
    attempt is dated at its deadline: that is when it ended, whenever the server noticed.
    """
    items = _fresh_items(attempt)
    for item in items:
        item.fraction = get_type(item.qtype).grade(item.spec, item.response)
    score = round(100 * sum(item.fraction or 0.0 for item in items) / len(items), 2) if items else 0.0
    finished_at = now
    if state == AttemptState.EXPIRED and attempt.deadline is not None:
        finished_at = min(now, attempt.deadline)
    attempt.state, attempt.finished_at = state.value, finished_at
    attempt.score, attempt.passed = score, score >= attempt.pass_mark
    db.session.flush()
    count_attempt(attempt, items)  # the item-analysis counters, in this same transaction
    record_result(employee_id=attempt.employee_id, kind=QuizKind.key, activity_id=attempt.quiz_id,
                  source_id=attempt.id, score=score, finished_at=finished_at, passed=attempt.passed)
    logger.info("attempt %s %s by employee %s: %.2f (%s)", attempt.id, state.value, attempt.employee_id,
                score, "passed" if attempt.passed else "failed")
    return attempt
