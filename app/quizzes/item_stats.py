"""Item analysis: how each question performs, computed with SQL aggregates.

Over the items of *finished* attempts (submitted or expired), per question:

* **facility index**: the mean fraction earned (0-1; shown as a percentage);
* **discrimination index D**: mean fraction in the upper 27 % of attempts minus the mean in the
  lower 27 %, attempts ranked by their total score *within their quiz* (window functions; ties
  broken by attempt id). The group size is ceil(0.27 × attempts of that quiz);
* **point-biserial r**: the correlation between the item's fraction and the attempt's total score,
  from SQL sums (Σx, Σy, Σxy, Σx², Σy²), so no response is ever loaded into Python;
* the response count, how many were answered, and the distribution of answers, grouped in SQL by
  ``AttemptItem.choice_key`` (per option for choice questions, per distinct answer otherwise);
* flags: too easy (facility > 0.9), too hard (< 0.3), negative discrimination (D < 0).

Two GROUP BY queries whatever the number of responses; Python only walks their result rows (one
per question, one per question × distinct answer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Float, and_, case, cast, func, select

from app.extensions import db

from .models import FINISHED_STATES, Attempt, AttemptItem, Question
from .question_types import find_type

TOO_EASY = 0.9
TOO_HARD = 0.3
#: share of attempts in each of the upper and lower groups
GROUP_SHARE_PERCENT = 27
#: how many distinct typed answers the distribution shows
TOP_ANSWERS = 5


@dataclass
class AnswerCount:
    label: str
    count: int
    correct: bool = False
    #: the label is HTML rendered at sync time (an option), not text typed by a trainee
    is_html: bool = False

    def percent(self, total: int) -> int:
        return round(100 * self.count / total) if total else 0


@dataclass
class ItemStats:
    question_id: str
    responses: int
    answered: int
    facility: float | None
    upper_mean: float | None
    lower_mean: float | None
    point_biserial: float | None
    question: Question | None = None
    distribution: list[AnswerCount] = field(default_factory=list)
    unanswered: int = 0

    @property
    def discrimination(self) -> float | None:
        if self.upper_mean is None or self.lower_mean is None:
            return None
        return self.upper_mean - self.lower_mean

    @property
    def too_easy(self) -> bool:
        return self.facility is not None and self.facility > TOO_EASY

    @property
    def too_hard(self) -> bool:
        return self.facility is not None and self.facility < TOO_HARD

    @property
    def negative_discrimination(self) -> bool:
        return self.discrimination is not None and self.discrimination < 0

    @property
    def flagged(self) -> bool:
        return self.too_easy or self.too_hard or self.negative_discrimination


@dataclass
class Analysis:
    items: list[ItemStats]
    attempts: int
    mean_score: float | None


def _ranked_attempts(quiz_id: str | None):
    """Finished attempts with their rank by score within their quiz and the quiz's group size."""
    total = func.count().over(partition_by=Attempt.quiz_id)
    stmt = select(
        Attempt.id.label("attempt_id"),
        Attempt.score.label("score"),
        func.row_number().over(partition_by=Attempt.quiz_id,
                               order_by=(Attempt.score.desc(), Attempt.id)).label("rank"),
        total.label("total"),
        # ceil(0.27 n) in integer arithmetic (SQLite may lack ceil())
        ((total * GROUP_SHARE_PERCENT + 99) // 100).label("group_size"),
    ).where(Attempt.state.in_(FINISHED_STATES), Attempt.score.is_not(None))
    if quiz_id:
        stmt = stmt.where(Attempt.quiz_id == quiz_id)
    return stmt.subquery("ranked")


def _question_rows(quiz_id: str | None) -> list:
    ranked = _ranked_attempts(quiz_id)
    x = func.coalesce(AttemptItem.fraction, 0.0)
    y = cast(ranked.c.score, Float)
    upper = ranked.c.rank <= ranked.c.group_size
    lower = ranked.c.rank > ranked.c.total - ranked.c.group_size
    stmt = (
        select(
            AttemptItem.question_id,
            func.count().label("n"),
            func.count(AttemptItem.response).label("answered"),
            func.avg(x).label("facility"),
            func.avg(case((upper, x))).label("upper_mean"),
            func.avg(case((lower, x))).label("lower_mean"),
            func.sum(x).label("sx"), func.sum(y).label("sy"), func.sum(x * y).label("sxy"),
            func.sum(x * x).label("sxx"), func.sum(y * y).label("syy"),
        )
        .join(ranked, ranked.c.attempt_id == AttemptItem.attempt_id)
        .group_by(AttemptItem.question_id)
        .order_by(AttemptItem.question_id)
    )
    return db.session.execute(stmt).all()


def _distribution_rows(quiz_id: str | None) -> list:
    conditions = [Attempt.id == AttemptItem.attempt_id, Attempt.state.in_(FINISHED_STATES)]
    if quiz_id:
        conditions.append(Attempt.quiz_id == quiz_id)
    stmt = (select(AttemptItem.question_id, AttemptItem.choice_key, func.count().label("n"))
            .join(Attempt, and_(*conditions))
            .group_by(AttemptItem.question_id, AttemptItem.choice_key))
    return db.session.execute(stmt).all()


def point_biserial(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """Pearson's r from sums (the point-biserial for 0/1 items); None when either side is constant."""
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    if n < 2 or var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(var_x * var_y)


def _distribution(stats: ItemStats, groups: dict[str | None, int]) -> None:
    stats.unanswered = groups.get(None, 0)
    question = stats.question
    qtype = find_type(question.type) if question is not None else None
    labels = qtype.choice_labels(question.spec) if qtype and question else []
    if labels and question is not None and qtype is not None:
        keys = set(qtype.key_indices(question.spec))
        counts = [0] * len(labels)
        for choice_key, count in groups.items():
            for part in (choice_key or "").split(","):
                if part.isdigit() and int(part) < len(counts):
                    counts[int(part)] += count
        html = question.options_html if len(question.options_html or []) == len(labels) else None
        stats.distribution = [AnswerCount(html[i] if html else label, counts[i], i in keys, html is not None)
                              for i, label in enumerate(labels)]
        return
    typed = sorted(((key, count) for key, count in groups.items() if key is not None), key=lambda kv: (-kv[1], kv[0]))
    ordered = question is not None and qtype is not None and qtype.input == "order" and bool(question.options_html)
    stats.distribution = [
        AnswerCount(_ordering_label(key, question.options_html) if ordered else key, count,
                    bool(qtype and question and qtype.summary_grade(question.spec, key) >= 1.0), ordered)
        for key, count in typed[:TOP_ANSWERS]
    ]


def _ordering_label(choice_key: str, options_html: list[str]) -> str:
    parts = [int(p) for p in choice_key.split(",") if p.isdigit() and int(p) < len(options_html)]
    return " → ".join(options_html[p] for p in parts)


def item_analysis(quiz_id: str | None = None) -> Analysis:
    """Statistics of every question answered in finished attempts (of one quiz, or of all)."""
    rows = _question_rows(quiz_id)
    questions = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_([r.question_id for r in rows])))} if rows else {}
    items: dict[str, ItemStats] = {}
    for r in rows:
        items[r.question_id] = ItemStats(
            question_id=r.question_id, responses=r.n, answered=r.answered,
            facility=float(r.facility) if r.facility is not None else None,
            upper_mean=float(r.upper_mean) if r.upper_mean is not None else None,
            lower_mean=float(r.lower_mean) if r.lower_mean is not None else None,
            point_biserial=point_biserial(r.n, float(r.sx or 0), float(r.sy or 0), float(r.sxy or 0),
                                          float(r.sxx or 0), float(r.syy or 0)),
            question=questions.get(r.question_id),
        )
    groups: dict[str, dict[str | None, int]] = {}
    for question_id, choice_key, count in _distribution_rows(quiz_id):
        groups.setdefault(question_id, {})[choice_key] = count
    for question_id, stats in items.items():
        _distribution(stats, groups.get(question_id, {}))
    summary = select(func.count(), func.avg(Attempt.score)).where(Attempt.state.in_(FINISHED_STATES))
    if quiz_id:
        summary = summary.where(Attempt.quiz_id == quiz_id)
    attempts, mean_score = db.session.execute(summary).one()
    return Analysis(items=list(items.values()), attempts=attempts or 0,
                    mean_score=float(mean_score) if mean_score is not None else None)
