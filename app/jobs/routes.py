"""The job page: a progress bar until the job is done, then its result (a download for exports).

Owner or the roles that see every job (HR and admin); anyone else gets a 404, as if the job did
not exist. ``/jobs/<id>.json`` feeds the small poller (static/js/job_progress.js); without
JavaScript the page refreshes itself until the job has finished.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit.services import record_event
from app.extensions import db
from app.jobs import service
from app.jobs.models import Job
from app.jobs.registry import state

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not service.can_see(job, current_user):
        abort(404)
    return job


def files_dir() -> Path:
    return Path(current_app.config["JOBS_FILES_DIR"])


def result_file(job: Job) -> Path | None:
    """The job's file, when it has one that still exists (a bare name inside JOBS_FILES_DIR)."""
    name = (job.result or {}).get("file") if job.state == "done" else None
    if not name or os.path.basename(name) != name:
        return None
    path = files_dir() / name
    return path if path.is_file() else None


def _status(job: Job) -> dict:
    return {"id": job.id, "kind": job.kind, "state": job.state, "progress": job.progress,
            "message": job.message, "finished": job.finished, "stale": service.is_stale(job)}


@bp.get("/<int:job_id>")
@login_required
def job_page(job_id: int):
    job = _job_or_404(job_id)
    kind = state().kinds.get(job.kind)
    extra = kind.result_view(job, current_user) if kind and kind.result_view and job.finished else {}
    file = result_file(job)
    body = render_template("jobs/job.html", job=job, kind=kind, label=kind.label if kind else job.kind, result=job.result or {}, extra=extra,
                           file=file, stale=service.is_stale(job),
                           file_missing=job.state == "done" and bool((job.result or {}).get("file")) and file is None)
    return body, 200, {"Cache-Control": "no-store"}  # it may show one-time passwords


@bp.get("/<int:job_id>.json")
@login_required
def job_status(job_id: int):
    job = _job_or_404(job_id)
    response = jsonify(_status(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:job_id>/download")
@login_required
def job_download(job_id: int):
    job = _job_or_404(job_id)
    path = result_file(job)
    if path is None:
        abort(404)
    result = job.result or {}
    record_event("jobs.download", actor_id=current_user.id, target=f"job:{job.id}", ip=request.remote_addr or "",
                 details={"kind": job.kind, "file": path.name, "bytes": path.stat().st_size,
                          "owner_id": job.created_by_id})
    db.session.commit()
    response = send_file(path, mimetype=result.get("mimetype") or "application/octet-stream", as_attachment=True,
                         download_name=result.get("download_name") or path.name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:job_id>/retry")
@login_required
def job_retry(job_id: int):
    job = _job_or_404(job_id)
    if service.retry(job):
        record_event("jobs.retry", actor_id=current_user.id, target=f"job:{job.id}", ip=request.remote_addr or "",
                     details={"kind": job.kind, "attempts": job.attempts})
        db.session.commit()
        flash(_("The job was started again."), "info")
    else:
        db.session.rollback()
        flash(_("This job is not stuck; it needs no retry."), "warning")
    return redirect(url_for("jobs.job_page", job_id=job_id))
