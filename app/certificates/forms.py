"""Forms of the certificate pages: the shape of input only (rules live in the services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.certificates.services import MAX_REASON
from app.ui.validators import PlainText


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), validators=[
        DataRequired(message=_l("A reason is required.")), Length(max=MAX_REASON), PlainText(multiline=True)])
