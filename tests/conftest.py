"""Shared fixtures: app, db, client, runner, login_as(role), and small data builders.

The suite runs on SQLite (a temporary file, so several connections really share it) and, when
TEST_DATABASE_URL is set, on PostgreSQL. Tables are created once per session and emptied after
every test, so reruns start clean.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import tempfile
from pathlib import Path

import flask.globals
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.config import TestConfig
from app.database import deferred_transactions
from app.extensions import db as _db
from app.people.models import Department, Employee, Role, Team
from app.people.services import EmployeeData, create_employee, save_team

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def _tmp_root():
    with tempfile.TemporaryDirectory(prefix="academy-test-") as root:
        yield Path(root)


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    Tests hold an app context open (for ``db.session``); without this, requests would share its
    ``g`` (Flask-Login's cached user, Flask-Babel's locale) and its session. The test's own
    session is committed before each request and its transaction ended after it, so it neither
    holds locks during the request nor reads a snapshot from before it.
    """

    def open(self, *args, **kwargs):
        if flask.globals._cv_app.get(None) is not None:
            _db.session.commit()

        def run():
            flask.globals._cv_app.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        try:
            return contextvars.copy_context().run(run)
        finally:
            if flask.globals._cv_app.get(None) is not None:
                _db.session.rollback()


@pytest.fixture(scope="session")
def app(_tmp_root):
    app = create_app(type("SuiteConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": _database_url(_tmp_root),
                                                         "JOBS_FILES_DIR": str(_tmp_root / "job-files")}))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _empty_tables() -> None:
    _db.session.rollback()
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        _db.session.execute(text("PRAGMA defer_foreign_keys=ON"))
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture()
def db(app):
    """An app context for the test body; its SQLite transactions are DEFERRED (it only
    reads between requests), and every table is emptied afterwards."""
    with app.app_context(), deferred_transactions():
        yield _db
        _empty_tables()
        _db.session.remove()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def make_department(db):
    def build(name: str | None = None) -> Department:
        dept = Department(name=name or f"部门{next(_counter)}")
        db.session.add(dept)
        db.session.commit()
        return dept

    return build


@pytest.fixture()
def make_team(db, make_department, make_employee):
    def build(name: str | None = None, department: Department | None = None,
              leader: Employee | None = None) -> Team:
        department = department or make_department()
        leader = leader or make_employee(role=Role.SUPERVISOR, department=department)
        team = save_team(None, name=name or f"班组{next(_counter)}", department_id=department.id,
                         leader_id=leader.id)
        db.session.commit()
        return team

    return build


@pytest.fixture()
def make_employee(db):
    def build(role: Role | str = Role.TRAINEE, *, team: Team | None = None,
              department: Department | None = None, employee_no: str | None = None,
              name: str | None = None, must_change_password: bool = False, active: bool = True,
              hire_date=None, password: str = PASSWORD) -> Employee:
        n = next(_counter)
        data = EmployeeData(
            employee_no=employee_no or f"E{n:04d}", name=name or f"员工{n}",
            department_id=(department.id if department else (team.department_id if team else None)),
            team_id=team.id if team else None, position="客服专员", hire_date=hire_date, role=str(role),
        )
        employee = create_employee(data, password, must_change_password=must_change_password)
        employee.active = active
        db.session.commit()
        return employee

    return build


@pytest.fixture()
def login(client):
    def do(employee: Employee, password: str = PASSWORD):
        response = client.post("/login", data={"employee_no": employee.employee_no, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture()
def login_as(make_employee, make_team, login):
    """Log the test client in as a fresh user of ``role``; supervisors lead a team of their own."""

    def do(role: Role | str, **kwargs) -> Employee:
        if str(role) == Role.SUPERVISOR.value and "team" not in kwargs:
            user = make_employee(role=role, **kwargs)
            make_team(leader=user)
        else:
            user = make_employee(role=role, **kwargs)
        login(user)
        return user

    return do


@pytest.fixture()
def steady_badge(monkeypatch):
    """Hold the navbar badge's TTL bucket still: a query-count test that crosses a five-minute boundary
    between two counts would otherwise see the badge's one full recount as a page growing."""
    from app.training import hooks

    monkeypatch.setattr(hooks, "BADGE_TTL_SECONDS", 10**12)


@pytest.fixture(scope="session")
def shipped_content(app):
    """The real content/standards, loaded once per session (it is read-only)."""
    from app.content.loader import load_content

    return load_content(Path(app.config["CONTENT_DIR"]))


@pytest.fixture()
def synced(db, shipped_content):
    """The shipped content synced into the catalog tables (with every plugin: quizzes, drills)."""
    from app.content.plugins import plugins
    from app.content.sync import sync_content

    report = sync_content(shipped_content, plugins())
    db.session.commit()
    return report
