"""Making, changing and withdrawing assignments.

Rules:

* supervisors assign to members of the teams they lead, HR and admin to anyone (the rule of
  ``app.people.permissions.can_manage_team_member``, checked here for a whole batch at once);
* an activity still open for a person (live and not completed, see ``status.open_criteria``) is
  not assigned again: the person is reported as skipped. The employees' rows are locked first
  (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writers are serialised by ``BEGIN IMMEDIATE``)
  so two supervisors clicking at once cannot both create it;
* every creation, cancellation and due-date change is written to the audit trail, and each new
  assignment sends its "new" notification.

Functions flush, never commit: the route owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record_event
from app.extensions import db
from app.people.models import Employee, Role, Team
from app.people.permissions import EVERYONE_ROLES, led_team_ids
from app.results import windows
from app.results.windows import open_window
from app.timeutil import local_today, utcnow
from app.training import activities, notifications
from app.training.models import Assignment, AssignmentSource
from app.training.signals import assignments_changed
from app.training.status import open_criteria

logger = logging.getLogger(__name__)

MAX_NOTE = 500


class AssignmentError(ValueError):
    """A request that breaks an assignment rule; the message is shown to the user."""


class NotAllowed(AssignmentError):
    """The actor may not act on (some of) these employees."""


@dataclass
class AssignOutcome:
    created: list[Assignment] = field(default_factory=list)
    #: employees who already had this activity open (nothing was added for them)
    skipped: list[Employee] = field(default_factory=list)


def manageable_filter(actor: Employee):
    """SQL criteria for the employees ``actor`` may assign to (mirrors ``can_manage_team_member``)."""
    if actor.role in EVERYONE_ROLES:
        return [Employee.active.is_(True)]
    if actor.role == Role.SUPERVISOR.value:
        led = select(Team.id).where(Team.leader_id == actor.id)
        return [Employee.active.is_(True), Employee.team_id.in_(led), Employee.id != actor.id]
    return [Employee.id.is_(None)]  # nobody


def manageable_teams(actor: Employee) -> list[Team]:
    """Teams whose members ``actor`` may assign to: led teams, or every active team for HR/admin."""
    stmt = select(Team).where(Team.active.is_(True)).order_by(Team.name, Team.id)
    if actor.role not in EVERYONE_ROLES:
        stmt = stmt.where(Team.leader_id == actor.id)
    return list(db.session.scalars(stmt))


def manageable_employees(actor: Employee) -> list[Employee]:
    return list(db.session.scalars(select(Employee).where(*manageable_filter(actor))
                                   .order_by(Employee.team_id, Employee.employee_no)))


def check_can_manage(actor: Employee, employees: Sequence[Employee]) -> None:
    """Raise NotAllowed unless ``actor`` may act on every one of ``employees`` (one query at most)."""
    if actor.role in EVERYONE_ROLES:
        return
    led = set(led_team_ids(actor)) if actor.role == Role.SUPERVISOR.value else set()
    for employee in employees:
        if employee.id == actor.id or employee.team_id is None or employee.team_id not in led:
            raise NotAllowed(_("You may only assign work to members of your own teams."))


def resolve_targets(actor: Employee, *, employee_ids: Iterable[int] = (),
                    team_ids: Iterable[int] = ()) -> list[Employee]:
    """The active employees named directly or as members of the teams, each once, permission-checked."""
    employee_ids, team_ids = set(employee_ids), set(team_ids)
    if team_ids:
        teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids))))
        if len(teams) != len(team_ids):
            raise AssignmentError(_("Unknown team."))
        allowed = {t.id for t in manageable_teams(actor)}
        if any(t.id not in allowed for t in teams):
            raise NotAllowed(_("You may only assign work to members of your own teams."))
    people: dict[int, Employee] = {}
    if employee_ids:
        found = list(db.session.scalars(select(Employee).where(Employee.id.in_(employee_ids))))
        if len(found) != len(employee_ids):
            raise AssignmentError(_("Unknown employee."))
        if any(not e.active for e in found):
            raise AssignmentError(_("Deactivated accounts cannot be given work."))
        people.update((e.id, e) for e in found)
    if team_ids:
        members = db.session.scalars(select(Employee).where(Employee.team_id.in_(team_ids),
                                                            Employee.active.is_(True), Employee.id != actor.id))
        people.update((e.id, e) for e in members)
    targets = sorted(people.values(), key=lambda e: e.employee_no)
    check_can_manage(actor, targets)
    return targets


def _lock(employee_ids: list[int]) -> None:
    """Serialise assignment-making per employee on PostgreSQL (a no-op clause on SQLite)."""
    if employee_ids:
        db.session.execute(select(Employee.id).where(Employee.id.in_(employee_ids))
                           .order_by(Employee.id).with_for_update())


def assign(actor: Employee | None, employees: Sequence[Employee], kind: str, activity_id: str,
           due_date: dt.date, *, note: str = "", source: AssignmentSource | str = AssignmentSource.MANUAL,
           assigned_by_id: int | None = None, plan_change: bool = False, today: dt.date | None = None,
           now: dt.datetime | None = None) -> AssignOutcome:
    """Assign one catalog item to ``employees``, skipping those who have it open already.

    ``actor`` is checked against the permission rule; None means the system (onboarding plans,
    demo data), which checks nothing. ``assigned_by_id`` defaults to the actor. ``plan_change``:
    a supervisor adding to an onboarding plan (audited as a plan adjustment).
    """
    activity = activities.find(kind, activity_id)
    if activity is None:
        raise AssignmentError(_("This activity is not in the catalog."))
    if due_date is None:
        raise AssignmentError(_("A due date is required."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise AssignmentError(_("The note is too long (at most %(n)d characters).", n=MAX_NOTE))
    if actor is not None:
        check_can_manage(actor, employees)
    today, now = today or local_today(), now or utcnow()
    outcome = AssignOutcome()
    unique = {e.id: e for e in employees}
    ids = sorted(unique)
    _lock(ids)
    already = set(db.session.scalars(select(Assignment.employee_id).where(
        open_criteria(today), Assignment.employee_id.in_(ids), Assignment.activity_kind == kind,
        Assignment.activity_id == activity_id))) if ids else set()
    by = assigned_by_id if assigned_by_id is not None else (actor.id if actor is not None else None)
    for employee_id in ids:
        if employee_id in already:
            outcome.skipped.append(unique[employee_id])
            continue
        assignment = Assignment(employee_id=employee_id, activity_kind=kind, activity_id=activity_id,
                                assigned_by_id=by, due_date=due_date, note=note, source=str(source),
                                created_at=now)
        db.session.add(assignment)
        # a new assignment is a fresh set of attempts: a refresher of a used-up drill can be taken
        open_window(employee_id, kind, activity_id, reason=windows.ASSIGNMENT, by_id=by, at=now)
        outcome.created.append(assignment)
    db.session.flush()
    if outcome.created:
        assignments_changed.send(employee_ids=sorted({a.employee_id for a in outcome.created}))
    notifications.notify_new(outcome.created, now)
    for assignment in outcome.created:
        details = {"employee_id": assignment.employee_id, "kind": kind, "activity_id": activity_id,
                   "due_date": due_date.isoformat(), "source": str(source)}
        if plan_change:
            details["change"] = "added"
        record_event("training.plan_adjusted" if plan_change else "training.assignment_created",
                     actor_id=actor.id if actor else None, target=f"assignment:{assignment.id}",
                     details=details, at=now)
    logger.info("%s %s assigned to %d employee(s) by %s (%d already had it open)", kind, activity_id,
                len(outcome.created), actor.employee_no if actor else "system", len(outcome.skipped))
    return outcome


def _audit_action(assignment: Assignment, change: str) -> str:
    if assignment.source == AssignmentSource.ONBOARDING.value:
        return "training.plan_adjusted"
    return f"training.assignment_{change}"


def cancel(actor: Employee, assignment: Assignment, now: dt.datetime | None = None) -> Assignment:
    """Withdraw an assignment (it then counts nowhere). Cancelling twice changes nothing."""
    check_can_manage(actor, [assignment.employee])
    if assignment.cancelled_at is not None:
        return assignment
    now = now or utcnow()
    assignment.cancelled_at = now
    db.session.flush()
    assignments_changed.send(employee_ids=[assignment.employee_id])
    record_event(_audit_action(assignment, "cancelled"), actor_id=actor.id, target=f"assignment:{assignment.id}",
                 details={"change": "cancelled", "employee_id": assignment.employee_id,
                          "kind": assignment.activity_kind, "activity_id": assignment.activity_id}, at=now)
    logger.info("assignment %s cancelled by %s", assignment.id, actor.employee_no)
    return assignment


def give_fresh_attempts(actor: Employee, assignment: Assignment, now: dt.datetime | None = None) -> Assignment:
    """A supervisor's reset: the attempts made so far at the assignment's activity stop counting
    against its limit (the scores stay; the appraisal still reads every result in its window)."""
    check_can_manage(actor, [assignment.employee])
    if assignment.cancelled_at is not None:
        raise AssignmentError(_("This assignment was withdrawn."))
    now = now or utcnow()
    open_window(assignment.employee_id, assignment.activity_kind, assignment.activity_id,
                reason=windows.RESET, by_id=actor.id, at=now)
    record_event("training.attempts_reset", actor_id=actor.id, target=f"assignment:{assignment.id}",
                 details={"employee_id": assignment.employee_id, "kind": assignment.activity_kind,
                          "activity_id": assignment.activity_id}, at=now)
    logger.info("fresh attempts at %s %s for employee %s by %s", assignment.activity_kind,
                assignment.activity_id, assignment.employee_id, actor.employee_no)
    return assignment


def change_due_date(actor: Employee, assignment: Assignment, due_date: dt.date,
                    now: dt.datetime | None = None) -> Assignment:
    """Move the due date; reminders about the old date are dropped so new ones can follow."""
    check_can_manage(actor, [assignment.employee])
    if assignment.cancelled_at is not None:
        raise AssignmentError(_("This assignment was withdrawn."))
    if due_date == assignment.due_date:
        return assignment
    old = assignment.due_date
    assignment.due_date = due_date
    notifications.forget_reminders(assignment)
    db.session.flush()
    assignments_changed.send(employee_ids=[assignment.employee_id])
    record_event(_audit_action(assignment, "changed"), actor_id=actor.id, target=f"assignment:{assignment.id}",
                 details={"change": "due_date", "from": old.isoformat(), "to": due_date.isoformat(),
                          "employee_id": assignment.employee_id, "activity_id": assignment.activity_id},
                 at=now or utcnow())
    logger.info("assignment %s due %s → %s by %s", assignment.id, old, due_date, actor.employee_no)
    return assignment
