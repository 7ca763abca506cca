"""In-app notifications: a new assignment, one due within two days, one overdue.

"New" rows are written with the assignment. Reminders are written lazily (when the employee logs
in or loads a page), at most one per kind and assignment: the unique constraint on
(assignment_id, kind) and ``INSERT … ON CONFLICT DO NOTHING`` make concurrent page loads
harmless. Texts are not stored; they are composed and translated when shown, so a notification
reads in the viewer's language. Notifications of cancelled assignments are never shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Integer, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, contains_eager

from app.extensions import db
from app.timeutil import utcnow
from app.training import activities
from app.training.models import ActivityStatus, Assignment, Notification, NotificationKind
from app.training.readmodel import ensure_fresh
from app.training.status import Status, live, status_columns

logger = logging.getLogger(__name__)

REMINDER_SOURCES_KEY = "training_reminder_sources"


@dataclass(frozen=True)
class ReminderSource:
    """More lazily written reminders from a higher layer (certificates: renewal assignments).

    ``pending(employee_id, today)`` must be cheap (it runs on throttled page loads); ``write``
    does the work in the caller's transaction. Both run wherever the due-soon/overdue reminders
    run: at login and on page loads. Registered in ``app/blueprints.py``.
    """

    name: str
    pending: Callable[[int, dt.date], bool]
    write: Callable[[int, dt.date], object]


def register_reminder_source(app, source: ReminderSource) -> None:
    app.extensions.setdefault(REMINDER_SOURCES_KEY, []).append(source)


def reminder_sources() -> list[ReminderSource]:
    return list(current_app.extensions.get(REMINDER_SOURCES_KEY, []))

#: "due soon" means due today or within this many days
DUE_SOON_DAYS = 2


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    """Insert notification rows, skipping any (assignment, kind) that already exists."""
    if not rows:
        return 0
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(Notification).values(rows).on_conflict_do_nothing(index_elements=["assignment_id", "kind"])
            .returning(Notification.id))
    return len(db.session.execute(stmt).all())  # rowcount is -1 here with psycopg: count what came back


def notify_new(assignments: Iterable[Assignment], now: dt.datetime | None = None) -> int:
    """One "new assignment" notification per assignment, in the caller's transaction."""
    now = now or utcnow()
    rows = [{"employee_id": a.employee_id, "assignment_id": a.id, "kind": NotificationKind.NEW.value,
             "created_at": now} for a in assignments]
    return _insert_ignoring_duplicates(rows)


def pending_reminders(employee_id: int, today: dt.date) -> list[dict]:
    """Reminder rows the employee should have and does not have yet (one query)."""
    cols = status_columns(today)
    due_soon = and_(~cols.completed, Assignment.due_date >= today,
                    Assignment.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS))
    overdue = cols.status == Status.OVERDUE.value
    soon_note, overdue_note = aliased(Notification), aliased(Notification)
    stmt = (
        select(Assignment.id, due_soon.label("due_soon"), overdue.label("overdue"),
               soon_note.id.label("soon_note"), overdue_note.id.label("overdue_note"))
        .outerjoin(soon_note, and_(soon_note.assignment_id == Assignment.id,
                                   soon_note.kind == NotificationKind.DUE_SOON.value))
        .outerjoin(overdue_note, and_(overdue_note.assignment_id == Assignment.id,
                                      overdue_note.kind == NotificationKind.OVERDUE.value))
        .where(live(), Assignment.employee_id == employee_id,
               Assignment.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS),
               or_(soon_note.id.is_(None), overdue_note.id.is_(None)))
    )
    rows: list[dict] = []
    for row in db.session.execute(stmt):
        if row.due_soon and row.soon_note is None:
            rows.append({"employee_id": employee_id, "assignment_id": row.id, "kind": NotificationKind.DUE_SOON.value})
        if row.overdue and row.overdue_note is None:
            rows.append({"employee_id": employee_id, "assignment_id": row.id, "kind": NotificationKind.OVERDUE.value})
    return rows


def refresh_reminders(employee_id: int, today: dt.date, now: dt.datetime | None = None) -> int:
    """Write the missing due-soon and overdue notifications in the caller's transaction
    (first the registered reminder sources' work, e.g. renewal assignments and their notices)."""
    now = now or utcnow()
    for source in reminder_sources():
        if source.pending(employee_id, today):
            source.write(employee_id, today)
    rows = [dict(row, created_at=now) for row in pending_reminders(employee_id, today)]
    created = _insert_ignoring_duplicates(rows)
    if created:
        logger.info("%d reminder(s) for employee %s", created, employee_id)
    return created


def _visible(employee_id: int):
    """The employee's notifications of live assignments; a due-soon or overdue reminder is stale,
    and hidden, once its work is completed (passed: a failed quiz keeps its reminder)."""
    reminder = Notification.kind.in_([NotificationKind.DUE_SOON.value, NotificationKind.OVERDUE.value])
    done = ActivityStatus.state == Status.COMPLETED.value
    ensure_fresh()
    return (select(Notification).join(Notification.assignment)
            .join(ActivityStatus, ActivityStatus.assignment_id == Notification.assignment_id)  # live ones only
            .where(Notification.employee_id == employee_id, or_(~reminder, ~done)))


def unread_count(employee_id: int) -> int:
    stmt = _visible(employee_id).where(Notification.read_at.is_(None))
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


_BADGE_VERSION = None


def badge_version(employee_id: int) -> list:
    """What :func:`unread_count` depends on, in one statement of small per-employee index lookups:
    the unread notifications (count, newest id), the newest Result and lesson read (completion hides a
    reminder), the newest assignment and the number cancelled (a cancelled one hides its notices).

    The navbar badge caches its count in the session under this version (``training/hooks.py``),
    so a page pays this one cheap query instead of the full count, which builds the status SQL of
    every activity kind (≈ 20 ms a page in bench/). Equal versions mean an equal count.
    """
    global _BADGE_VERSION
    if _BADGE_VERSION is None:  # built once: the statement is the same for everyone but the id
        from app.content.models import LessonProgress
        from app.results.models import Result

        employee = bindparam("employee_id", type_=Integer)

        def scalar(column, model, *criteria):
            return select(column).where(model.employee_id == employee, *criteria).scalar_subquery()

        _BADGE_VERSION = select(
            scalar(func.count(), Notification, Notification.read_at.is_(None)),
            scalar(func.max(Notification.id), Notification),
            scalar(func.max(Result.id), Result),
            scalar(func.max(LessonProgress.id), LessonProgress),
            scalar(func.max(Assignment.id), Assignment),
            scalar(func.count(Assignment.cancelled_at), Assignment),
        )
    row = db.session.execute(_BADGE_VERSION, {"employee_id": employee_id}).one()
    return [value or 0 for value in row]


@dataclass(frozen=True)
class NotificationView:
    notification: Notification
    title: str
    url: str | None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def recent(employee_id: int, *, limit: int = 50, unread_only: bool = False) -> list[NotificationView]:
    """The newest notifications with their assignment and activity title (two queries)."""
    stmt = (_visible(employee_id).options(contains_eager(Notification.assignment))
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    found = list(db.session.scalars(stmt))
    names = activities.titles((n.assignment.activity_kind, n.assignment.activity_id) for n in found)
    return [NotificationView(n, names.get((n.assignment.activity_kind, n.assignment.activity_id),
                                          n.assignment.activity_id), _link(n.assignment))
            for n in found]


def _link(assignment: Assignment) -> str | None:
    """Where the notified employee goes: the activity, unless a supervisor performs it (observations)."""
    if activities.performed_by_supervisor(assignment.activity_kind):
        return None
    return activities.start_url(assignment.activity_kind, assignment.activity_id)


def mark_read(employee_id: int, notification_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Mark one notification (or all) of the employee as read; others' rows are never touched."""
    stmt = (update(Notification).where(Notification.employee_id == employee_id, Notification.read_at.is_(None))
            .values(read_at=now or utcnow()))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    count = db.session.execute(stmt).rowcount or 0
    logger.info("employee %s marked %d notification(s) read", employee_id, count)
    return count


def forget_reminders(assignment: Assignment) -> None:
    """Drop the due-soon/overdue notifications of an assignment whose due date moved."""
    db.session.execute(Notification.__table__.delete().where(
        Notification.assignment_id == assignment.id,
        Notification.kind.in_([NotificationKind.DUE_SOON.value, NotificationKind.OVERDUE.value])))
