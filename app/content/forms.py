"""Forms of the lesson pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField


class MarkReadForm(FlaskForm):
    course = HiddenField()
    submit = SubmitField(_l("I have read this"))
