"""The shape of one choice in a run. Whether it counts is the service's business."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class ChoiceForm(FlaskForm):
    """One choice in a run: the step it answers (position and node) and the choice index."""

    position = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    node = StringField(validators=[DataRequired(), Length(max=64)])
    choice = IntegerField(validators=[InputRequired(message=_l("Please pick one of the choices shown.")),
                                      NumberRange(min=0)])
