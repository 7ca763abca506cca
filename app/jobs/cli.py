"""`flask jobs list` and `flask jobs run-worker` (an RQ worker with the app already built)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.jobs.models import STATES, Job

jobs_cli = AppGroup("jobs", help="Background jobs: list them, run an RQ worker.")


@jobs_cli.command("list")
@click.option("--state", type=click.Choice(STATES), default=None, help="only jobs in this state")
@click.option("--limit", type=int, default=50, show_default=True)
def list_command(state: str | None, limit: int):
    """The newest jobs: id, kind, state, progress, key, owner, created, error."""
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if state:
        stmt = stmt.where(Job.state == state)
    jobs = db.session.scalars(stmt).all()
    if not jobs:
        click.echo("no jobs")
    for job in jobs:
        line = (f"{job.id:>6}  {job.kind:<18} {job.state:<8} {job.progress:>3}%  {job.key}  "
                f"by={job.created_by_id}  {job.created_at:%Y-%m-%d %H:%M:%S}")
        if job.error:
            line += f"  error={job.error[:80]!r}"
        click.echo(line)
    db.session.rollback()


@jobs_cli.command("run-worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
def run_worker_command(burst: bool):
    """Process the job queue (RQ on REDIS_URL, queue JOBS_QUEUE) until stopped."""
    from rq import Worker

    from app.jobs.worker import queue, redis_connection, set_worker_app

    app = current_app._get_current_object()
    if app.config.get("JOBS_BACKEND") != "rq":
        click.echo("note: JOBS_BACKEND is not 'rq': the web process runs jobs itself; this worker "
                   "only serves jobs pushed to Redis")
    set_worker_app(app)
    db.session.remove()
    db.engine.dispose()  # each forked work horse opens connections of its own
    worker = Worker([queue(app)], connection=redis_connection(app))
    worker.work(burst=burst)
