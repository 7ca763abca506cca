"""Bulk import pages: upload → preview (every row with its errors) → confirm (all or nothing).

Between preview and confirm the validated rows wait in a server-side folder under a random token
(``instance/import-previews``, one hour), never in the cookie. Confirm queues a background job
(import_job.py) that validates them again, since someone may have taken an employee number in
the meantime, and redirects to the job's page.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import HiddenField, SubmitField

from app.extensions import db
from app.people import imports
from app.people.import_job import enqueue_import, pending_dir
from app.people.models import Role
from app.people.permissions import role_required

bp = Blueprint("imports", __name__, url_prefix="/people/import")


class UploadForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    submit = SubmitField(_l("Preview"))


class ConfirmForm(FlaskForm):
    token = HiddenField()
    submit = SubmitField(_l("Import these employees"))


def _render_upload(form: UploadForm, error: str | None = None, status: int = 200):
    limit = imports.max_bytes(current_app.config)
    return render_template("people/import_upload.html", form=form, error=error, limit_kb=limit // 1024,
                           max_rows=imports.MAX_ROWS), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    return _render_upload(UploadForm(formdata=None), _("The file is too large."), 413)


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.HR, Role.ADMIN)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_upload(form)
    storage = form.file.data
    limit = imports.max_bytes(current_app.config)
    data = storage.stream.read(limit + 1)
    try:
        rows, notices = imports.read_upload(storage.filename or "", data, limit=limit)
    except imports.ImportFileError as exc:
        return _render_upload(form, str(exc), 400)
    imports.validate_rows(rows, actor_role=current_user.role)
    token = None
    if not imports.has_errors(rows):
        token = imports.save_pending(pending_dir(), rows, actor_id=current_user.id, source=storage.filename or "")
    db.session.rollback()  # validation only read
    return render_template("people/import_preview.html", rows=rows, notices=notices, token=token,
                           filename=storage.filename, confirm_form=ConfirmForm(token=token))


@bp.post("/confirm")
@role_required(Role.HR, Role.ADMIN)
def confirm():
    form = ConfirmForm()
    token = form.token.data if form.validate_on_submit() else None
    pending = imports.load_pending(pending_dir(), token, actor_id=current_user.id) if token else None
    if pending is None:
        flash(_("This preview has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for("imports.upload"))
    job = enqueue_import(token, actor_id=current_user.id, ip=request.remote_addr or "")
    db.session.commit()  # the job (app/people/import_job.py) starts now; its page shows the result
    return redirect(url_for("jobs.job_page", job_id=job.id))
