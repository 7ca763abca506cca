"""Complaint-record and polite-language pages: one form, graded on submit, an explained result."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db

from .blueprint import bp
from .complaint_rules import FIELD_CODES, SELECT_CODES
from .errors import DrillError, NotAllowed
from .exercise_services import new_token, submit_complaint, submit_language
from .forms import ComplaintForm, LanguageForm
from .labels import CONTEXT_LABELS
from .models_catalog import ComplaintExercise, LanguagePrompt
from .models_exercises import ComplaintSubmission, LanguageAnswer
from .views_common import load_visible


def _active(model, item_id: str):
    item = db.session.get(model, item_id)
    if item is None:
        abort(404)
    return item


def _history(model, column, item_id: str):
    return db.session.scalars(select(model).where(model.employee_id == current_user.id, column == item_id)
                              .order_by(model.submitted_at.desc()).limit(5)).all()


@bp.route("/complaints/<exercise_id>", methods=["GET", "POST"])
@login_required
def complaint_form(exercise_id: str):
    exercise = _active(ComplaintExercise, exercise_id)
    form = ComplaintForm()
    if not form.is_submitted():
        form.token.data = new_token()
    if exercise.retired:
        flash(_("This exercise is not available."), "warning")
    elif form.validate_on_submit():
        answers = {code: getattr(form, code).data or "" for code in (*FIELD_CODES, *SELECT_CODES)}
        try:
            submission = submit_complaint(current_user, exercise.id, answers, form.token.data)
            db.session.commit()
            return redirect(url_for("drills.complaint_result", submission_id=submission.id))
        except DrillError as exc:
            db.session.rollback()
            if isinstance(exc, NotAllowed):
                form.token.data = new_token()
            flash(str(exc.message), "warning")
    elif form.is_submitted():
        flash(_("Please correct the marked fields."), "warning")
    return render_template("drills/complaint_form.html", exercise=exercise, spec=exercise.spec, form=form,
                           history=_history(ComplaintSubmission, ComplaintSubmission.exercise_id, exercise.id))


@bp.route("/complaints/submissions/<int:submission_id>")
@login_required
def complaint_result(submission_id: int):
    submission = load_visible(ComplaintSubmission, submission_id)
    return render_template("drills/complaint_result.html", submission=submission, grading=submission.grading,
                           exercise=submission.exercise)


@bp.route("/language/<prompt_id>", methods=["GET", "POST"])
@login_required
def language_form(prompt_id: str):
    prompt = _active(LanguagePrompt, prompt_id)
    form = LanguageForm()
    if not form.is_submitted():
        form.token.data = new_token()
    if prompt.retired:
        flash(_("This exercise is not available."), "warning")
    elif form.validate_on_submit():
        try:
            answer = submit_language(current_user, prompt.id, form.answer.data, form.token.data)
            db.session.commit()
            return redirect(url_for("drills.language_result", answer_id=answer.id))
        except DrillError as exc:
            db.session.rollback()
            if isinstance(exc, NotAllowed):
                form.token.data = new_token()
            flash(str(exc.message), "warning")
    return render_template("drills/language_form.html", prompt=prompt, spec=prompt.spec, form=form,
                           context_labels=CONTEXT_LABELS,
                           history=_history(LanguageAnswer, LanguageAnswer.prompt_id, prompt.id))


@bp.route("/language/answers/<int:answer_id>")
@login_required
def language_result(answer_id: int):
    answer = load_visible(LanguageAnswer, answer_id)
    return render_template("drills/language_result.html", answer=answer, grading=answer.grading, prompt=answer.prompt)
