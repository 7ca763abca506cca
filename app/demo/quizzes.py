"""Demo quiz attempts, so the review and item-analysis pages show real data after `make run`.

Trainees T001…T015 take the quizzes through the same services as the web pages (start, save,
submit), so every finished attempt has its Result row. Answers are realistic rather than random:
each trainee has an ability, each question a difficulty and a small bias of its own, and wrong
answers look like real mistakes (a neighbouring option, two steps swapped, 5 rings for 3).
T012's first final quiz runs out of time, and T001 leaves one attempt in progress to resume.
Deterministic (seeded per trainee and quiz) and idempotent: a trainee who already has an
attempt at a quiz is skipped, so running the seed twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random

from sqlalchemy import select

from app.extensions import db
from app.people.models import Employee
from app.quizzes.answer_text import UNITS
from app.quizzes.attempts import (
    QUESTIONS_PER_PAGE,
    expire_if_due,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.quizzes.models import Attempt, AttemptItem, Question, Quiz
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

#: employee_no → ability (chance of knowing an average question; above 1 for a star who misses only the
#: hardest, trickiest items: _chance caps it at 0.98)
ABILITY = {
    "T001": 0.55, "T002": 0.62, "T003": 1.0, "T004": 0.80, "T005": 0.88, "T006": 0.48, "T007": 0.74,
    "T008": 0.85, "T009": 1.1, "T010": 0.40, "T011": 0.58, "T012": 0.45, "T013": 0.70, "T014": 0.78,
    "T015": 0.52,
}
FRONT_DESK = [f"T{n:03d}" for n in range(1, 11)]
#: quiz id → (trainees, attempts each); weaker trainees retake the final quiz
PLAN = {
    "new-hire-final": (list(ABILITY), 1),
    "appearance-quiz": (FRONT_DESK + ["T013", "T015"], 1),
    "communication-quiz": (FRONT_DESK, 1),
    "complaints-quiz": (FRONT_DESK + ["T013", "T014"], 1),
    "service-desk-quiz": ([f"T{n:03d}" for n in range(3, 11)], 1),
}
RETAKE_BELOW = 0.6
EXPIRES = ("T012", "new-hire-final")
IN_PROGRESS = ("T001", "service-desk-quiz")
UNANSWERED_RATE = 0.03


def _bias(question_id: str) -> float:
    """A fixed per-question nudge in [-0.3, 0.1]: some questions trip people up more than others."""
    byte = hashlib.sha256(question_id.encode()).digest()[0]
    return -0.3 + 0.4 * byte / 255


def _chance(ability: float, item: AttemptItem, difficulty: int) -> float:
    return min(0.98, max(0.05, ability + (2 - difficulty) * 0.12 + _bias(item.question_id)))


def _place(item: AttemptItem, index: int) -> str:
    """The display position of authored option ``index`` (what the browser would post)."""
    order = item.option_order or []
    return str(order.index(index) if order else index)


def _answer(item: AttemptItem, right: bool, rng: random.Random) -> list[str]:
    spec, kind = item.spec, item.qtype
    if kind == "single":
        wrong = [i for i in range(len(spec["options"])) if i != spec["key"]]
        return [_place(item, spec["key"] if right else rng.choice(wrong))]
    if kind == "multiple":
        keys = list(spec["key"])
        if right:
            return [_place(item, i) for i in keys]
        others = [i for i in range(len(spec["options"])) if i not in keys]
        picks = keys[:-1] if len(keys) > 1 else []
        picks += rng.sample(others, k=min(len(others), 1))
        return [_place(item, i) for i in picks]
    if kind == "truefalse":
        return ["true" if bool(spec["key"]) == right else "false"]
    if kind == "ordering":
        order = list(spec["key"])
        if not right:
            at = rng.randrange(len(order) - 1)
            order[at], order[at + 1] = order[at + 1], order[at]
            if rng.random() < 0.3:
                rng.shuffle(order)
        return [_place(item, i) for i in order]
    if kind == "numeric":
        key = spec["key"]
        value = key if right else rng.choice([key * 2, key + 1, max(0, key - 1), key * 3])
        text = str(int(value)) if float(value).is_integer() else str(value)
        return [text + (UNITS[spec["unit"]].label if rng.random() < 0.5 else "")]
    if kind == "phrase":
        return [spec["key"][0] if right else rng.choice(["不清楚", "您好", "马上处理", "请稍等"])]
    return []


def _take(employee: Employee, quiz: Quiz, number: int, started: dt.datetime, difficulties: dict[str, int],
          *, finish: str = "submit", answer_share: float = 1.0) -> Attempt:
    rng = random.Random(f"demo-{employee.employee_no}-{quiz.id}-{number}")
    attempt, _ = start_attempt(employee.id, quiz.id, now=started, rng=rng)
    ability = ABILITY.get(employee.employee_no, 0.6) + 0.08 * (number - 1)
    items = list(attempt.items)
    answered = items[:max(1, round(len(items) * answer_share))]
    moment = started
    for first in range(0, len(answered), QUESTIONS_PER_PAGE):  # one save per page, as the page form does
        page = {}
        for item in answered[first:first + QUESTIONS_PER_PAGE]:
            moment += dt.timedelta(seconds=rng.randint(20, 70))
            if rng.random() >= UNANSWERED_RATE:
                right = rng.random() < _chance(ability, item, difficulties.get(item.question_id, 2))
                page[item.position] = _answer(item, right, rng)
        save_answers(attempt.id, employee.id, page, now=moment)
    if finish == "submit":
        submit_attempt(attempt.id, employee.id, now=moment + dt.timedelta(seconds=30))
    elif finish == "expire" and attempt.deadline is not None:
        expire_if_due(attempt.id, now=attempt.deadline + dt.timedelta(minutes=5))
    else:
        save_answers(attempt.id, employee.id, {}, now=moment, page=2)
    return attempt


def seed_quizzes(today: dt.date) -> None:
    """Finished attempts for the demo trainees, one expired, and one in progress for T001."""
    quizzes = {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.retired.is_(False)))}
    people = {e.employee_no: e for e in db.session.scalars(select(Employee).where(Employee.employee_no.in_(list(ABILITY))))}
    if not quizzes or not people:
        logger.info("demo quizzes: no quizzes or no demo trainees, nothing to seed")
        return
    difficulties = dict(db.session.execute(select(Question.id, Question.difficulty)).tuples().all())
    taken = set(db.session.execute(select(Employee.employee_no, Attempt.quiz_id)
                                   .join(Attempt, Attempt.employee_id == Employee.id)).tuples().all())
    created = 0
    for day_offset, (quiz_id, (trainees, _)) in enumerate(PLAN.items()):
        quiz = quizzes.get(quiz_id)
        if quiz is None:
            continue
        for index, employee_no in enumerate(trainees):
            employee = people.get(employee_no)
            if employee is None or (employee_no, quiz_id) in taken or (employee_no, quiz_id) == IN_PROGRESS:
                continue
            start_day = today - dt.timedelta(days=30 - 4 * day_offset - index % 4)
            started = dt.datetime.combine(start_day, dt.time(1, 30)) + dt.timedelta(minutes=7 * index)
            expires = (employee_no, quiz_id) == EXPIRES
            _take(employee, quiz, 1, started, difficulties, finish="expire" if expires else "submit",
                  answer_share=0.6 if expires else 1.0)
            created += 1
            retakes = expires or ABILITY[employee_no] < RETAKE_BELOW
            if retakes and quiz.id == "new-hire-final" and (quiz.max_attempts or 2) >= 2:
                _take(employee, quiz, 2, started + dt.timedelta(days=2), difficulties)
                created += 1
    employee_no, quiz_id = IN_PROGRESS
    if (employee_no, quiz_id) not in taken and quiz_id in quizzes and employee_no in people:
        started = utcnow() - dt.timedelta(minutes=20)
        _take(people[employee_no], quizzes[quiz_id], 1, started, difficulties, finish="leave", answer_share=0.45)
        created += 1
    db.session.flush()
    logger.info("demo quizzes: %d attempts created", created)
