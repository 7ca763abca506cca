"""The one permission layer: role decorators and the "employees I may see" scope.

Trainees see themselves, supervisors the members of the teams they lead (and themselves), HR and
admin everyone. Every view that shows another employee's data goes through ``can_view`` or
``visible_employees``, so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, or_, select

from app.extensions import db
from app.people.models import Employee, Role, Team

EVERYONE_ROLES = frozenset({Role.HR.value, Role.ADMIN.value})


def role_required(*roles: Role | str) -> Callable:
    """Allow the view only to logged-in users holding one of ``roles`` (403 otherwise)."""
    allowed = {str(r) for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def led_team_ids(viewer: Employee) -> list[int]:
    return list(db.session.scalars(select(Team.id).where(Team.leader_id == viewer.id)))


def visible_employees(viewer: Employee) -> Select:
    """A SELECT of the employees ``viewer`` may see; add filters and ordering to it."""
    stmt = select(Employee)
    if viewer.role in EVERYONE_ROLES:
        return stmt
    if viewer.role == Role.SUPERVISOR.value:
        led = select(Team.id).where(Team.leader_id == viewer.id)
        return stmt.where(or_(Employee.team_id.in_(led), Employee.id == viewer.id))
    return stmt.where(Employee.id == viewer.id)


def can_view(viewer: Employee, employee: Employee) -> bool:
    if viewer.role in EVERYONE_ROLES or viewer.id == employee.id:
        return True
    if viewer.role == Role.SUPERVISOR.value and employee.team_id is not None:
        return employee.team_id in led_team_ids(viewer)
    return False


def can_manage_team_member(viewer: Employee, employee: Employee) -> bool:
    """Supervisors act (assign, observe) on members of their own teams only; HR and admin on all
    others. Nobody acts on their own record (no self-observation, no self-assignment)."""
    if viewer.id == employee.id:
        return False
    if viewer.role in EVERYONE_ROLES:
        return True
    return (
        viewer.role == Role.SUPERVISOR.value
        and employee.team_id is not None
        and employee.id != viewer.id
        and employee.team_id in led_team_ids(viewer)
    )


def can_administer_account(actor: Employee, employee: Employee) -> bool:
    """Who may edit, deactivate or reactivate an account: admins any; HR any but an administrator's."""
    if actor.role == Role.ADMIN.value:
        return True
    return actor.role == Role.HR.value and employee.role != Role.ADMIN.value


def get_visible_employee(viewer: Employee, employee_id: int) -> Employee:
    """Load an employee the viewer may see: 404 when there is none, 403 when it is not theirs."""
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    if not can_view(viewer, employee):
        abort(403)
    return employee
