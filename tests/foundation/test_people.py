from sqlalchemy import func, select

from app.people.models import Employee, Role


def test_trainee_cannot_open_another_employees_page(client, login_as, make_employee):
    me = login_as(Role.TRAINEE)
    other = make_employee()
    assert client.get(f"/people/{me.id}").status_code == 200
    assert client.get(f"/people/{other.id}").status_code == 403
    assert client.get("/people/").status_code == 403


def test_supervisor_sees_own_team_but_not_another(client, db, login_as, make_employee, make_team):
    boss = login_as(Role.SUPERVISOR)
    from app.people.models import Team

    my_team = db.session.scalar(select(Team).where(Team.leader_id == boss.id))
    mine = make_employee(team=my_team)
    other_team = make_team()
    stranger = make_employee(team=other_team)
    assert client.get(f"/people/{mine.id}").status_code == 200
    assert client.get(f"/people/{stranger.id}").status_code == 403
    listing = client.get("/people/").get_data(as_text=True)
    assert mine.employee_no in listing
    assert stranger.employee_no not in listing


def test_hr_sees_everyone(client, login_as, make_employee):
    login_as(Role.HR)
    someone = make_employee()
    assert client.get(f"/people/{someone.id}").status_code == 200


def test_forged_role_on_edit_changes_nothing(client, db, login_as, make_employee):
    login_as(Role.HR)
    target = make_employee()
    response = client.post(f"/people/{target.id}/edit", data={
        "employee_no": target.employee_no, "name": "新名字", "role": "admin", "position": "x"})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.name == "新名字"
    assert target.role == Role.TRAINEE.value


def test_only_admin_changes_roles(client, db, login_as, make_employee):
    login_as(Role.HR)
    target = make_employee()
    assert client.post(f"/people/{target.id}/role", data={"role": "admin"}).status_code == 403
    db.session.refresh(target)
    assert target.role == "trainee"


def test_admin_changes_role(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    target = make_employee()
    assert client.post(f"/people/{target.id}/role", data={"role": "supervisor", "confirm": "yes"}).status_code == 302
    db.session.refresh(target)
    assert target.role == "supervisor"


def test_hr_cannot_create_an_admin(client, db, login_as):
    login_as(Role.HR)
    response = client.post("/people/new", data={"employee_no": "X900", "name": "新管理员", "role": "admin",
                                                "password": "initial-password-1"})
    assert response.status_code == 200  # form redisplayed with an error
    assert db.session.scalar(select(func.count()).select_from(Employee).where(
        Employee.employee_no == "X900")) == 0


def test_admin_creates_employee_who_must_change_password(client, db, login_as, make_department):
    login_as(Role.ADMIN)
    dept = make_department("工程部")
    response = client.post("/people/new", data={
        "employee_no": "N100", "name": "新同事", "role": "trainee", "department_id": str(dept.id),
        "password": "initial-password-1", "hire_date": "2026-11-01"})
    assert response.status_code == 302, response.get_data(as_text=True)
    created = db.session.scalar(select(Employee).where(Employee.employee_no == "N100"))
    assert created.must_change_password is True
    assert created.department_id == dept.id
    assert str(created.hire_date) == "2026-11-01"


def test_duplicate_employee_no_is_refused(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    existing = make_employee()
    response = client.post("/people/new", data={"employee_no": existing.employee_no, "name": "重复",
                                                "role": "trainee", "password": "initial-password-1"})
    assert response.status_code == 200
    assert "已被使用" in response.get_data(as_text=True)


def test_deactivate_keeps_the_row(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    target = make_employee()
    assert client.post(f"/people/{target.id}/deactivate").status_code == 302
    db.session.refresh(target)
    assert target.active is False
    assert db.session.get(Employee, target.id) is not None


def test_team_admin_pages(client, db, login_as, make_department, make_employee):
    login_as(Role.ADMIN)
    dept = make_department("秩序部")
    leader = make_employee(role=Role.SUPERVISOR)
    response = client.post("/teams/new", data={"name": "夜班", "department_id": str(dept.id),
                                               "leader_id": str(leader.id)})
    assert response.status_code == 302
    page = client.get("/teams/").get_data(as_text=True)
    assert "夜班" in page and leader.name in page


def test_trainee_cannot_reach_admin_pages(client, login_as):
    login_as(Role.TRAINEE)
    assert client.get("/teams/").status_code == 403
    assert client.get("/people/new").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/people/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
