"""The form shape every drill form shares: a one-time token. Grading and permissions live in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(min=32, max=32)])
