"""The read models behind item analysis, maintained when an attempt finishes.

Three counter tables (app/quizzes/models.py): per quiz × question (:class:`QuizItemStat`: n,
answered, unanswered and the integer sums Σx, Σy, Σxy, Σx², Σy² with x = the item's fraction ×
10,000 and y = the attempt's score × 100), per quiz × question × answer (:class:`QuizAnswerStat`:
option picks, or distinct typed answers), and per quiz (:class:`QuizAttemptStat`: finished
attempts, Σ score).

:func:`count_attempt` runs in ``finish_attempt``'s transaction, right after grading, and adds the
attempt with atomic ``INSERT … ON CONFLICT DO UPDATE SET n = n + …`` statements (three, whatever
the attempt holds), so concurrent submits lose no count. :func:`rebuild` recomputes the tables
from the finished attempts with the same :func:`item_contribution`, so both paths agree to the
unit; :func:`snapshot` lists their rows for the equivalence test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, func, select

from app.extensions import db
from app.readmodels import ReadModel
from app.readmodels.sql import add_to_counters

from .models import FINISHED_STATES, Attempt, AttemptItem, QuizAnswerStat, QuizAttemptStat, QuizItemStat
from .question_types import find_type

#: x (an item's fraction, 0-1) is counted in ten-thousandths, y (a score, 0-100) in hundredths
X_SCALE = 10_000
Y_SCALE = 100

_SUMS = ("n", "answered", "unanswered", "sx", "sy", "sxy", "sxx", "syy")


def scaled_score(score: float | None) -> int:
    return round((score or 0.0) * Y_SCALE)


def counts_picks(qtype: str, spec: dict) -> bool:
    """True when the question's answers are picks among options (counted per option)."""
    kind = find_type(qtype)
    return bool(kind is not None and kind.choice_labels(spec))


def item_contribution(picks: bool, answered: bool, choice_key: str | None,
                      fraction: float | None, y: int) -> tuple[tuple[int, ...], list[str]]:
    """What one finished item adds: the sums (in ``_SUMS`` order) and the answer keys it counts
    (``picks``: :func:`counts_picks` of the item's frozen question)."""
    x = round((fraction or 0.0) * X_SCALE)
    sums = (1, int(answered), int(choice_key is None), x, y, x * y, x * x, y * y)
    if choice_key is None:
        return sums, []
    if picks:
        return sums, sorted({part for part in choice_key.split(",") if part.isdigit()}, key=int)
    return sums, [choice_key]


class _Tally:
    """Sums and answer counts of some items, aggregated per key before they are written."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(_SUMS))
        self.answers: dict[tuple[str, str, str], int] = defaultdict(int)
        self.attempts: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add_item(self, quiz_id: str, question_id: str, picks: bool, answered: bool,
                 choice_key: str | None, fraction: float | None, y: int) -> None:
        sums, keys = item_contribution(picks, answered, choice_key, fraction, y)
        row = self.items[(quiz_id, question_id)]
        for i, value in enumerate(sums):
            row[i] += value
        for key in keys:
            self.answers[(quiz_id, question_id, key)] += 1

    def add_attempt(self, quiz_id: str, y: int) -> None:
        row = self.attempts[quiz_id]
        row[0] += 1
        row[1] += y

    def write(self) -> int:
        written = add_to_counters(QuizItemStat.__table__, ("quiz_id", "question_id"), (
            {"quiz_id": q, "question_id": qid, **dict(zip(_SUMS, sums, strict=True))}
            for (q, qid), sums in self.items.items()))
        written += add_to_counters(QuizAnswerStat.__table__, ("quiz_id", "question_id", "answer_key"), (
            {"quiz_id": q, "question_id": qid, "answer_key": key, "n": n}
            for (q, qid, key), n in self.answers.items()))
        written += add_to_counters(QuizAttemptStat.__table__, ("quiz_id",), (
            {"quiz_id": q, "attempts": a, "score_sum": s} for q, (a, s) in self.attempts.items()))
        return written


def count_attempt(attempt: Attempt, items: Iterable[AttemptItem]) -> None:
    """Add a just-finished (graded, scored) attempt to the counters, in the caller's transaction."""
    tally = _Tally()
    y = scaled_score(attempt.score)
    tally.add_attempt(attempt.quiz_id, y)
    for item in items:
        tally.add_item(attempt.quiz_id, item.question_id, counts_picks(item.qtype, item.spec),
                       item.response is not None, item.choice_key, item.fraction, y)
    tally.write()


#: rows streamed per fetch by the rebuild
REBUILD_BATCH = 5000


def rebuild() -> int:
    """Recompute the three tables from every finished attempt (flush, never commit)."""
    for model in (QuizAnswerStat, QuizItemStat, QuizAttemptStat):
        db.session.execute(delete(model))
    tally = _Tally()
    finished = (Attempt.state.in_(FINISHED_STATES), Attempt.score.is_not(None))
    for quiz_id, score in db.session.execute(select(Attempt.quiz_id, Attempt.score).where(*finished)):
        tally.add_attempt(quiz_id, scaled_score(score))
    # whether a frozen question counts picks depends on its type and spec: decided once per
    # (question, version, type) from one item of each, so the bulk of the items loads no JSON
    sample = (select(func.min(AttemptItem.id))
              .group_by(AttemptItem.question_id, AttemptItem.question_version, AttemptItem.qtype))
    picks = {(r.question_id, r.question_version, r.qtype): counts_picks(r.qtype, r.spec)
             for r in db.session.execute(select(AttemptItem.question_id, AttemptItem.question_version,
                                                AttemptItem.qtype, AttemptItem.spec)
                                         .where(AttemptItem.id.in_(sample)))}
    stmt = (select(Attempt.quiz_id, Attempt.score, AttemptItem.question_id, AttemptItem.question_version,
                   AttemptItem.qtype, AttemptItem.response.is_not(None).label("answered"), AttemptItem.choice_key,
                   AttemptItem.fraction)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id).where(*finished))
    for r in db.session.execute(stmt, execution_options={"yield_per": REBUILD_BATCH}):
        tally.add_item(r.quiz_id, r.question_id, picks[(r.question_id, r.question_version, r.qtype)],
                       bool(r.answered), r.choice_key, r.fraction, scaled_score(r.score))
    written = tally.write()
    db.session.flush()
    return written


def snapshot() -> list[tuple]:
    out: list[tuple] = []
    for model, order in ((QuizItemStat, ("quiz_id", "question_id")),
                         (QuizAnswerStat, ("quiz_id", "question_id", "answer_key")),
                         (QuizAttemptStat, ("quiz_id",))):
        columns = [c for c in model.__table__.columns]
        rows = db.session.execute(select(*columns).order_by(*[model.__table__.c[k] for k in order])).all()
        out.extend((model.__tablename__, *tuple(r)) for r in rows)
    return out


READ_MODEL = ReadModel(
    name="quiz_item_stats", rebuild=rebuild, snapshot=snapshot,
    description="item analysis counters: per quiz × question sums, option picks, attempts per quiz",
    tables=tuple(m.__tablename__ for m in (QuizItemStat, QuizAnswerStat, QuizAttemptStat)))
