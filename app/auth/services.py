"""Login rules, kept free of request handling so they can be tested directly."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.extensions import db
from app.people.models import Employee
from app.people.passwords import hash_password, verify_password
from app.timeutil import utcnow

logger = logging.getLogger(__name__)

#: verified against when the account does not exist, so both paths cost one scrypt
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password")
    return _DUMMY_HASH


def authenticate(employee_no: str, password: str) -> tuple[Employee | None, str]:
    """Return (employee, "ok") or (None, reason) with reason in {"unknown", "password", "inactive"}."""
    employee = db.session.scalar(select(Employee).where(Employee.employee_no == employee_no.strip()))
    if employee is None:
        verify_password(_dummy_hash(), password)
        return None, "unknown"
    if not verify_password(employee.password_hash, password):
        return None, "password"
    if not employee.active:
        return None, "inactive"
    return employee, "ok"


def record_login(employee: Employee) -> None:
    employee.last_login_at = utcnow()
    db.session.flush()


def load_session_user(user_id: str) -> Employee | None:
    """Flask-Login's loader: the cookie carries "<id>:<session_version>"; a stale version is refused."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        employee = db.session.get(Employee, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if employee is None or employee.session_version != version or not employee.active:
        return None
    return employee


def revoke_sessions(employee: Employee) -> None:
    """Invalidate every session of this employee (logout everywhere)."""
    employee.session_version += 1
    db.session.flush()
