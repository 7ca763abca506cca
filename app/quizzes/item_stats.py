"""Item analysis: how each question performs, read from counters kept up to date on submit.

The numbers come from the read models of app/quizzes/item_counters.py (one row per quiz ×
question, one per quiz × question × answer, one per quiz), never from the responses themselves,
so the page costs the same with 200 or 200,000 responses. Over the items of *finished* attempts
(submitted or expired), per question:

* **facility index**: the mean fraction earned (0-1; shown as a percentage);
* **discrimination**: the point-biserial r, the correlation between the item's fraction and the
  attempt's total score, from the sums Σx, Σy, Σxy, Σx², Σy² (uncorrected: the item is part of
  the total). It replaced the upper/lower 27 % index D, which needs every attempt ranked and so
  cannot be kept up to date by adding one attempt;
* the response count, how many were answered, and the distribution of answers (per option for
  choice questions, the most frequent distinct answers otherwise);
* flags: too easy (facility > 0.9), too hard (< 0.3), negative discrimination (r < 0).

At most four statements whatever the number of responses: the per-question sums (one row per
question of the bank), then for the page shown only: its questions, their answer counts, and the
attempts summary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db

from .item_counters import X_SCALE, Y_SCALE
from .models import Question, QuizAnswerStat, QuizAttemptStat, QuizItemStat
from .question_types import find_type

TOO_EASY = 0.9
TOO_HARD = 0.3
#: how many distinct typed answers the distribution shows
TOP_ANSWERS = 5
#: questions per page of the item-analysis page
PER_PAGE = 50


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
    point_biserial: float | None
    question: Question | None = None
    distribution: list[AnswerCount] = field(default_factory=list)
    unanswered: int = 0

    @property
    def discrimination(self) -> float | None:
        """The point-biserial r (None while either side is constant)."""
        return self.point_biserial

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
    #: the questions of the page asked for (all of them without a page)
    items: list[ItemStats]
    attempts: int
    mean_score: float | None
    #: questions with statistics (every page together), the page shown and the page count
    total_items: int = 0
    page: int = 1
    pages: int = 1


def _question_rows(quiz_id: str | None) -> list:
    c = QuizItemStat
    stmt = select(c.question_id, *[func.sum(getattr(c, f)).label(f) for f in
                                   ("n", "answered", "unanswered", "sx", "sy", "sxy", "sxx", "syy")])
    if quiz_id:
        stmt = stmt.where(c.quiz_id == quiz_id)
    return db.session.execute(stmt.group_by(c.question_id).order_by(c.question_id)).all()


def _answer_rows(quiz_id: str | None, question_ids: list[str]) -> list:
    c = QuizAnswerStat
    stmt = (select(c.question_id, c.answer_key, func.sum(c.n).label("n"))
            .where(c.question_id.in_(question_ids)).group_by(c.question_id, c.answer_key))
    if quiz_id:
        stmt = stmt.where(c.quiz_id == quiz_id)
    return db.session.execute(stmt).all()


def point_biserial(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """Pearson's r from sums (the point-biserial for 0/1 items); None when either side is constant."""
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    if n < 2 or var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(var_x * var_y)


def _distribution(stats: ItemStats, groups: dict[str, int]) -> None:
    question = stats.question
    qtype = find_type(question.type) if question is not None else None
    labels = qtype.choice_labels(question.spec) if qtype and question else []
    if labels and question is not None and qtype is not None:
        keys = set(qtype.key_indices(question.spec))
        html = question.options_html if len(question.options_html or []) == len(labels) else None
        stats.distribution = [AnswerCount(html[i] if html else label, groups.get(str(i), 0), i in keys,
                                          html is not None)
                              for i, label in enumerate(labels)]
        return
    typed = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))
    ordered = question is not None and qtype is not None and qtype.input == "order" and bool(question.options_html)
    stats.distribution = [
        AnswerCount(_ordering_label(key, question.options_html) if ordered else key, count,
                    bool(qtype and question and qtype.summary_grade(question.spec, key) >= 1.0), ordered)
        for key, count in typed[:TOP_ANSWERS]
    ]


def _ordering_label(choice_key: str, options_html: list[str]) -> str:
    parts = [int(p) for p in choice_key.split(",") if p.isdigit() and int(p) < len(options_html)]
    return " → ".join(options_html[p] for p in parts)


def _stats(r) -> ItemStats:
    n = int(r.n or 0)
    return ItemStats(
        question_id=r.question_id, responses=n, answered=int(r.answered or 0), unanswered=int(r.unanswered or 0),
        facility=float(r.sx) / (n * X_SCALE) if n else None,
        point_biserial=point_biserial(n, float(r.sx or 0), float(r.sy or 0), float(r.sxy or 0),
                                      float(r.sxx or 0), float(r.syy or 0)),
    )


def item_analysis(quiz_id: str | None = None, *, sort_key: Callable[[ItemStats], object] | None = None,
                  page: int | None = None, per_page: int = PER_PAGE) -> Analysis:
    """Statistics of the questions answered in finished attempts (of one quiz, or of all), sorted
    by ``sort_key`` (question id by default); only page ``page`` of ``per_page`` when given.

    Only the page's questions get their Question row and answer distribution loaded."""
    everything = [_stats(r) for r in _question_rows(quiz_id)]
    if sort_key is not None:
        everything.sort(key=sort_key)
    total = len(everything)
    pages = max(1, math.ceil(total / per_page)) if page is not None else 1
    if page is not None:
        page = min(page, pages)
        shown = everything[(page - 1) * per_page:page * per_page]
    else:
        shown = everything
    ids = [s.question_id for s in shown]
    if ids:
        questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
        groups: dict[str, dict[str, int]] = {}
        for question_id, answer_key, count in _answer_rows(quiz_id, ids):
            groups.setdefault(question_id, {})[answer_key] = int(count)
        for stats in shown:
            stats.question = questions.get(stats.question_id)
            _distribution(stats, groups.get(stats.question_id, {}))
    summary = select(func.sum(QuizAttemptStat.attempts), func.sum(QuizAttemptStat.score_sum))
    if quiz_id:
        summary = summary.where(QuizAttemptStat.quiz_id == quiz_id)
    attempts, score_sum = db.session.execute(summary).one()
    attempts = int(attempts or 0)
    mean_score = float(score_sum) / Y_SCALE / attempts if attempts else None
    return Analysis(items=shown, attempts=attempts, mean_score=mean_score, total_items=total,
                    page=page or 1, pages=pages)
