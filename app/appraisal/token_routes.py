"""HR's API token page: create (the token is shown once, on the response) and revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.appraisal import tokens
from app.appraisal.cycles import AppraisalError
from app.appraisal.forms import RevokeForm, TokenForm
from app.appraisal.routes import bp
from app.extensions import db
from app.people.models import Role
from app.people.permissions import role_required


@bp.route("/tokens", methods=["GET", "POST"])
@role_required(Role.HR)
def api_tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            _token, new_token = tokens.create_token(form.name.data, actor_id=current_user.id,
                                                   ip=request.remote_addr or "")
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    response = render_template("appraisal/tokens.html", form=form, tokens=tokens.list_tokens(),
                               new_token=new_token, revoke_form=RevokeForm())
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
