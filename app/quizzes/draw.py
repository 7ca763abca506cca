"""Drawing the questions of a new attempt from the database.

The pool of a rule follows ``app.content.validate.rule_pool`` exactly (the contract ``content
check`` validated): the rule's lesson, else the quiz course's lessons, else every lesson; then the
rule's tag and difficulty. Only questions that are not retired are drawn.

Every rule gets its ``count`` distinct questions and no question is drawn twice, even when rules
overlap (``{lesson: phone, count: 3}`` and ``{tag: 数字, count: 2}``): rule slots are matched to
questions with augmenting paths (Kuhn), most restrictive rule first. Within a pool the questions
this employee has seen least (in any quiz) come first; ties are broken at random.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.content.models import CourseLesson
from app.extensions import db

from .models import Attempt, AttemptItem, Question, Quiz


@dataclass(frozen=True)
class Candidate:
    """What a draw needs to know of a question (no spec, no HTML)."""

    id: str
    lesson_id: str
    tags: tuple[str, ...]
    difficulty: int


def candidates() -> list[Candidate]:
    rows = db.session.execute(select(Question.id, Question.lesson_id, Question.tags, Question.difficulty)
                              .where(Question.retired.is_(False)).order_by(Question.id))
    return [Candidate(r.id, r.lesson_id, tuple(r.tags or ()), r.difficulty) for r in rows]


def rule_scope(quiz: Quiz, rule: dict) -> set[str] | None:
    """The lessons a rule draws from; None means every lesson (as ``validate.rule_scope``)."""
    if rule.get("lesson"):
        return {rule["lesson"]}
    if quiz.course_id:
        return set(db.session.scalars(select(CourseLesson.lesson_id).where(CourseLesson.course_id == quiz.course_id)))
    return None


def rule_pool(quiz: Quiz, rule: dict, pool: Iterable[Candidate]) -> list[Candidate]:
    """The candidates a rule may pick (the database twin of ``app.content.validate.rule_pool``)."""
    scope = rule_scope(quiz, rule)
    tag, difficulty = rule.get("tag"), rule.get("difficulty")
    #: a refresher quiz on changed clauses names its questions (never written in content files)
    only = set(rule["questions"]) if rule.get("questions") else None
    return [q for q in pool
            if (only is None or q.id in only)
            and (scope is None or q.lesson_id in scope)
            and (tag is None or tag in q.tags)
            and (difficulty is None or q.difficulty == difficulty)]


def seen_counts(employee_id: int, question_ids: Iterable[str] | None = None) -> dict[str, int]:
    """How many times the employee was shown each question, over all attempts (one GROUP BY)."""
    stmt = (select(AttemptItem.question_id, func.count())
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.employee_id == employee_id)
            .group_by(AttemptItem.question_id))
    if question_ids is not None:
        stmt = stmt.where(AttemptItem.question_id.in_(list(question_ids)))
    return {qid: count for qid, count in db.session.execute(stmt).all()}


def match_slots(slots: list[list[str]], preference: dict[str, tuple]) -> list[str | None]:
    """Assign one distinct question to as many slots as possible.

    ``slots[i]`` lists the questions slot i may take; ``preference`` ranks questions (lower is
    better). Slots are served most restrictive first, each trying its candidates best first;
    Kuhn's augmenting paths move an earlier slot to another candidate when that lets a later one
    be filled, so the result is a maximum matching. Returns the question per slot (None: unfilled).
    """
    ranked = [sorted(dict.fromkeys(slot), key=lambda qid: preference[qid]) for slot in slots]
    owner: dict[str, int] = {}

    def assign(slot: int, visited: set[str]) -> bool:
        for qid in ranked[slot]:  # a free candidate first keeps preferences where it can
            if qid not in owner:
                owner[qid] = slot
                return True
        for qid in ranked[slot]:
            if qid in visited:
                continue
            visited.add(qid)
            if assign(owner[qid], visited):
                owner[qid] = slot
                return True
        return False

    for slot in sorted(range(len(slots)), key=lambda s: len(ranked[s])):
        assign(slot, set())
    chosen: list[str | None] = [None] * len(slots)
    for qid, slot in owner.items():
        chosen[slot] = qid
    return chosen


def draw_questions(quiz: Quiz, employee_id: int, rng: random.Random) -> list[str]:
    """The question ids of a new attempt, in rule order (the caller shuffles if the quiz says so).

    May return fewer than the quiz asks for when questions were retired since the content was
    checked; an empty list means the quiz cannot be taken.
    """
    pool = candidates()
    slots: list[list[str]] = []
    for rule in quiz.draw:
        ids = [q.id for q in rule_pool(quiz, rule, pool)]
        slots.extend(ids for _ in range(int(rule.get("count", 0))))
    wanted = {qid for slot in slots for qid in slot}
    seen = seen_counts(employee_id, wanted) if wanted else {}
    preference = {qid: (seen.get(qid, 0), rng.random()) for qid in sorted(wanted)}
    return [qid for qid in match_slots(slots, preference) if qid is not None]
