"""enqueue → (after the commit) dispatch → run_job: the life of a job.

* :func:`enqueue` is idempotent on ``(kind, key)``: the same key while queued, running or done
  returns that job; after a failure (or a worker lost with it: no sign of life for
  ``JOBS_STALE_SECONDS``) it resets the row and runs it again from the start.
* Nothing is dispatched before the caller commits: the row is remembered in the session and
  handed to the backend by the session's ``after_commit`` event (dropped on rollback), so a worker
  never looks for a row that is not there yet, and the request still answers at once.
* Backends: ``rq`` pushes ``app.jobs.worker.perform(job_id)`` to Redis; ``thread`` (the embedded
  default) runs the same function in a background thread of this process.
* :func:`run_job` claims the row (queued → running, one claimer wins), runs the kind's function,
  and writes ``done`` with the result in the function's own transaction: one commit for the work
  and its completion. A failure rolls the work back and records the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from app.jobs.registry import JobContext, JobError, get_kind, state
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

_PENDING = "jobs_pending_dispatch"
#: threads started by the in-process backend (tests join them; nothing else reads this)
_threads: set[threading.Thread] = set()


# --- enqueue ---------------------------------------------------------------------------------


def is_stale(job: Job, now: dt.datetime | None = None) -> bool:
    if job.state not in (QUEUED, RUNNING):
        return False
    limit = dt.timedelta(seconds=current_app.config.get("JOBS_STALE_SECONDS", 1800))
    return (now or utcnow()) - job.updated_at > limit


def enqueue(kind: str, params: dict, *, key: str, actor) -> Job:
    """Queue a job (the caller commits; it is dispatched after the commit). Returns the Job row."""
    get_kind(kind)  # an unknown kind is a programming error: fail here, not in the worker
    actor_id = getattr(actor, "id", actor)
    key = str(key)[:200]
    job = db.session.scalar(select(Job).where(Job.kind == kind, Job.key == key))
    if job is not None:
        if job.state == DONE or (job.state in (QUEUED, RUNNING) and not is_stale(job)):
            return job
        logger.info("job %s (%s %s) was %s: running it again", job.id, kind, key, job.state)
        _reset(job, params)
    else:
        now = utcnow()
        job = Job(kind=kind, key=key, params=params, state=QUEUED, progress=0, message="", error="",
                  attempts=0, created_by_id=actor_id, created_at=now, updated_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except IntegrityError:  # the same key was queued by a concurrent request a moment ago
            return db.session.scalar(select(Job).where(Job.kind == kind, Job.key == key))
    db.session.flush()
    _schedule(job.id)
    logger.info("job %s queued: %s %s by %s", job.id, kind, key, actor_id)
    return job


def retry(job: Job) -> bool:
    """Run a failed or lost job again (the caller commits). False when it is fine as it is."""
    if not (job.state == FAILED or is_stale(job)):
        return False
    _reset(job, job.params)
    db.session.flush()
    _schedule(job.id)
    return True


def _reset(job: Job, params: dict) -> None:
    job.params = params
    job.state, job.progress, job.message, job.error, job.result = QUEUED, 0, "", "", None
    job.started_at = job.finished_at = None
    job.updated_at = utcnow()


# --- dispatch after commit -------------------------------------------------------------------


def _schedule(job_id: int) -> None:
    pending = db.session.info.setdefault(_PENDING, [])
    pending.append((current_app._get_current_object(), job_id))


def _after_commit(session: Session) -> None:
    for app, job_id in session.info.pop(_PENDING, ()):
        dispatch(app, job_id)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask, *, viewer_roles=()) -> None:
    """Install the after-commit dispatch (once per process) and the roles that see every job."""
    state(app).viewer_roles = frozenset(str(r) for r in viewer_roles)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def dispatch(app: Flask, job_id: int) -> None:
    """Hand a committed job to its backend. Never raises into the committing request."""
    if app.config.get("JOBS_BACKEND") == "rq":
        from app.jobs.worker import push

        try:
            push(app, job_id)
        except Exception as exc:  # Redis down: say so on the job page instead of a 500
            logger.exception("job %s: could not reach the job queue", job_id)
            _mark_failed_now(job_id, f"could not reach the job queue: {exc}")
        return
    thread = threading.Thread(target=_thread_main, args=(app, job_id), name=f"job-{job_id}", daemon=True)
    _threads.add(thread)
    thread.start()
    if app.config.get("JOBS_WAIT"):
        thread.join()


def _thread_main(app: Flask, job_id: int) -> None:
    try:
        with app.app_context():
            try:
                run_job(job_id)
            except Exception:
                pass  # logged and recorded on the row by run_job
            finally:
                db.session.remove()
    finally:
        _threads.discard(threading.current_thread())


def wait_for_threads(timeout: float = 30.0) -> None:
    """Join the in-process job threads (tests, and a clean shutdown of the CLI)."""
    for thread in list(_threads):
        thread.join(timeout)


def _mark_failed_now(job_id: int, error: str, details: dict | None = None) -> None:
    with db.engine.begin() as conn:
        now = utcnow()
        conn.execute(update(Job).where(Job.id == job_id, Job.state != DONE)
                     .values(state=FAILED, error=error[:4000], result=details, finished_at=now, updated_at=now))


# --- running ---------------------------------------------------------------------------------


def _claim(job_id: int) -> JobContext | None:
    """queued → running in a short transaction of its own; None when someone else has it (or done)."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == QUEUED)
        .values(state=RUNNING, attempts=Job.attempts + 1, started_at=now, updated_at=now, progress=0,
                message="", error="")
    ).rowcount
    row = db.session.execute(select(Job.kind, Job.params, Job.created_by_id).where(Job.id == job_id)).first()
    db.session.commit()
    if not claimed or row is None:
        return None
    return JobContext(job_id=job_id, kind=row.kind, params=dict(row.params or {}), actor_id=row.created_by_id)


def run_job(job_id: int) -> str | None:
    """Run one queued job to the end; returns its final state (None when it was not ours to run).

    Unexpected exceptions are recorded on the row and re-raised (RQ marks its own job failed).
    """
    ctx = _claim(job_id)
    if ctx is None:
        current = db.session.scalar(select(Job.state).where(Job.id == job_id))
        db.session.rollback()
        logger.info("job %s not run: it is %s", job_id, current or "missing")
        return None
    kind = get_kind(ctx.kind)
    logger.info("job %s (%s) started", job_id, ctx.kind)
    try:
        result = kind.run(ctx) or {}
        now = utcnow()
        db.session.execute(update(Job).where(Job.id == job_id)
                           .values(state=DONE, progress=100, result=result, finished_at=now, updated_at=now))
        db.session.commit()
    except JobError as exc:
        db.session.rollback()
        _mark_failed_now(job_id, str(exc), exc.details)
        logger.info("job %s (%s) failed: %s", job_id, ctx.kind, exc)
        return FAILED
    except Exception as exc:
        db.session.rollback()
        logger.exception("job %s (%s) crashed", job_id, ctx.kind)
        _mark_failed_now(job_id, f"{type(exc).__name__}: {exc}")
        raise
    for callback in ctx.on_success:
        try:
            callback()
        except Exception:
            logger.exception("job %s: an after-success step failed", job_id)
    logger.info("job %s (%s) done", job_id, ctx.kind)
    return DONE


def can_see(job: Job, viewer) -> bool:
    """The owner, and the roles named at init (HR and admin), see a job; nobody else."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return job.created_by_id == viewer.id or viewer.role in state().viewer_roles
