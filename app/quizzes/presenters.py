"""What the attempt, summary and review templates get to see.

The attempt page is built from ``QuestionType.public_view`` only (option values are display
positions) plus the trainee's own saved answer: never the spec, its key, the explanation or the
correct answer, which stay on the server until the attempt is finished (:func:`review_items`).
HTML fragments were rendered and sanitised at sync time and frozen on the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup
from sqlalchemy import select

from app.content.models import Clause
from app.extensions import db

from .models import Attempt, AttemptItem
from .question_types import get_type


@dataclass
class OptionView:
    value: str
    html: Markup
    checked: bool = False
    #: ordering widgets: the rank the trainee gave this item (0: none yet)
    rank: int = 0


@dataclass
class ItemView:
    """One question on the attempt page (public data and the trainee's own answer only)."""

    position: int
    input: str
    prompt: Markup
    options: list[OptionView] = field(default_factory=list)
    text: str = ""
    unit_label: str | None = None
    answered: bool = False

    @property
    def field(self) -> str:
        return f"q{self.position}"


def _original_index(item: AttemptItem, place: int) -> int:
    return item.option_order[place] if item.option_order else place


def _option_html(item: AttemptItem, place: int, fallback: str) -> Markup:
    index = _original_index(item, place)
    options = item.options_html or []
    return Markup(options[index]) if 0 <= index < len(options) else Markup.escape(fallback)


def item_view(item: AttemptItem) -> ItemView:
    qtype = get_type(item.qtype)
    public = qtype.public_view(item.spec, item.option_order)
    view = ItemView(position=item.position, input=public["input"], prompt=Markup(item.prompt_html),
                    unit_label=public.get("unit_label"), answered=item.answered)
    picked = set(qtype.picked(item.spec, item.response))
    ranking = item.response if public["input"] == "order" and isinstance(item.response, list) else []
    for place, option in enumerate(public.get("options", [])):
        index = _original_index(item, place)
        rank = ranking.index(index) + 1 if index in ranking else 0
        view.options.append(OptionView(value=option["value"], html=_option_html(item, place, option["text"]),
                                       checked=index in picked, rank=rank))
    if public["input"] == "text" and isinstance(item.response, str):
        view.text = item.response
    return view


def page_views(items: list[AttemptItem]) -> list[ItemView]:
    return [item_view(item) for item in items]


# --- review (finished attempts only) -------------------------------------------------------------


@dataclass
class ClauseLink:
    id: str
    text: str
    url: str | None


@dataclass
class ReviewOption:
    html: Markup
    picked: bool
    correct: bool


@dataclass
class ReviewItem:
    position: int
    input: str
    prompt: Markup
    fraction: float
    answered: bool
    correct_answer: Markup
    explanation: Markup
    options: list[ReviewOption] = field(default_factory=list)
    given_order: list[Markup] = field(default_factory=list)
    given_text: str = ""
    clauses: list[ClauseLink] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if not self.answered:
            return "unanswered"
        if self.fraction >= 1.0:
            return "correct"
        return "partial" if self.fraction > 0 else "wrong"

    @property
    def percent(self) -> int:
        return round(self.fraction * 100)


def clause_links(clause_ids: set[str]) -> dict[str, ClauseLink]:
    """Links to the cited clauses in their lesson pages (``/lessons/<lesson>#<clause>``)."""
    if not clause_ids:
        return {}
    links = {}
    for clause in db.session.scalars(select(Clause).where(Clause.id.in_(sorted(clause_ids)))):
        url = None if clause.retired else url_for("content.lesson", lesson_id=clause.lesson_id, _anchor=clause.id)
        links[clause.id] = ClauseLink(clause.id, clause.text, url)
    return links


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Per question: the answer given, the correct answer, the explanation and the cited clauses.

    Refuses attempts in progress: the key must not reach anyone before submission.
    """
    if not attempt.is_finished:
        raise ValueError(f"attempt {attempt.id} is not finished")
    links = clause_links({clause_id for item in attempt.items for clause_id in item.cites or []})
    out = []
    for item in attempt.items:
        qtype = get_type(item.qtype)
        public = qtype.public_view(item.spec, item.option_order)
        review = ReviewItem(
            position=item.position, input=public["input"], prompt=Markup(item.prompt_html),
            fraction=item.fraction or 0.0, answered=item.answered, correct_answer=Markup(item.answer_html),
            explanation=Markup(item.explanation_html),
            clauses=[links.get(c) or ClauseLink(c, "", None) for c in item.cites or []],
        )
        picked, keys = set(qtype.picked(item.spec, item.response)), set(qtype.key_indices(item.spec))
        if public["input"] in ("radio", "checkbox"):
            for place, option in enumerate(public.get("options", [])):
                index = _original_index(item, place)
                review.options.append(ReviewOption(_option_html(item, place, option["text"]),
                                                   index in picked, index in keys))
        elif public["input"] == "order" and isinstance(item.response, list):
            options = item.options_html or []
            review.given_order = [Markup(options[i]) for i in item.response
                                  if isinstance(i, int) and 0 <= i < len(options)]
        elif isinstance(item.response, str):
            review.given_text = item.response
        out.append(review)
    return out
