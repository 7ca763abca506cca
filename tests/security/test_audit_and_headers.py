"""Audit trail of logins, denials and role changes; security headers; the audit page."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.people.models import Role
from tests.conftest import PASSWORD


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_login_success_and_failure_are_audited_without_password(client, db, make_employee):
    user = make_employee()
    client.post("/login", data={"employee_no": user.employee_no, "password": "wrong-password-1"})
    client.post("/login", data={"employee_no": "GHOST", "password": "whatever-pass"})
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    failed = _events(db, "auth.login_failed")
    assert [(e.actor_id, e.details["reason"]) for e in failed] == [(user.id, "password"), (None, "unknown")]
    assert [e.actor_id for e in _events(db, "auth.login")] == [user.id]
    dump = " ".join(str(e.details) for e in db.session.scalars(select(AuditEvent)))
    assert "wrong-password-1" not in dump and PASSWORD not in dump


def test_permission_denial_is_audited(client, db, login_as):
    me = login_as(Role.TRAINEE)
    assert client.get("/teams/").status_code == 403
    denied = _events(db, "access.denied")
    assert len(denied) == 1 and denied[0].actor_id == me.id and denied[0].details["path"] == "/teams/"


def test_role_change_is_audited(client, db, login_as, make_employee):
    admin = login_as(Role.ADMIN)
    target = make_employee()
    client.post(f"/people/{target.id}/role", data={"role": "supervisor", "confirm": "yes"})
    [event] = _events(db, "people.role_change")
    assert event.actor_id == admin.id and event.target == f"employee:{target.id}"
    assert event.details == {"from": "trainee", "to": "supervisor"}


def test_injected_newline_cannot_forge_an_entry(client, db):
    # the login form refuses control characters outright (nothing is checked, nothing logged) …
    response = client.post("/login", data={"employee_no": "X\nauth.login actor=1", "password": "whatever-pass"})
    assert response.status_code == 200 and db.session.scalars(select(AuditEvent)).all() == []
    # … and the audit writer escapes any that reach it
    record_event("auth.login_failed", details={"employee_no": "X\nauth.login actor=1"})
    db.session.commit()
    events = db.session.scalars(select(AuditEvent)).all()
    assert len(events) == 1
    assert "\n" not in events[0].details["employee_no"]


def test_secrets_are_refused_in_details(db):
    import pytest

    with pytest.raises(ValueError):
        record_event("x", details={"api_token": "abc"})


def test_audit_page_filters_and_is_admin_only(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    record_event("appraisal.export", details={"cycle": 1})
    db.session.commit()
    page = client.get("/admin/audit?action=appraisal.export").get_data(as_text=True)
    assert "appraisal.export" in page and "auth.login</code>" not in page
    client.post("/logout")
    login_as(Role.HR)
    assert client.get("/admin/audit").status_code == 403


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client, login_as):
    login_as(Role.ADMIN)
    for url in ("/login", "/", "/people/", "/teams/", "/admin/audit"):
        body = client.get(url).get_data(as_text=True)
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), (url, chunk[:80])
        assert " onclick=" not in body and " onload=" not in body


def test_session_cookie_flags(app, client, make_employee):
    user = make_employee()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
