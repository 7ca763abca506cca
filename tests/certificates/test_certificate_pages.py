"""The public verification page, HR's list and revocation, and who may download the PDF."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.people.models import Role


@pytest.fixture()
def certified(db, synced, make_team, make_employee, pass_activity):
    """A trainee in a supervisor's team holding the new-hire certificate."""
    leader = make_employee(role=Role.SUPERVISOR)
    team = make_team(leader=leader)
    holder = make_employee(team=team, name="李晓梅", employee_no="T7001")
    pass_activity(holder, "quiz", "new-hire-final", 87.5)
    cert = db.session.scalar(select(Certificate).where(Certificate.employee_id == holder.id))
    return {"holder": holder, "leader": leader, "team": team, "cert": cert}


def test_verify_shows_holder_course_dates_and_status_and_nothing_else(client, certified):
    cert = certified["cert"]
    response = client.get(f"/verify/{cert.verification_code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "李晓梅" in html and "新员工入职培训" in html and cert.number in html
    assert cert.expires_on.isoformat() in html and 'data-status="valid"' in html and "有效" in html
    assert "T7001" not in html and "87.5" not in html and cert.content_hash not in html  # no 工号, score
    assert "logout" not in html.lower()  # anonymous: nobody is logged in
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_unknown_or_malformed_code_is_a_404_that_says_so(client, certified):
    for code in ("x" * 32, "short", "bad%20code" + "y" * 20):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        assert "证书不存在" in response.get_data(as_text=True) or "not found" in response.get_data(as_text=True)


def test_verify_is_rate_limited(app, db):
    """Flask-Limiter reads RATELIMIT_ENABLED when an app is made: a second app with limits on."""
    from app import create_app

    limited = create_app(_limited_config(app))
    client = limited.test_client()
    codes = [client.get(f"/verify/{'z' * 30}").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


def _limited_config(app):
    from app.config import TestConfig

    return type("LimitedConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                                 "RATELIMIT_ENABLED": True, "CERTIFICATE_VERIFY_LIMIT": "3 per minute"})


def test_revocation_needs_a_reason_is_confirmed_and_audited(client, db, certified, login_as):
    cert = certified["cert"]
    hr = login_as("hr")
    confirm = client.get(f"/certificates/{cert.id}/revoke")
    assert confirm.status_code == 200 and "李晓梅" in confirm.get_data(as_text=True)
    empty = client.post(f"/certificates/{cert.id}/revoke", data={"reason": "  "})
    assert empty.status_code == 400
    sneaky = client.post(f"/certificates/{cert.id}/revoke", data={"reason": "作弊\u202e"})
    assert sneaky.status_code == 400 and "U+202E" in sneaky.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, cert.id).revoked_at is None
    done = client.post(f"/certificates/{cert.id}/revoke", data={"reason": "考试作弊，经核实"})
    assert done.status_code == 302
    db.session.expire_all()
    row = db.session.get(Certificate, cert.id)
    assert row.revoked_at is not None and row.revoked_by_id == hr.id and row.revoke_reason == "考试作弊，经核实"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificates.revoke"))
    assert event.actor_id == hr.id and event.target == f"certificate:{cert.id}"
    assert event.details["reason"] == "考试作弊，经核实" and event.details["number"] == cert.number
    page = client.get(f"/verify/{cert.verification_code}").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "已撤销" in page
    client.post("/logout")
    login_as("admin")
    log = client.get("/admin/audit?action=certificates.revoke").get_data(as_text=True)
    assert "考试作弊，经核实" in log and cert.number in log and "撤销" in log


def test_only_hr_and_admin_revoke_and_list(client, certified, login_as):
    cert = certified["cert"]
    login_as("supervisor")
    assert client.get("/certificates/").status_code == 403
    assert client.post(f"/certificates/{cert.id}/revoke", data={"reason": "x"}).status_code == 403


def test_hr_list_filters_and_paginates(client, db, certified, login_as, make_employee, pass_activity):
    other = make_employee(name="王强")
    pass_activity(other, "quiz", "complaints-quiz", 90.0)
    login_as("hr")
    page = client.get("/certificates/").get_data(as_text=True)
    assert "李晓梅" in page and "王强" in page
    only = client.get("/certificates/?course=complaints").get_data(as_text=True)
    assert "王强" in only and "李晓梅" not in only
    dept = certified["team"].department_id
    by_dept = client.get(f"/certificates/?department={dept}").get_data(as_text=True)
    assert "李晓梅" in by_dept and "王强" not in by_dept
    assert "李晓梅" not in client.get("/certificates/?status=expired").get_data(as_text=True)
    assert client.get("/certificates/?page=0").status_code == 400
    assert client.get("/certificates/?department=abc").status_code == 400


@pytest.mark.parametrize("who, expected", [("holder", 200), ("leader", 200), ("hr", 200), ("admin", 200),
                                           ("stranger", 404), ("other_supervisor", 404)])
def test_who_may_download_the_pdf(client, certified, make_employee, login, who, expected):
    people = {"holder": certified["holder"], "leader": certified["leader"]}
    user = people.get(who) or make_employee(role={"hr": Role.HR, "admin": Role.ADMIN,
                                                  "other_supervisor": Role.SUPERVISOR}.get(who, Role.TRAINEE))
    login(user)
    response = client.get(f"/certificates/{certified['cert'].id}.pdf")
    assert response.status_code == expected
    if expected == 200:
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_anonymous_download_goes_to_login(client, certified):
    response = client.get(f"/certificates/{certified['cert'].id}.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_pdf_embeds_the_font_names_the_holder_and_encodes_the_verify_url(app, client, certified, login):
    pypdf = pytest.importorskip("pypdf")
    app.config["PUBLIC_BASE_URL"] = "https://academy.example.com"
    try:
        login(certified["holder"])
        data = client.get(f"/certificates/{certified['cert'].id}.pdf").data
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    assert data.startswith(b"%PDF") and (b"/FontFile3" in data or b"/FontFile2" in data)
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = re.sub(r"[\s\x00]+", "", reader.pages[0].extract_text())
    cert = certified["cert"]
    assert "李晓梅" in text and "新员工入职培训" in text and cert.number in text and "培训合格证书" in text
    url = f"https://academy.example.com/verify/{cert.verification_code}"
    assert url in text
    fonts = [f["/FontDescriptor"] for f in _descendant_fonts(reader)]
    assert fonts and all("/FontFile3" in d or "/FontFile2" in d for d in fonts)  # embedded, not system fonts
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    [image] = reader.pages[0].images
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert [d.text for d in decoded] == [url]


def _descendant_fonts(reader):
    resources = reader.pages[0]["/Resources"]["/Font"]
    for ref in resources.values():
        font = ref.get_object()
        for desc in font.get("/DescendantFonts", []):
            yield desc.get_object()


def test_verification_url_uses_the_request_host_without_public_base_url(app, certified):
    from app.certificates.routes import verify_url

    code = certified["cert"].verification_code
    with app.test_request_context("/", base_url="https://desk.example.org"):
        assert verify_url(certified["cert"]) == f"https://desk.example.org/verify/{code}"
    app.config["PUBLIC_BASE_URL"] = "https://academy.example.com/"
    try:
        with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
            assert verify_url(certified["cert"]) == f"https://academy.example.com/verify/{code}"
    finally:
        app.config["PUBLIC_BASE_URL"] = ""


def test_a_revoked_certificates_pdf_is_stamped_revoked(client, db, certified, login, login_as):
    pypdf = pytest.importorskip("pypdf")

    def pdf_text() -> str:
        data = client.get(f"/certificates/{certified['cert'].id}.pdf").data
        return re.sub(r"[\s\x00]+", "", pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())

    login(certified["holder"])
    assert "REVOKED" not in pdf_text() and "已撤销" not in pdf_text()
    client.post("/logout")
    login_as("hr")
    assert client.post(f"/certificates/{certified['cert'].id}/revoke",
                       data={"reason": "考核舞弊"}).status_code in (302, 303)
    db.session.expire_all()
    revoked = db.session.get(Certificate, certified["cert"].id)
    assert revoked.revoked_at is not None
    text = pdf_text()  # HR keeps a copy for its records: it says revoked, with the date
    from app.timeutil import to_site_time

    revoked_on = to_site_time(revoked.revoked_at).date().isoformat()  # the site's calendar day
    assert "已撤销REVOKED" in text and f"撤销日期Revokedon{revoked_on}" in text and "李晓梅" in text
