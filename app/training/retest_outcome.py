"""The outcome of a refresher on a changed standard, and what the trainee's card shows.

Completing a refresher (its quiz passed, or every changed lesson read again) sends
``retest_passed``; one past its due date unfinished sends ``retest_missed`` (``app.training.signals``),
once each: from :func:`on_result_recorded` (at once, for a quiz) and from :func:`sweep` (``flask
retest sweep`` daily, and the login / page-load reminder checks). The change sets and who is
re-tested are in ``app/training/retest.py``. Functions flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.content.activity_kind import RereadKind
from app.content.changes import parse_activity_id
from app.content.models import RETEST_PREFIX, ContentChangeSet
from app.extensions import db
from app.results.models import Result
from app.timeutil import local_today, utcnow
from app.training.models import Assignment, AssignmentSource, RetestAssignment
from app.training.retest import Section, sections_of
from app.training.signals import retest_missed, retest_passed
from app.training.status import Status, statuses

logger = logging.getLogger(__name__)


# --- the outcome -------------------------------------------------------------------------------


def _send(signal, row: RetestAssignment) -> None:
    for course_id in row.course_ids or [None]:
        signal.send(current_app._get_current_object(), employee_id=row.employee_id, course_id=course_id,
                    changeset_id=row.change_set_id)


def _mark_passed(row: RetestAssignment, at: dt.datetime) -> None:
    row.passed_at = at
    db.session.flush()
    _send(retest_passed, row)
    logger.info("refresher %s passed by employee %s", row.change_set_id, row.employee_id)


def on_result_recorded(_sender, result: Result, **_extra) -> None:
    """A passing Result of a refresher quiz completes the employee's refresher at once."""
    if not result.activity_id.startswith(RETEST_PREFIX) or result.passed is False:
        return
    rows = db.session.scalars(
        select(RetestAssignment).join(Assignment, Assignment.id == RetestAssignment.assignment_id)
        .where(RetestAssignment.employee_id == result.employee_id, RetestAssignment.passed_at.is_(None),
               Assignment.activity_kind == result.kind, Assignment.activity_id == result.activity_id,
               Assignment.cancelled_at.is_(None), Assignment.created_at <= result.finished_at))
    for row in rows:
        _mark_passed(row, result.finished_at)


@dataclass
class SweepOutcome:
    passed: int = 0
    missed: int = 0


def sweep(today: dt.date | None = None, *, employee_ids: Iterable[int] | None = None,
          now: dt.datetime | None = None) -> SweepOutcome:
    """Send the signals the refreshers' derived status calls for and that were not sent yet:
    completed → ``retest_passed`` (reading refreshers are completed here), overdue →
    ``retest_missed``. Run by ``flask retest sweep`` (daily, from cron) and with the reminders."""
    today, now = today or local_today(), now or utcnow()
    criteria = [RetestAssignment.passed_at.is_(None)]
    if employee_ids is not None:
        criteria.append(RetestAssignment.employee_id.in_(list(employee_ids)))
    pending = select(RetestAssignment.assignment_id).where(*criteria)
    rows = {r.assignment.id: r for r in statuses(today, Assignment.id.in_(pending))}
    if not rows:
        return SweepOutcome()
    outcome = SweepOutcome()
    for retest in db.session.scalars(select(RetestAssignment).where(RetestAssignment.assignment_id.in_(list(rows)))):
        status = rows[retest.assignment_id]
        if status.status == Status.COMPLETED:
            _mark_passed(retest, status.completed_at or now)
            outcome.passed += 1
        elif status.status == Status.OVERDUE and retest.missed_at is None:
            retest.missed_at = now
            db.session.flush()
            _send(retest_missed, retest)
            outcome.missed += 1
    if outcome.passed or outcome.missed:
        logger.info("refresher sweep: %d passed, %d missed", outcome.passed, outcome.missed)
    return outcome


# --- the trainee's view ------------------------------------------------------------------------


@dataclass(frozen=True)
class RefresherView:
    change_set_id: int
    activity_id: str
    sections: list[Section]
    #: True: a quiz (start it from the card); False: reading only
    has_quiz: bool


def refresher_views(assignments: Iterable[Assignment]) -> dict[int, RefresherView]:
    """assignment id → what the refresher card shows (sections, quiz), for retest assignments."""
    wanted = {a.id: a for a in assignments if a.source == AssignmentSource.RETEST.value}
    if not wanted:
        return {}
    set_ids = {n for a in wanted.values() if (n := parse_activity_id(a.activity_id)) is not None}
    sets = {s.id: s for s in db.session.scalars(select(ContentChangeSet).where(ContentChangeSet.id.in_(set_ids)))}
    sections = {set_id: sections_of(s) for set_id, s in sets.items()}
    out = {}
    for a in wanted.values():
        set_id = parse_activity_id(a.activity_id)
        if set_id in sets:
            out[a.id] = RefresherView(set_id, a.activity_id, sections[set_id], a.activity_kind != RereadKind.key)
    return out
