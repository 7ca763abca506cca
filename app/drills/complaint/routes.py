"""Complaint-record pages: the form, graded on submit, and the explained result."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import login_required

from ..blueprint import bp
from ..exercise.views import form_page, result_page
from .forms import ComplaintForm
from .rules import FIELD_CODES, FORM_FIELDS, SELECT_CODES, SELECTS, option_label
from .services import COMPLAINT, submit_complaint


@bp.context_processor
def complaint_helpers() -> dict:
    return {"option_label": option_label, "form_fields": FORM_FIELDS, "select_rules": SELECTS}


def _answers(form: ComplaintForm) -> dict[str, str]:
    return {code: getattr(form, code).data or "" for code in (*FIELD_CODES, *SELECT_CODES)}


@bp.route("/complaints/<exercise_id>", methods=["GET", "POST"])
@login_required
def complaint_form(exercise_id: str):
    return form_page(COMPLAINT, exercise_id, ComplaintForm, _answers, submit_complaint,
                     invalid_message=_l("Please correct the marked fields."))


@bp.route("/complaints/submissions/<int:submission_id>")
@login_required
def complaint_result(submission_id: int):
    return result_page(COMPLAINT, submission_id)
