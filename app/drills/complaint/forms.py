"""The complaint form: one text area per form field, one select per rule."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.ui.validators import PlainText

from ..common.forms import TokenForm
from .grading import MAX_FIELD_LENGTH
from .rules import FORM_FIELDS, SELECTS


class ComplaintForm(TokenForm):
    pass


for _field in FORM_FIELDS:
    setattr(ComplaintForm, _field.code, TextAreaField(_field.label, validators=[
        Optional(), Length(max=MAX_FIELD_LENGTH), PlainText(multiline=True)], render_kw={"rows": 2}))
for _rule in SELECTS:
    setattr(ComplaintForm, _rule.code, SelectField(_rule.label, choices=[("", _l("— choose —")), *_rule.options],
                                                   validators=[Optional()]))
