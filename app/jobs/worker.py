"""The RQ side: push a job id to Redis, and the function an ``rq worker`` runs for it.

The queue carries only the Job row's id; the row holds the parameters, the state and the
result. ``perform`` needs the Flask app: the one that pushed it when the worker runs in the same
process (tests: ``SimpleWorker`` inside an app context), else the app of ``flask jobs run-worker``,
else one built from the environment (a plain ``rq worker``: set the same DATABASE_URL,
SECRET_KEY and REDIS_URL as the web workers).
"""

from __future__ import annotations

import logging
import os

from flask import Flask, current_app, has_app_context

logger = logging.getLogger(__name__)

#: (pid, app) of the worker's app: a forked work horse inherits it but must not reuse the
#: parent's database connections
_worker_app: tuple[int, Flask] | None = None


def redis_connection(app: Flask):
    from redis import Redis

    url = app.config.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return Redis.from_url(url)


def queue(app: Flask):
    from rq import Queue

    return Queue(app.config.get("JOBS_QUEUE", "academy"), connection=redis_connection(app))


def push(app: Flask, job_id: int) -> None:
    from app.extensions import db
    from app.jobs.models import Job

    with app.app_context():
        attempts = db.session.get(Job, job_id).attempts
        db.session.remove()
    queue(app).enqueue_call(
        "app.jobs.worker.perform", args=(job_id,), timeout=app.config.get("JOBS_TIMEOUT", 3600),
        job_id=f"{app.config.get('JOBS_QUEUE', 'academy')}-job-{job_id}-{attempts + 1}",
        result_ttl=3600, failure_ttl=7 * 24 * 3600, description=f"academy job {job_id}",
    )
    logger.info("job %s pushed to RQ", job_id)


def set_worker_app(app: Flask) -> None:
    global _worker_app
    _worker_app = (os.getpid(), app)


def _app() -> Flask:
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from app import create_app

        set_worker_app(create_app())
    pid, app = _worker_app
    if pid != os.getpid():  # a forked work horse: fresh connections of its own
        from app.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
        _worker_app = (os.getpid(), app)
    return app


def perform(job_id: int) -> str | None:
    """The RQ job function: run the Job row ``job_id`` in a fresh app context."""
    from app.extensions import db
    from app.jobs.service import run_job

    app = _app()
    with app.app_context():
        try:
            return run_job(job_id)
        finally:
            db.session.remove()
