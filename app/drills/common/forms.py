"""The shape of drill input. Grading and permissions live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .complaint_grading import MAX_FIELD_LENGTH
from .complaint_rules import FORM_FIELDS, SELECTS
from .language_grading import MAX_ANSWER_LENGTH


class ChoiceForm(FlaskForm):
    """One choice in a run: the step it answers (position and node) and the choice index."""

    position = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    node = StringField(validators=[DataRequired(), Length(max=64)])
    choice = IntegerField(validators=[InputRequired(message=_l("Please pick one of the choices shown.")),
                                      NumberRange(min=0)])


class TokenForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(min=32, max=32)])


class ComplaintForm(TokenForm):
    pass


for _field in FORM_FIELDS:
    setattr(ComplaintForm, _field.code, TextAreaField(_field.label, validators=[
        Optional(), Length(max=MAX_FIELD_LENGTH)], render_kw={"rows": 2}))
for _rule in SELECTS:
    setattr(ComplaintForm, _rule.code, SelectField(_rule.label, choices=[("", _l("— choose —")), *_rule.options],
                                                   validators=[Optional()]))


class LanguageForm(TokenForm):
    answer = TextAreaField(_l("What you would say"), validators=[
        DataRequired(message=_l("Type what you would say first.")), Length(max=MAX_ANSWER_LENGTH)],
        render_kw={"rows": 3, "maxlength": MAX_ANSWER_LENGTH})


class ObservationForm(TokenForm):
    """The fixed part of an observation; the per-item marks are read by the route (one radio
    group ``mark-<item id>`` and one ``note-<item id>`` per item)."""

    version = HiddenField(validators=[DataRequired(), Length(max=64)])
