from sqlalchemy import func, select

from app.config import TestConfig
from app.people.models import Employee, Role


def test_demo_seed_is_idempotent_and_prints_accounts(runner, db):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(select(func.count()).select_from(Employee))
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == count
    assert count >= 20
    lines = [line.split() for line in first.output.splitlines() if line.strip()]
    roles = {parts[0] for parts in lines if len(parts) == 3}
    assert {"trainee", "supervisor", "hr", "admin"} <= roles
    assert first.output == second.output


def test_every_printed_demo_account_can_log_in(app, runner, db):
    output = runner.invoke(args=["demo", "seed"]).output
    for line in output.splitlines():
        role, employee_no, password = line.split()
        client = app.test_client()
        response = client.post("/login", data={"employee_no": employee_no, "password": password})
        assert response.status_code == 302, (employee_no, response.status_code)
        assert client.get("/", follow_redirects=True).status_code == 200, employee_no


def test_users_create(runner, db):
    result = runner.invoke(args=["users", "create", "--employee-no", "C001", "--name", "张三",
                                 "--role", "supervisor", "--department", "客服部", "--password",
                                 "long-enough-pass"])
    assert result.exit_code == 0, result.output
    created = db.session.scalar(select(Employee).where(Employee.employee_no == "C001"))
    assert created.role == Role.SUPERVISOR.value
    assert created.department.name == "客服部"
    assert created.must_change_password is True


def test_users_create_rejects_weak_password(runner, db):
    result = runner.invoke(args=["users", "create", "--employee-no", "C002", "--name", "李四",
                                 "--password", "short"])
    assert result.exit_code != 0
    assert "10" in result.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_post_without_csrf_token_gets_400(app, db, make_employee):
    from tests.conftest import PASSWORD

    user = make_employee()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
        assert response.status_code == 400
        assert "表单已过期" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = TestConfig.WTF_CSRF_ENABLED


def test_every_ui_string_has_a_chinese_translation():
    from scripts.i18n import missing

    assert missing() == []
