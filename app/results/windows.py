"""Attempt windows: since when an employee's attempts at an activity count against its limit.

See :class:`app.results.models.AttemptWindow`. Activities call :func:`window_start` (one indexed
query) or compose :func:`window_start_sql` into their own counts; training opens windows.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import ColumnElement, func, select

from app.extensions import db
from app.results.models import AttemptWindow
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

ASSIGNMENT = "assignment"
RESET = "reset"


def open_window(employee_id: int, kind: str, activity_id: str, *, reason: str,
                by_id: int | None = None, at: dt.datetime | None = None) -> AttemptWindow:
    """From ``at`` on, earlier attempts no longer count against the activity's limit."""
    if reason not in (ASSIGNMENT, RESET):
        raise ValueError(f"unknown attempt-window reason {reason!r}")
    window = AttemptWindow(employee_id=employee_id, kind=str(kind), activity_id=activity_id,
                           opened_at=at or utcnow(), reason=reason, opened_by_id=by_id)
    db.session.add(window)
    db.session.flush()
    logger.info("attempt window %s for employee %s at %s %s", reason, employee_id, kind, activity_id)
    return window


def window_start(employee_id: int, kind: str, activity_id: str) -> dt.datetime | None:
    """The newest window's start (None: every attempt ever counts)."""
    return db.session.scalar(select(func.max(AttemptWindow.opened_at)).where(
        AttemptWindow.employee_id == employee_id, AttemptWindow.kind == str(kind),
        AttemptWindow.activity_id == activity_id))


def window_start_sql(employee_id, kind: str, activity_id) -> ColumnElement:
    """A correlated scalar subquery of the window start, for counting many activities in one query."""
    return (select(func.max(AttemptWindow.opened_at))
            .where(AttemptWindow.employee_id == employee_id, AttemptWindow.kind == str(kind),
                   AttemptWindow.activity_id == activity_id)
            .correlate_except(AttemptWindow).scalar_subquery())


def counts_since_window(moment_column, employee_id, kind: str, activity_id) -> ColumnElement[bool]:
    """``moment_column`` falls in the current window (true when there is no window)."""
    start = window_start_sql(employee_id, kind, activity_id)
    return (start.is_(None)) | (moment_column >= start)
