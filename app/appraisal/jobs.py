"""The appraisal layer's background jobs: closing a cycle, recomputing a big cycle's live scores after
an edit (``live.recompute_or_queue``) and exports above EXPORT_JOB_ROWS.

Both are idempotent. The close runs the synchronous service (``snapshots.close_cycle``, still the
one CLI and tests call) in the job's single transaction: interrupted, it leaves nothing, and a
re-run of a cycle already closed at the job's version only counts the snapshot. The export
rewrites its own file (``job-<id>-…``, written to a ``.part`` file and renamed).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from urllib.parse import unquote

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.appraisal import live
from app.appraisal.cycles import AppraisalError
from app.appraisal.exports import FORMATS, export_filename, export_size, export_stream
from app.appraisal.models import Cycle, CycleScore
from app.appraisal.snapshots import close_cycle
from app.database import deferred_transactions
from app.extensions import db
from app.jobs import JobContext, JobError, JobKind, enqueue
from app.people.models import Department
from app.timeutil import local_today, utcnow

CLOSE = "appraisal.close"
EXPORT = "appraisal.export"


# --- closing -------------------------------------------------------------------------------


def enqueue_close(cycle: Cycle, *, actor_id: int | None, ip: str = ""):
    """Queue the close of an open cycle (the caller commits). A double submit finds the same job."""
    version = cycle.version + 1
    params = {"cycle_id": cycle.id, "version": version, "as_of": local_today().isoformat(), "ip": ip}
    return enqueue(CLOSE, params, key=f"cycle:{cycle.id}:v{version}", actor=actor_id)


def _snapshot_count(cycle: Cycle) -> int:
    return int(db.session.scalar(select(func.count(CycleScore.id)).where(
        CycleScore.cycle_id == cycle.id, CycleScore.version == cycle.version,
        CycleScore.superseded.is_(False))) or 0)


def run_close(ctx: JobContext) -> dict:
    params = ctx.params
    ctx.report(2, _("Computing the scores…"))

    def step(written: int, total: int) -> None:
        ctx.report(5 + 90 * written / max(total, 1),
                   _("%(done)s of %(total)s employees frozen", done=written, total=total))

    cycle = db.session.get(Cycle, params["cycle_id"])
    if cycle is None:
        raise JobError(_("This cycle no longer exists."))
    if not cycle.is_open and cycle.version >= params["version"]:  # a re-run: it is closed already
        return {"cycle_id": cycle.id, "rows": _snapshot_count(cycle), "version": cycle.version, "skipped": True}
    try:
        rows = close_cycle(cycle, actor_id=ctx.actor_id, ip=params.get("ip", ""),
                           as_of=dt.date.fromisoformat(params["as_of"]), progress=step)
    except AppraisalError as exc:
        raise JobError(str(exc)) from exc
    return {"cycle_id": cycle.id, "rows": rows, "version": cycle.version}


# --- recomputing a big open cycle's live scores ---------------------------------------------


def run_recompute(ctx: JobContext) -> dict:
    """``live.recompute_or_queue``'s job: every live row of the cycle from its current settings. A re-run
    (a retry, a worker lost mid-way) rewrites the same rows; a cycle closed meanwhile has none to write."""
    ctx.report(5, _("Recomputing the live scores…"))
    cycle = db.session.get(Cycle, ctx.params["cycle_id"])
    if cycle is None:
        raise JobError(_("This cycle no longer exists."))
    if not cycle.is_open:
        return {"cycle_id": cycle.id, "rows": 0, "skipped": True}
    return {"cycle_id": cycle.id, "rows": live.recompute_cycle(cycle)}


# --- exports -------------------------------------------------------------------------------


def needs_job(cycle: Cycle, department_id: int | None) -> bool:
    return export_size(cycle, department_id) > current_app.config.get("EXPORT_JOB_ROWS", 20000)


def enqueue_export(cycle: Cycle, fmt: str, department_id: int | None, *, actor_id: int | None):
    """Queue a big export (the caller commits). Clicking again within the minute finds the same job."""
    key = (f"cycle:{cycle.id}:v{cycle.version}:{cycle.state}:{fmt}:{department_id or 'all'}:by{actor_id}:"
           f"{utcnow():%Y%m%d%H%M}")
    params = {"cycle_id": cycle.id, "fmt": fmt, "department_id": department_id}
    return enqueue(EXPORT, params, key=key, actor=actor_id)


def _clean_old_files(directory: Path) -> None:
    cutoff = time.time() - current_app.config.get("JOBS_FILES_TTL", 24 * 3600)
    for path in directory.glob("job-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def run_export(ctx: JobContext) -> dict:
    params = ctx.params
    fmt, department_id = params["fmt"], params.get("department_id")
    if fmt not in FORMATS:
        raise JobError(_("Unknown export format %(fmt)s.", fmt=fmt))
    ctx.report(1, _("Reading the scores…"))
    directory = Path(current_app.config["JOBS_FILES_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    _clean_old_files(directory)
    cycle = db.session.get(Cycle, params["cycle_id"])
    if cycle is not None and cycle.is_open and live.pending_recompute(cycle) is not None:
        live.recompute_cycle(cycle)  # an edit's recompute has not run yet: do it first (it is idempotent)
        db.session.commit()
    elif cycle is not None and live.refresh_due(cycle):  # bring an open cycle's live rows up to today
        db.session.commit()
    with deferred_transactions():  # a reader: it never takes SQLite's write lock
        cycle = db.session.get(Cycle, params["cycle_id"])
        if cycle is None:
            raise JobError(_("This cycle no longer exists."))
        department = db.session.get(Department, department_id) if department_id else None
        total = max(export_size(cycle, department_id), 1)
        seen = [0]

        def step(rows: int) -> None:
            seen[0] = rows
            ctx.report(min(99, 2 + 95 * rows / total), _("%(done)s of about %(total)s rows", done=rows, total=total))

        ascii_name, quoted = export_filename(cycle, fmt, department.name if department else None)
        name = f"job-{ctx.job_id}-{ascii_name}"
        partial = directory / f"{name}.part"
        size = 0
        with open(partial, "wb") as fh:
            for chunk in export_stream(cycle, fmt, department_id, progress=step):
                fh.write(chunk)
                size += len(chunk)
        os.replace(partial, directory / name)
        db.session.rollback()  # end the read; the runner writes "done" in a transaction of its own
    return {"file": name, "download_name": unquote(quoted), "mimetype": FORMATS[fmt].mimetype, "bytes": size,
            "rows_at_least": seen[0], "cycle_id": params["cycle_id"], "format": fmt}


CLOSE_JOB = JobKind(CLOSE, run_close, _l("Closing an appraisal cycle"), result_template="appraisal/_close_job.html")
RECOMPUTE_JOB = JobKind(live.RECOMPUTE_JOB, run_recompute, _l("Recomputing an appraisal cycle's live scores"),
                        result_template="appraisal/_recompute_job.html")
EXPORT_JOB = JobKind(EXPORT, run_export, _l("Appraisal export"), result_template="appraisal/_export_job.html")
JOB_KINDS = (CLOSE_JOB, RECOMPUTE_JOB, EXPORT_JOB)
