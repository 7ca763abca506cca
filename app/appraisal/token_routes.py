"""HR's API token page: create (the token is shown once, on the response) and revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisal import tokens
from app.appraisal.cycles import AppraisalError
from app.appraisal.forms import RevokeForm, TokenForm
from app.appraisal.routes import bp
from app.extensions import db
from app.people.models import Department, Role
from app.people.permissions import role_required


def _token_form(**kwargs) -> TokenForm:
    form = TokenForm(**kwargs)
    form.department_id.choices = [("", _("All departments"))] + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]
    return form


@bp.route("/tokens", methods=["GET", "POST"])
@role_required(Role.HR)
def api_tokens():
    form = _token_form()
    new_token = None
    if form.validate_on_submit():
        try:
            _token, new_token = tokens.create_token(form.name.data, actor_id=current_user.id,
                                                   ip=request.remote_addr or "", expires_on=form.expires_on.data,
                                                   department_id=form.department_id.data)
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            form = _token_form(formdata=None)
    response = render_template("appraisal/tokens.html", form=form, tokens=tokens.list_tokens(),
                               new_token=new_token, revoke_form=RevokeForm(), refusal=tokens.refusal)
    if new_token:  # the only time the token exists in clear: never cache this page
        return response, 200, {"Cache-Control": "no-store"}
    return response


@bp.post("/tokens/<int:token_id>/revoke")
@role_required(Role.HR)
def api_token_revoke(token_id: int):
    if RevokeForm().validate_on_submit():
        try:
            token = tokens.revoke_token(token_id, actor_id=current_user.id, ip=request.remote_addr or "")
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Token %(name)s revoked.", name=token.name), "success")
    return redirect(url_for("appraisal.api_tokens"))
