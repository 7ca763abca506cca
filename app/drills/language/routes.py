"""Polite-language pages: the prompt with its answer box, graded on submit, and the explained result."""

from __future__ import annotations

from flask_login import login_required

from ..blueprint import bp
from ..common.labels import CONTEXT_LABELS
from ..exercise.views import form_page, result_page
from .forms import LanguageForm
from .services import LANGUAGE, submit_language


@bp.route("/language/<prompt_id>", methods=["GET", "POST"])
@login_required
def language_form(prompt_id: str):
    return form_page(LANGUAGE, prompt_id, LanguageForm, lambda form: form.answer.data, submit_language,
                     context_labels=CONTEXT_LABELS)


@bp.route("/language/answers/<int:answer_id>")
@login_required
def language_result(answer_id: int):
    return result_page(LANGUAGE, answer_id)
