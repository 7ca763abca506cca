"""The Job row: one unit of background work, its progress and its result.

A job is identified for idempotency by ``(kind, key)``: enqueueing the same key again returns the
existing row while it is queued, running or done, and runs it again only after it failed (or was
lost with a worker). The employee is a foreign key named by table, as in the audit trail, so this
package imports nothing of app.people.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
FINISHED = (DONE, FAILED)


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the registered job kind, e.g. ``appraisal.close``
    kind: Mapped[str] = mapped_column(String(64))
    #: idempotency key, unique per kind (e.g. ``cycle:3:v2`` for the second close of cycle 3)
    key: Mapped[str] = mapped_column(String(200))
    #: JSON arguments of the job function (ids and plain values only)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    #: 0-100, with a short human message ("1,200 of 10,000 employees")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    #: what the job produced: counts, a file under JOBS_FILES_DIR (``file``), error details
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    #: how many times a run started (a retry after a failure or a lost worker adds one)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: last sign of life (queued, claimed, progress): a stale queued/running job counts as lost
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state} {self.progress}%>"
