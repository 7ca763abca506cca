"""Password hashes carry the production scrypt parameters; the Secure cookie flag follows config."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from app.config import Config, TestConfig
from app.extensions import db as _db
from app.people.models import Employee
from app.people.services import EmployeeData, create_employee


def test_stored_hash_has_the_production_scrypt_parameters(app, db, monkeypatch):
    assert Config.PASSWORD_HASH_METHOD == "scrypt:131072:8:1"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", Config.PASSWORD_HASH_METHOD)
    create_employee(EmployeeData(employee_no="P001", name="口令", department_id=None, team_id=None, position="",
                                 hire_date=None, role="trainee"), "Production-pass-1")
    db.session.commit()
    stored = db.session.scalar(select(Employee.password_hash).where(Employee.employee_no == "P001"))
    method, salt, digest = stored.split("$")
    name, n, r, p = method.split(":")
    assert (name, int(n), int(r), int(p)) == ("scrypt", 2**17, 8, 1)
    assert len(salt) >= 16 and len(digest) == 128  # 64-byte key, hex
    assert "Production-pass-1" not in stored


@pytest.mark.parametrize("secure", [True, False])
def test_secure_cookie_flag_follows_session_cookie_secure(tmp_path, secure):
    config = type("CookieConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cookies.db'}", "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure})
    app = create_app(config)
    with app.app_context():
        _db.create_all()
        create_employee(EmployeeData(employee_no="C001", name="饼干", department_id=None, team_id=None, position="",
                                     hire_date=None, role="trainee"), "Cookie-pass-123")
        _db.session.commit()
    client = app.test_client()
    base = "https://localhost" if secure else "http://localhost"
    response = client.post("/login", data={"employee_no": "C001", "password": "Cookie-pass-123"}, base_url=base)
    assert response.status_code in (302, 303)
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, response.headers
    flags = [part.strip().lower() for part in cookies[-1].split(";")]
    assert "httponly" in flags and "samesite=lax" in flags
    assert ("secure" in flags) is secure
    hsts = response.headers.get("Strict-Transport-Security")
    assert (hsts is not None) is secure
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()
