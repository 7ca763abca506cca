"""Business rules for the organisation: plain functions, no request access, flush not commit."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.people.models import Department, Employee, Role, Team
from app.people.passwords import PasswordPolicyError, hash_password, policy_problems
from app.people.signals import employee_created

logger = logging.getLogger(__name__)


class PeopleError(ValueError):
    """A request that breaks an organisation rule; the message is shown to the user."""


@dataclass
class EmployeeData:
    employee_no: str
    name: str
    department_id: int | None = None
    team_id: int | None = None
    position: str = ""
    hire_date: dt.date | None = None
    role: str = Role.TRAINEE.value


def get_or_create_department(name: str) -> Department:
    dept = db.session.scalar(select(Department).where(Department.name == name))
    if dept is None:
        dept = Department(name=name)
        db.session.add(dept)
        db.session.flush()
    return dept


def employee_no_taken(employee_no: str, exclude_id: int | None = None) -> bool:
    stmt = select(func.count()).select_from(Employee).where(Employee.employee_no == employee_no)
    if exclude_id is not None:
        stmt = stmt.where(Employee.id != exclude_id)
    return db.session.scalar(stmt) > 0


def _check_team(data: EmployeeData) -> None:
    if data.team_id is None:
        return
    team = db.session.get(Team, data.team_id)
    if team is None:
        raise PeopleError(_("Unknown team."))
    if data.department_id is None:
        data.department_id = team.department_id
    elif team.department_id != data.department_id:
        raise PeopleError(_("The team belongs to another department."))


def create_employee(data: EmployeeData, password: str, *, must_change_password: bool = True,
                    one_time_password: bool = False) -> Employee:
    """Create an account. Admin-created accounts must change their password at first login.

    ``one_time_password`` marks a long machine-generated password (bulk import) that the user must
    replace at first login: it is hashed with cheaper parameters (see auth.passwords).
    """
    employee_no = data.employee_no.strip()
    if not employee_no:
        raise PeopleError(_("Employee number is required."))
    if employee_no_taken(employee_no):
        raise PeopleError(_("Employee number %(no)s is already in use.", no=employee_no))
    if data.role not in {r.value for r in Role}:
        raise PeopleError(_("Unknown role %(role)s.", role=data.role))
    problems = policy_problems(password, employee_no)
    if problems:
        raise PasswordPolicyError(" ".join(problems))
    _check_team(data)
    employee = Employee(
        employee_no=employee_no,
        name=data.name.strip(),
        department_id=data.department_id,
        team_id=data.team_id,
        position=data.position.strip(),
        hire_date=data.hire_date,
        role=data.role,
        password_hash=hash_password(password, one_time=one_time_password),
        must_change_password=must_change_password or one_time_password,
    )
    db.session.add(employee)
    db.session.flush()
    logger.info("employee %s created with role %s", employee.employee_no, employee.role)
    employee_created.send(employee, employee=employee)
    return employee


def update_employee(employee: Employee, data: EmployeeData) -> Employee:
    """Update profile fields. The role is not touched here: only ``change_role`` changes it."""
    _check_team(data)
    employee.name = data.name.strip()
    employee.department_id = data.department_id
    employee.team_id = data.team_id
    employee.position = data.position.strip()
    employee.hire_date = data.hire_date
    db.session.flush()
    return employee


def _guard_last_admin(employee: Employee) -> None:
    """Refuse to leave the site without an active administrator (nobody could manage roles)."""
    if employee.role != Role.ADMIN.value or not employee.active:
        return
    # lock the active admins' rows: two admins demoting each other at once cannot both succeed
    admins = db.session.scalars(
        select(Employee.id).where(Employee.role == Role.ADMIN.value, Employee.active.is_(True)).with_for_update()
    ).all()
    if len(admins) <= 1:
        raise PeopleError(_("%(name)s is the only active administrator. Make another administrator first.",
                            name=employee.name))


def change_role(actor: Employee, employee: Employee, role: str) -> Employee:
    """Only an admin changes roles; anyone else gets PeopleError and nothing changes.

    The last active administrator keeps the role (whoever asks, itself included)."""
    if actor.role != Role.ADMIN.value:
        raise PeopleError(_("Only an administrator may change roles."))
    if role not in {r.value for r in Role}:
        raise PeopleError(_("Unknown role %(role)s.", role=role))
    if employee.role != role:
        if role != Role.ADMIN.value:
            _guard_last_admin(employee)
        logger.info("role of %s changed from %s to %s by %s", employee.employee_no, employee.role, role,
                    actor.employee_no)
        employee.role = role
        employee.session_version += 1  # privileges changed: make the user log in again
        db.session.flush()
    return employee


def set_active(employee: Employee, active: bool) -> Employee:
    """Deactivate or reactivate. Never deletes: results and history stay attached.

    The last active administrator cannot be deactivated (PeopleError)."""
    if not active:
        _guard_last_admin(employee)
    employee.active = active
    if not active:
        employee.session_version += 1
    db.session.flush()
    logger.info("employee %s %s", employee.employee_no, "activated" if active else "deactivated")
    return employee


def set_password(employee: Employee, password: str, *, must_change: bool = False) -> Employee:
    problems = policy_problems(password, employee.employee_no)
    if problems:
        raise PasswordPolicyError(" ".join(problems))
    employee.password_hash = hash_password(password)
    employee.must_change_password = must_change
    employee.session_version += 1
    db.session.flush()
    return employee


def save_team(team: Team | None, *, name: str, department_id: int, leader_id: int | None) -> Team:
    name = name.strip()
    if not name:
        raise PeopleError(_("Team name is required."))
    if leader_id is not None:
        leader = db.session.get(Employee, leader_id)
        if leader is None or leader.role not in (Role.SUPERVISOR.value, Role.ADMIN.value, Role.HR.value):
            raise PeopleError(_("The leader must be a supervisor."))
    clash = db.session.scalar(
        select(Team).where(Team.department_id == department_id, Team.name == name)
    )
    if clash is not None and (team is None or clash.id != team.id):
        raise PeopleError(_("Team %(name)s already exists in this department.", name=name))
    if team is None:
        team = Team(name=name, department_id=department_id, leader_id=leader_id)
        db.session.add(team)
    else:
        team.name, team.department_id, team.leader_id = name, department_id, leader_id
    db.session.flush()
    return team
