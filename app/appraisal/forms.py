"""Forms of the appraisal pages (the shape of input; rules live in the services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.people.forms import coerce_optional_int
from app.ui.validators import PlainText

POLICY_CHOICES = [("best", _l("Best result in the window")), ("latest", _l("Latest result in the window"))]
SCOPE_CHOICES = [("company", _l("The whole company")), ("departments", _l("Chosen departments"))]


class CycleForm(FlaskForm):
    name = StringField(_l("Cycle name"), validators=[DataRequired(), Length(max=64), PlainText()],
                       render_kw={"placeholder": "2026年下半年"})
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    weight_theory = IntegerField(_l("Theory weight (quizzes) %"), default=40,
                                 validators=[InputRequired(), NumberRange(0, 100)])
    weight_practice = IntegerField(_l("Practice weight (drills) %"), default=30,
                                   validators=[InputRequired(), NumberRange(0, 100)])
    weight_observation = IntegerField(_l("Observation weight (checklists) %"), default=30,
                                      validators=[InputRequired(), NumberRange(0, 100)])
    band_excellent = FloatField(_l("Excellent from"), default=90, validators=[InputRequired(), NumberRange(0, 100)])
    band_good = FloatField(_l("Good from"), default=80, validators=[InputRequired(), NumberRange(0, 100)])
    band_pass = FloatField(_l("Pass from"), default=60, validators=[InputRequired(), NumberRange(0, 100)])
    policy = RadioField(_l("Attempt policy"), choices=POLICY_CHOICES, default="best")
    scope = RadioField(_l("Scope"), choices=SCOPE_CHOICES, default="company")
    department_ids = SelectMultipleField(_l("Departments"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class CloseForm(FlaskForm):
    #: required (by the route) only while the window has not ended yet
    early = BooleanField(_l("Close it now, before the end of its window"))
    submit = SubmitField(_l("Close the cycle"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Reason for reopening"), validators=[DataRequired(), Length(max=500),
                                                                    PlainText(multiline=True)])
    submit = SubmitField(_l("Reopen"))


class AdjustForm(FlaskForm):
    points = FloatField(_l("Adjustment (points, may be negative)"),
                        validators=[InputRequired(), NumberRange(-100, 100)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500), PlainText(multiline=True)])
    submit = SubmitField(_l("Save adjustment"))


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=64), PlainText()],
                       render_kw={"placeholder": "HR system"})
    expires_on = DateField(_l("Works until (last day, optional)"), validators=[Optional()])
    department_id = SelectField(_l("Only this department (optional)"), coerce=coerce_optional_int,
                                validators=[Optional()])
    submit = SubmitField(_l("Create token"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
