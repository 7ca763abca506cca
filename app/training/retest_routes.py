"""HR's pages for standard changes: the change sets, a preview of each, confirm or dismiss.

Added to the training blueprint (imported for its side effect in ``app/blueprints.py``). Thin:
the rules live in ``app.training.retest``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.content.changes import change_counts, change_sets
from app.extensions import db
from app.people.models import Role
from app.people.permissions import role_required
from app.routing import query_page
from app.training import retest
from app.training.forms import ConfirmForm
from app.training.routes import bp

OFFICE = (Role.HR, Role.ADMIN)
#: affected employees per page of the preview
PAGE_SIZE = 50


@bp.get("/standard-changes")
@role_required(*OFFICE)
def retest_list():
    sets = change_sets()
    counts = change_counts([s.id for s in sets])
    return render_template("training/retest_list.html", sets=sets, counts=counts)


@bp.get("/standard-changes/<int:change_set_id>")
@role_required(*OFFICE)
def retest_preview(change_set_id: int):
    change_set = retest.get_change_set(change_set_id)
    if change_set is None:
        abort(404)
    p = retest.preview(change_set)
    page = query_page()
    people = retest.affected_employees_page(p.employee_ids, page, PAGE_SIZE)
    pages = max(1, -(-len(p.employee_ids) // PAGE_SIZE))
    return render_template("training/retest_preview.html", p=p, summary=retest.summary(p), people=people,
                           page=page, pages=pages, form=ConfirmForm())


def _decide(change_set_id: int, action):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        outcome = action(current_user, change_set_id)
    except retest.RetestError as refused:
        db.session.rollback()
        flash(str(refused), "warning")
        return redirect(url_for("training.retest_list"))
    db.session.commit()
    return outcome


@bp.post("/standard-changes/<int:change_set_id>/confirm")
@role_required(*OFFICE)
def retest_confirm(change_set_id: int):
    outcome = _decide(change_set_id, retest.confirm)
    if not isinstance(outcome, retest.ConfirmOutcome):
        return outcome
    if outcome.already:
        flash(_("This change was already decided: nothing was done."), "info")
    else:
        flash(ngettext("%(num)d refresher assigned.", "%(num)d refreshers assigned.", outcome.created), "success")
    return redirect(url_for("training.retest_preview", change_set_id=change_set_id))


@bp.post("/standard-changes/<int:change_set_id>/dismiss")
@role_required(*OFFICE)
def retest_dismiss(change_set_id: int):
    outcome = _decide(change_set_id, retest.dismiss)
    if not isinstance(outcome, retest.ConfirmOutcome):
        return outcome
    flash(_("This change was already decided: nothing was done.") if outcome.already
          else _("Change dismissed: nobody is re-tested."), "info")
    return redirect(url_for("training.retest_preview", change_set_id=change_set_id))
