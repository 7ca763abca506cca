"""Onboarding plans: made on create and on import, from onboarding.yml; seen and adjusted by the supervisor."""

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select
from training_builders import CHECKLIST, COURSE, PLAN_YAML, QUIZ, SCENARIO, make_catalog, write_plan

from app.audit.models import AuditEvent
from app.people.models import Employee, Role
from app.training.models import Assignment, OnboardingPlan
from app.training.onboarding import check_template, create_plan, parse_template
from tests.conftest import PASSWORD


@pytest.fixture()
def plan_dir(app, tmp_path):
    """CONTENT_DIR pointing at a folder whose onboarding.yml is PLAN_YAML (restored afterwards)."""
    old = app.config["CONTENT_DIR"]
    write_plan(tmp_path, PLAN_YAML)
    app.config["CONTENT_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["CONTENT_DIR"] = old


@pytest.fixture()
def team(db, plan_dir, make_team):
    make_catalog()
    return make_team(name="前台一班")


def plan_rows(db, employee_id):
    return db.session.scalars(select(Assignment).where(Assignment.employee_id == employee_id)
                              .order_by(Assignment.due_date)).all()


def test_plan_is_made_when_an_employee_with_a_hire_date_is_created(db, team, make_employee):
    hired = dt.date.today() - dt.timedelta(days=2)
    employee = make_employee(team=team, hire_date=hired)
    rows = plan_rows(db, employee.id)
    assert [(r.activity_kind, r.activity_id, (r.due_date - hired).days) for r in rows] == [
        ("course", COURSE, 7), ("quiz", QUIZ, 10), ("scenario", SCENARIO, 14), ("observation", CHECKLIST, 30)]
    assert {r.source for r in rows} == {"onboarding"}
    assert {r.assigned_by_id for r in rows} == {team.leader_id}  # in the supervisor's name
    assert rows[0].note == "第一周读完"
    plan = db.session.scalar(select(OnboardingPlan).where(OnboardingPlan.employee_id == employee.id))
    assert plan.hire_date == hired and plan.created_by_id is None and len(plan.template_hash) == 64
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "training.plan_created", AuditEvent.target == f"employee:{employee.id}")) == 1
    # making it again changes nothing
    assert create_plan(employee).id == plan.id
    assert len(plan_rows(db, employee.id)) == 4


def test_no_plan_without_hire_date_for_other_roles_or_long_ago(db, team, make_employee):
    nobody = [
        make_employee(team=team),
        make_employee(role=Role.SUPERVISOR, hire_date=dt.date.today()),
        make_employee(team=team, hire_date=dt.date.today() - dt.timedelta(days=400)),
    ]
    for employee in nobody:
        assert plan_rows(db, employee.id) == []
    assert db.session.scalar(select(func.count()).select_from(OnboardingPlan)) == 0


def test_plan_is_made_by_the_admin_page(client, db, team, login_as):
    login_as(Role.ADMIN)
    response = client.post("/people/new", data={
        "employee_no": "N001", "name": "新员工", "department_id": team.department_id, "team_id": team.id,
        "position": "客服专员", "hire_date": dt.date.today().isoformat(), "role": "trainee",
        "password": "a-long-password-1", "password2": "a-long-password-1", "confirm": "a-long-password-1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    employee = db.session.scalar(select(Employee).where(Employee.employee_no == "N001"))
    assert len(plan_rows(db, employee.id)) == 4


def test_plan_is_made_by_cli_create_and_bulk_import(runner, db, team, tmp_path):
    today = dt.date.today().isoformat()
    dept = team.department.name
    result = runner.invoke(args=["users", "create", "--employee-no", "N002", "--name", "王五", "--department", dept,
                                 "--team", team.name, "--hire-date", today, "--password", "long-enough-pass"])
    assert result.exit_code == 0, result.output
    csv = tmp_path / "staff.csv"
    csv.write_text(f"工号,姓名,部门,班组,入职日期\nN003,赵六,{dept},{team.name},{today}\nN004,钱七,{dept},{team.name},\n",
                   encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(csv)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    by_no = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    assert len(plan_rows(db, by_no["N002"].id)) == 4
    assert len(plan_rows(db, by_no["N003"].id)) == 4
    assert plan_rows(db, by_no["N004"].id) == []  # no hire date, no plan


def test_broken_template_never_blocks_account_creation(db, team, plan_dir, make_employee, caplog):
    write_plan(plan_dir, "items:\n  - {kind: homework, id: x, due_days: 1}\n")
    with caplog.at_level(logging.ERROR, logger="app.training.onboarding"):
        employee = make_employee(team=team, hire_date=dt.date.today())
    assert db.session.get(Employee, employee.id) is not None
    assert plan_rows(db, employee.id) == []
    assert "onboarding template has problems" in caplog.text


def test_template_problems_are_located(tmp_path):
    text = ("roles: [trainee, boss]\nitems:\n  - {kind: quiz, id: q, due_days: -1}\n  - {kind: course, due_days: 3}\n"
            "  - {kind: course, id: c, due_days: 3, colour: red}\n  - {kind: course, id: c, due_days: 4}\n  - 7\n")
    _template, problems = parse_template(text, "onboarding.yml")
    messages = [str(p) for p in problems]
    assert "onboarding.yml:1: unknown role 'boss'" in messages
    assert "onboarding.yml:3: 'due_days' must be 0 or more" in messages
    assert "onboarding.yml:4: missing required key 'id'" in messages
    assert any(m.startswith("onboarding.yml:5: unknown key 'colour'") for m in messages)
    assert any(m.startswith("onboarding.yml:6:") and "already in the plan" in m for m in messages)
    assert "onboarding.yml:7: each item must be a mapping (kind, id, due_days)" in messages
    _template, problems = parse_template("items: [\n", "onboarding.yml")
    assert problems and "invalid YAML" in problems[0].message
    write_plan(tmp_path, PLAN_YAML)
    problems = check_template(tmp_path, {"course": {COURSE}, "quiz": set()})
    assert [p.message for p in problems] == [f"unknown quiz id {QUIZ!r}"]


def test_shipped_plan_matches_the_shipped_content(app, shipped_content):
    from app.training.hooks import check_onboarding

    with app.app_context():
        assert check_onboarding(shipped_content) == []


# --- the supervisor sees and adjusts the plan -----------------------------------------------------

@pytest.fixture()
def new_hire(db, team, make_employee):
    return make_employee(team=team, hire_date=dt.date.today(), name="陈小雨")


def test_new_hire_sees_the_plan_on_first_login(client, db, new_hire):
    new_hire.must_change_password = True
    db.session.commit()
    response = client.post("/login", data={"employee_no": new_hire.employee_no, "password": PASSWORD})
    assert response.headers["Location"].endswith("/password")
    response = client.post("/password", data={"current_password": PASSWORD, "new_password": "another-long-pass",
                                              "new_password2": "another-long-pass", "confirm": "another-long-pass"},
                           follow_redirects=True)
    page = client.get("/training/").get_data(as_text=True)
    assert "你的入职培训计划" in page
    assert "基础课程" in page and "基础测验" in page and "情景一" in page and "仪容检查" in page


def test_supervisor_sees_and_adjusts_the_plan(client, db, team, new_hire, login):
    leader = db.session.get(Employee, team.leader_id)
    login(leader)
    page = client.get(f"/training/employees/{new_hire.id}").get_data(as_text=True)
    assert "入职培训计划" in page and "基础测验" in page
    rows = {r.activity_kind: r for r in plan_rows(db, new_hire.id)}
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    assert client.post(f"/training/assignments/{rows['quiz'].id}/due", data={"due_date": later}).status_code == 302
    assert client.post(f"/training/assignments/{rows['scenario'].id}/cancel").status_code == 302
    response = client.post(f"/training/employees/{new_hire.id}/plan/items", data={
        "activity": "language:p-basic", "due_date": later, "note": "加练"})
    assert response.status_code == 302
    db.session.rollback()
    rows = {r.activity_kind: r for r in plan_rows(db, new_hire.id) if r.cancelled_at is None}
    assert rows["quiz"].due_date.isoformat() == later
    assert "scenario" not in rows
    assert rows["language"].source == "onboarding" and rows["language"].note == "加练"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "training.plan_adjusted")).all()
    assert sorted(e.details["change"] for e in events) == ["added", "cancelled", "due_date"]
    assert {e.actor_id for e in events} == {leader.id}


def test_other_supervisor_and_trainees_cannot_see_or_adjust(client, db, new_hire, make_employee, login, login_as,
                                                            make_team):
    other = login_as(Role.SUPERVISOR)
    assert client.get(f"/training/employees/{new_hire.id}").status_code == 403
    quiz = [r for r in plan_rows(db, new_hire.id) if r.activity_kind == "quiz"][0]
    assert client.post(f"/training/assignments/{quiz.id}/due", data={"due_date": "2030-01-01"}).status_code == 403
    assert client.post(f"/training/employees/{new_hire.id}/plan/items",
                       data={"activity": f"quiz:{QUIZ}", "due_date": "2030-01-01"}).status_code == 403
    assert other.id != new_hire.id
    peer = make_employee(team=new_hire.team)
    client.post("/logout")
    login(peer)
    assert client.get("/training/").status_code == 200
    assert client.get(f"/training/employees/{new_hire.id}").status_code == 403


def test_supervisor_makes_a_missing_plan(client, db, team, make_employee, login):
    employee = make_employee(team=team, hire_date=dt.date.today() - dt.timedelta(days=300))  # too old: no auto plan
    assert plan_rows(db, employee.id) == []
    login(db.session.get(Employee, team.leader_id))
    assert "还没有入职培训计划" in client.get(f"/training/employees/{employee.id}").get_data(as_text=True)
    assert client.post(f"/training/employees/{employee.id}/plan").status_code == 302
    assert len(plan_rows(db, employee.id)) == 4
    plan = db.session.scalar(select(OnboardingPlan).where(OnboardingPlan.employee_id == employee.id))
    assert plan.created_by_id == team.leader_id
