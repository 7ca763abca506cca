"""Bulk employee import: validate every row, commit all or nothing, keep previews server-side.

The service knows nothing of requests. The web pages (``import_routes.py``) and ``flask users
import`` both call :func:`read_upload` (``import_files.py``: safe CSV/XLSX reading) →
:func:`validate_rows` → :func:`commit_import`.

* **Errors** carry the row number the user sees in Excel (header = row 1): a missing 工号 or 姓名,
  an unknown department or team, a duplicate (in the file or in the database), a bad date, an
  unknown role.
* **All or nothing.** Rows are validated again at commit; one bad row writes nothing. Each new
  account goes through ``create_employee``, so new hires get their onboarding plan, and gets a
  generated password that must be changed at first login (returned once, never stored in clear).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record_event
from app.extensions import db
from app.people.import_files import (  # noqa: F401  (re-exported: the import API in one place)
    DEFAULT_MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportRow,
    max_bytes,
    read_upload,
)
from app.people.models import Department, Employee, Role, Team
from app.people.services import EmployeeData, create_employee
from app.ui.validators import bad_characters

logger = logging.getLogger(__name__)

#: pending previews older than this are refused and cleaned up
PENDING_TTL_SECONDS = 3600

EMPLOYEE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

ROLE_ALIASES = {
    "": Role.TRAINEE.value, "trainee": Role.TRAINEE.value, "学员": Role.TRAINEE.value, "员工": Role.TRAINEE.value,
    "supervisor": Role.SUPERVISOR.value, "主管": Role.SUPERVISOR.value,
    "hr": Role.HR.value, "人事": Role.HR.value,
    "admin": Role.ADMIN.value, "管理员": Role.ADMIN.value,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class ImportResult:
    employee_id: int
    employee_no: str
    name: str
    password: str


# --- validating -----------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if " " in text:
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate_rows(rows: list[ImportRow], *, actor_role: str) -> list[ImportRow]:
    """Check every row (a handful of queries for the whole file) and fill ``errors`` in place."""
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    teams = {(t.department_id, t.name): t for t in db.session.scalars(select(Team))}
    numbers = [r.employee_no.strip() for r in rows if r.employee_no.strip()]
    existing = set()
    for start in range(0, len(numbers), 500):
        existing |= set(db.session.scalars(
            select(Employee.employee_no).where(Employee.employee_no.in_(numbers[start:start + 500]))))
    first_seen: dict[str, int] = {}
    latest = dt.date.today() + dt.timedelta(days=366)
    for row in rows:
        row.errors = []
        for name in ("employee_no", "name", "department", "team", "position", "hire_date", "role"):
            setattr(row, name, getattr(row, name).strip())
        if not row.employee_no:
            row.errors.append(_("Employee number (工号) is missing."))
        elif not EMPLOYEE_NO_RE.match(row.employee_no):
            row.errors.append(_("Employee number %(no)s may use letters, digits, - and _ only (at most 32).",
                                no=row.employee_no))
        elif row.employee_no in first_seen:
            row.errors.append(_("Employee number %(no)s is a duplicate of row %(row)s.", no=row.employee_no,
                                row=first_seen[row.employee_no]))
        elif row.employee_no in existing:
            row.errors.append(_("Employee number %(no)s is already in use.", no=row.employee_no))
        if row.employee_no and row.employee_no not in first_seen:
            first_seen[row.employee_no] = row.row
        if not row.name:
            row.errors.append(_("Name (姓名) is missing."))
        elif len(row.name) > 64:
            row.errors.append(_("The name is longer than 64 characters."))
        department = departments.get(row.department) if row.department else None
        if row.department and department is None:
            row.errors.append(_("Unknown department %(name)s.", name=row.department))
        if row.team:
            if not row.department:
                row.errors.append(_("Team %(name)s needs a department.", name=row.team))
            elif department is not None and (department.id, row.team) not in teams:
                row.errors.append(_("Unknown team %(team)s in %(department)s.", team=row.team,
                                    department=row.department))
        if len(row.position) > 64:
            row.errors.append(_("The position is longer than 64 characters."))
        for label, value in ((_("Name"), row.name), (_("Position"), row.position), (_("Department"), row.department),
                             (_("Team"), row.team)):
            found = bad_characters(value)
            if found:
                row.errors.append(_("%(field)s contains invisible control characters (%(chars)s).", field=label,
                                    chars=", ".join(found[:5])))
        if row.hire_date:
            day = parse_date(row.hire_date)
            if day is None or not dt.date(1950, 1, 1) <= day <= latest:
                row.errors.append(_("Bad hire date %(value)s: use YYYY-MM-DD.", value=row.hire_date))
            else:
                row.hire_date = day.isoformat()
        role = ROLE_ALIASES.get(row.role.lower())
        if role is None:
            row.errors.append(_("Unknown role %(role)s.", role=row.role))
        else:
            row.role = role
            if role in (Role.HR.value, Role.ADMIN.value) and actor_role != Role.ADMIN.value:
                row.errors.append(_("Only an administrator may import HR or administrator accounts."))
    return rows


def has_errors(rows: list[ImportRow]) -> bool:
    return any(r.errors for r in rows)


# --- committing --------------------------------------------------------------------------------


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


class ImportRowsError(ValueError):
    """Validation at commit time found problems; nothing was written."""

    def __init__(self, rows: list[ImportRow]):
        super().__init__("import rows have errors")
        self.rows = rows


def commit_import(rows: list[ImportRow], *, actor_id: int | None, actor_role: str, ip: str = "",
                  source: str = "", progress: Callable[[int, int], object] | None = None) -> list[ImportResult]:
    """Validate again and create every account, or raise ImportRowsError having written nothing.

    The caller commits (or rolls back on any exception). New accounts must change their
    generated password at first login; the passwords are returned once, never stored in clear.
    ``progress(done, total)`` is called every 50 accounts (the background job's progress bar).
    """
    validate_rows(rows, actor_role=actor_role)
    if has_errors(rows):
        raise ImportRowsError(rows)
    departments = {d.name: d.id for d in db.session.scalars(select(Department))}
    teams = {(t.department_id, t.name): t.id for t in db.session.scalars(select(Team))}
    created = []
    for row in rows:
        department_id = departments.get(row.department) if row.department else None
        data = EmployeeData(
            employee_no=row.employee_no, name=row.name, department_id=department_id,
            team_id=teams.get((department_id, row.team)) if row.team else None, position=row.position,
            hire_date=dt.date.fromisoformat(row.hire_date) if row.hire_date else None, role=row.role,
        )
        password = generate_password()
        employee = create_employee(data, password, must_change_password=True, one_time_password=True)
        created.append(ImportResult(employee.id, employee.employee_no, employee.name, password))
        if progress is not None and len(created) % 50 == 0:
            progress(len(created), len(rows))
    record_event("people.import", actor_id=actor_id, target="employee:*", ip=ip,
                 details={"count": len(created), "source": source[:200],
                          "employee_nos": [c.employee_no for c in created[:200]]})
    logger.info("imported %s employees from %r", len(created), source)
    return created


# --- previews kept between upload and confirm (server side, never in the cookie) -----------------


def save_pending(directory: Path, rows: list[ImportRow], *, actor_id: int, source: str) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    _cleanup(directory)
    token = secrets.token_urlsafe(24)
    payload = {"actor_id": actor_id, "source": source, "created": time.time(),
               "rows": [asdict(r) for r in rows]}
    path = directory / f"{token}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
    return token


def load_pending(directory: Path, token: str, *, actor_id: int) -> tuple[list[ImportRow], str] | None:
    """The rows of a preview made by this actor within the last hour, or None."""
    if not token or not TOKEN_RE.match(token):
        return None
    path = directory / f"{token}.json"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("actor_id") != actor_id or time.time() - payload.get("created", 0) > PENDING_TTL_SECONDS:
        return None
    return [ImportRow(**r) for r in payload["rows"]], payload.get("source", "")


def discard_pending(directory: Path, token: str) -> None:
    if token and TOKEN_RE.match(token):
        (directory / f"{token}.json").unlink(missing_ok=True)


def _cleanup(directory: Path) -> None:
    cutoff = time.time() - PENDING_TTL_SECONDS
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
