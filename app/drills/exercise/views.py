"""The two pages every single-POST exercise has: the form (graded on submit) and the explained result.

Each kind's ``routes.py`` declares its routes (URLs and endpoint names) and calls these with its
:class:`ExerciseType`, its form class, how to read the answer from the form and its submit service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.extensions import db

from ..common.errors import DrillError, NotAllowed
from ..common.policy import attempt_state
from ..common.tokens import new_token
from ..common.views_common import load_visible
from .base import ExerciseType


def _history(exercise: ExerciseType, item_id: str):
    model = exercise.submission
    column = getattr(model, exercise.item_column)
    return db.session.scalars(select(model).where(model.employee_id == current_user.id, column == item_id)
                              .order_by(model.submitted_at.desc()).limit(5)).all()


def form_page(exercise: ExerciseType, item_id: str, form_class: type[FlaskForm], read_answer: Callable[[Any], Any],
              submit: Callable[..., Any], *, invalid_message: object | None = None, **context):
    """GET: the empty form with a fresh token; POST: grade, commit, redirect to the result.

    ``invalid_message`` is flashed when the submitted form does not validate (None: the field
    errors alone); ``context`` goes to the template as is.
    """
    item = db.session.get(exercise.catalog, item_id)
    if item is None:
        abort(404)
    form = form_class()
    if not form.is_submitted():
        form.token.data = new_token()
    if item.retired:
        flash(_("This exercise is not available."), "warning")
    elif form.validate_on_submit():
        try:
            record = submit(current_user, item.id, read_answer(form), form.token.data)
            db.session.commit()
            return redirect(url_for(exercise.result_endpoint, **{exercise.result_arg: record.id}))
        except DrillError as exc:
            db.session.rollback()
            if isinstance(exc, NotAllowed):
                form.token.data = new_token()
            flash(str(exc.message), "warning")
    elif form.is_submitted() and invalid_message is not None:
        flash(str(invalid_message), "warning")
    attempts = attempt_state(exercise.kind_key, current_user.id, item.id, item.spec)
    return render_template(exercise.form_template, **{exercise.item_name: item}, spec=item.spec, form=form,
                           **context, history=_history(exercise, item.id), attempts=attempts)


def result_page(exercise: ExerciseType, record_id: int):
    """One graded submission, for its owner and whoever may view the owner's data.

    The answer key (missing facts, required choices, model answer) is shown to the owner only
    once they passed or used their last attempt (``AttemptState.reveal``); until then the page
    names what was wrong and the clauses to reread. Whoever else may see it (a supervisor) sees all.
    """
    record = load_visible(exercise.submission, record_id)
    item = getattr(record, exercise.item_name)
    attempts = attempt_state(exercise.kind_key, record.employee_id, item.id, item.spec)
    reveal = attempts.reveal or record.employee_id != current_user.id
    return render_template(exercise.result_template, **{exercise.record_name: record}, grading=record.grading,
                           **{exercise.item_name: item}, attempts=attempts, reveal=reveal)
