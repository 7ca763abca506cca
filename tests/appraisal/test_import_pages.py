"""Bulk import through the pages and the CLI: preview with row-numbered errors, all or nothing."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.people.models import Employee
from app.people.signals import employee_created

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


@pytest.fixture()
def org(db, make_department, make_team, make_employee):
    service = make_department("客服部")
    make_department("工程部")
    make_team("前台一班", department=service)
    make_team("前台二班", department=service)
    make_employee(department=service, employee_no="T001")


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


def _upload(client, name: str, data: bytes | None = None):
    payload = data if data is not None else (FIXTURES / name).read_bytes()
    return client.post("/people/import/", data={"file": (io.BytesIO(payload), name)},
                       content_type="multipart/form-data")


def test_errors_are_reported_with_row_numbers_and_nothing_is_written(client, login_as, org, db):
    login_as("hr")
    client.set_cookie("lang", "en")
    before = _count(db)
    response = _upload(client, "errors.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Row 2: Employee number (工号) is missing." in page
    assert "Row 3: Unknown department 财务部." in page
    assert "Row 5: Employee number E103 is a duplicate of row 4." in page
    assert "Row 6: Bad hire date 2026-13-45" in page
    assert "Row 7: Unknown team 夜班 in 客服部." in page
    assert "Row 8: Only an administrator may import HR or administrator accounts." in page
    assert "Row 9: Unknown role 老板." in page
    assert "Row 10: Employee number T001 is already in use." in page
    assert "Row 4:" not in page  # the first E103 is fine
    assert "/people/import/confirm" not in page
    assert _count(db) == before


def test_xlsx_errors_too(client, login_as, org, db):
    login_as("admin")
    client.set_cookie("lang", "en")
    page = _upload(client, "errors.xlsx").get_data(as_text=True)
    for expected in ("Row 2: Employee number (工号) is missing.", "Row 3: Unknown department 财务部.",
                     "Row 5: Employee number E003 is a duplicate of row 4.", "Row 6: Bad hire date 2026-02-30"):
        assert expected in page


def test_preview_then_confirm_imports_everything(client, login_as, org, db):
    hr = login_as("hr")
    before = _count(db)
    created = []

    def receiver(sender, employee, **_):
        created.append(employee.employee_no)

    preview = _upload(client, "good.csv")
    assert preview.status_code == 200
    assert _count(db) == before  # the preview writes nothing
    page = preview.get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    with employee_created.connected_to(receiver):
        queued = client.post("/people/import/confirm", data={"token": token})
    assert queued.status_code == 302 and "/jobs/" in queued.headers["Location"]  # a background job
    done = client.get(queued.headers["Location"])
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert _count(db) == before + 3
    assert created == ["N101", "N102", "N104"]  # each new hire got the signal (onboarding plan)
    n101 = db.session.scalar(select(Employee).where(Employee.employee_no == "N101"))
    assert n101.team.name == "前台一班" and n101.must_change_password and str(n101.hire_date) == "2026-11-02"
    n104 = db.session.scalar(select(Employee).where(Employee.employee_no == "N104"))
    assert n104.role == "supervisor"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "people.import"))
    assert event.actor_id == hr.id and event.details["count"] == 3
    # the shown initial password works (the account then has to change it)
    body = done.get_data(as_text=True)
    password = re.search(r"N101</a></td><td>[^<]*</td><td><code>([^<]+)</code>", body).group(1)
    other = client.application.test_client()
    assert other.post("/login", data={"employee_no": "N101", "password": password}).status_code == 302
    # confirming the same preview again imports nothing
    again = client.post("/people/import/confirm", data={"token": token})
    assert again.status_code == 302 and _count(db) == before + 3
    # the passwords are for the importing user only: another HR sees the job, not the passwords
    client.post("/logout")
    login_as("hr")
    other_page = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert "N101" in other_page and password not in other_page


def test_confirm_revalidates(client, login_as, org, db, make_employee):
    login_as("hr")
    page = _upload(client, "good.csv").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    make_employee(employee_no="N102")  # someone took a number since the preview
    before = _count(db)
    response = client.post("/people/import/confirm", data={"token": token})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "<td>3</td><td>N102</td>" in page.get_data(as_text=True)  # the row that is no longer valid
    assert _count(db) == before


def test_another_users_or_forged_token_is_refused(client, login_as, org, db, app):
    login_as("hr")
    page = _upload(client, "good.csv").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    client.post("/logout")
    login_as("admin")
    before = _count(db)
    assert client.post("/people/import/confirm", data={"token": token}).status_code == 302
    assert client.post("/people/import/confirm", data={"token": "../../etc/passwd"}).status_code == 302
    assert _count(db) == before


def test_refused_file_shows_message(client, login_as, org, db):
    login_as("hr")
    client.set_cookie("lang", "en")
    response = _upload(client, "bomb.xlsx")
    assert response.status_code == 400 and "too much data" in response.get_data(as_text=True)


def test_request_size_limit(client, login_as, org, db, app):
    login_as("hr")
    client.set_cookie("lang", "en")
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = _upload(client, "big.csv", b"a" * 4096)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["trainee", "supervisor"])
def test_import_is_hr_and_admin_only(client, login_as, org, db, role):
    login_as(role)
    assert client.get("/people/import/").status_code == 403
    assert _upload(client, "good.csv").status_code == 403


def test_cli_import_errors_and_success(runner, org, db):
    before = _count(db)
    failed = runner.invoke(args=["users", "import", str(FIXTURES / "errors.csv")])
    assert failed.exit_code != 0
    assert "row 2:" in failed.output and "row 10:" in failed.output and "row 8:" not in failed.output
    assert _count(db) == before
    dry = runner.invoke(args=["users", "import", "--dry-run", str(FIXTURES / "good.xlsx")])
    assert dry.exit_code == 0, dry.output
    assert _count(db) == before
    ok = runner.invoke(args=["users", "import", str(FIXTURES / "good.xlsx")])
    assert ok.exit_code == 0, ok.output
    assert _count(db) == before + 3
    assert "created N001" in ok.output and "created 1002" in ok.output
    refused = runner.invoke(args=["users", "import", str(FIXTURES / "entities.xlsx")])
    assert refused.exit_code != 0
