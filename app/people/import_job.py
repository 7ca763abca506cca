"""The bulk import as a background job: the confirm step queues it, the job page shows the result.

Idempotent: the import is all or nothing in the job's one transaction, keyed by the preview token,
and the preview is deleted only after that transaction committed. The generated initial passwords
are not stored in the database: they go to a private file (mode 0600) that only the importing
user's job page shows, for PENDING_TTL_SECONDS (one hour); then it is deleted.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs import JobContext, JobError, JobKind, enqueue
from app.people import imports
from app.people.models import Employee
from app.people.passwords import PasswordPolicyError
from app.people.services import PeopleError

IMPORT = "people.import"


def pending_dir() -> Path:
    return Path(current_app.config.get("IMPORT_PREVIEW_DIR") or Path(current_app.instance_path) / "import-previews")


def _passwords_dir() -> Path:
    return Path(current_app.config["JOBS_FILES_DIR"])


def enqueue_import(token: str, *, actor_id: int, ip: str = ""):
    """Queue the import of a saved preview (the caller commits). The same preview → the same job."""
    return enqueue(IMPORT, {"token": token, "ip": ip}, key=f"import:{token}", actor=actor_id)


def _clean_passwords(directory: Path) -> None:
    cutoff = time.time() - imports.PENDING_TTL_SECONDS
    for path in directory.glob("import-*-passwords.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def run_import(ctx: JobContext) -> dict:
    token = ctx.params["token"]
    ctx.report(2, _("Checking the rows again…"))
    directory = pending_dir()
    pending = imports.load_pending(directory, token, actor_id=ctx.actor_id)
    if pending is None:
        raise JobError(_("This preview has expired or was already imported. Upload the file again."))
    rows, source = pending

    def step(done: int, total: int) -> None:
        ctx.report(5 + 90 * done / max(total, 1), _("%(done)s of %(total)s accounts created", done=done, total=total))

    actor = db.session.get(Employee, ctx.actor_id) if ctx.actor_id else None
    try:
        created = imports.commit_import(rows, actor_id=ctx.actor_id, actor_role=actor.role if actor else "trainee",
                                        ip=ctx.params.get("ip", ""), source=source, progress=step)
    except imports.ImportRowsError as exc:
        imports.discard_pending(directory, token)
        raise JobError(_("Some rows are no longer valid. Nothing was imported."),
                       {"rows": [asdict(r) for r in exc.rows if r.errors]}) from exc
    except IntegrityError as exc:  # lost a race with another import of the same employee numbers
        raise JobError(_("Some rows are no longer valid. Nothing was imported.")) from exc
    except (PeopleError, PasswordPolicyError) as exc:
        raise JobError(_("Nothing was imported: %(error)s", error=str(exc))) from exc
    secrets_dir = _passwords_dir()
    secrets_dir.mkdir(parents=True, exist_ok=True)
    _clean_passwords(secrets_dir)
    name = f"import-{ctx.job_id}-passwords.json"
    fd = os.open(secrets_dir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({c.employee_no: c.password for c in created}, fh, ensure_ascii=False)
    ctx.on_success.append(lambda: imports.discard_pending(directory, token))
    return {"created": len(created), "source": source[:200], "passwords_file": name,
            "employees": [{"id": c.employee_id, "no": c.employee_no, "name": c.name} for c in created]}


def result_view(job, viewer) -> dict:
    """The initial passwords, for the user who imported only, while the file lasts (one hour)."""
    name = (job.result or {}).get("passwords_file")
    if job.state != "done" or not name or os.path.basename(name) != name or viewer.id != job.created_by_id:
        return {"passwords": None}
    path = _passwords_dir() / name
    try:
        if time.time() - path.stat().st_mtime > imports.PENDING_TTL_SECONDS:
            path.unlink()
            return {"passwords": None}
        return {"passwords": json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, ValueError):
        return {"passwords": None}


IMPORT_JOB = JobKind(IMPORT, run_import, _l("Employee import"), result_template="people/_import_job.html",
                     result_view=result_view)
JOB_KINDS = (IMPORT_JOB,)
