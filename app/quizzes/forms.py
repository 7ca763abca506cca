"""The shape of quiz input.

The answer fields of an attempt page are dynamic (one per drawn question), so they are read by
:func:`answers_from_form` rather than declared as WTForms fields; the fixed forms (start, submit,
the item-analysis filter) are ordinary WTForms. Field names:

* ``items``: the positions of the questions on the posted page (so an unticked checkbox list or
  an emptied text box is saved as "no answer" instead of being skipped);
* ``q<position>``: the display positions picked (radio, checkbox) or the text typed;
* ``q<position>-<place>``: for ordering questions, the rank (1…n) given to the item shown at
  ``place``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .models import AttemptItem
from .question_types import get_type

#: Most values one question may post (a tampered form cannot make the server loop on junk).
MAX_VALUES = 50


class StartForm(FlaskForm):
    """Start or resume a quiz (CSRF only)."""


class SubmitForm(FlaskForm):
    """Submit an attempt for grading (CSRF only)."""


class ItemAnalysisFilter(FlaskForm):
    class Meta:
        csrf = False

    quiz = SelectField(_l("Quiz"), choices=[], default="")
    sort = SelectField(_l("Sort by"), default="id", choices=[
        ("id", _l("Question")), ("facility", _l("Facility")), ("discrimination", _l("Discrimination")),
        ("responses", _l("Responses")), ("flags", _l("Flags first")),
    ])


class FlagForm(FlaskForm):
    """HR flags a question for review from the item-analysis page."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ClearFlagForm(FlaskForm):
    """Clear a review flag (CSRF only)."""


def int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else None


def posted_positions(form: MultiDict) -> list[int]:
    positions = (int_or_none(v) for v in form.getlist("items")[:MAX_VALUES])
    return list(dict.fromkeys(p for p in positions if p is not None))


def answers_from_form(form: MultiDict, items: Iterable[AttemptItem]) -> dict[int, list[str]]:
    """Raw answer values per position, for the positions the form says it carries."""
    by_position: Mapping[int, AttemptItem] = {item.position: item for item in items}
    answers: dict[int, list[str]] = {}
    for position in posted_positions(form):
        item = by_position.get(position)
        if item is None:
            continue
        qtype = get_type(item.qtype)
        if qtype.input == "order":
            count = qtype.option_count(item.spec)
            ranked = []
            for place in range(count):
                rank = int_or_none(form.get(f"q{position}-{place}"))
                if rank is not None and 1 <= rank <= count:
                    ranked.append((rank, place))
            answers[position] = [str(place) for _, place in sorted(ranked)]
        else:
            answers[position] = [str(v) for v in form.getlist(f"q{position}")[:MAX_VALUES]]
    return answers
