"""The language drill's form: what the trainee would say."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.ui.validators import PlainText

from ..common.forms import TokenForm
from .grading import MAX_ANSWER_LENGTH


class LanguageForm(TokenForm):
    answer = TextAreaField(_l("What you would say"), validators=[
        DataRequired(message=_l("Type what you would say first.")), Length(max=MAX_ANSWER_LENGTH),
        PlainText(multiline=True)],
        render_kw={"rows": 3, "maxlength": MAX_ANSWER_LENGTH})
