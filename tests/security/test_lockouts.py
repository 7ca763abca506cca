"""Nobody locks the site out of administration: the last active admin keeps the role, role changes
take a confirmation step, and HR cannot touch administrators' accounts."""

from app.people.models import Employee, Role


def _role_of(db, employee):
    db.session.expire_all()
    return db.session.get(Employee, employee.id).role


def test_the_only_admin_cannot_demote_itself(client, db, login_as):
    me = login_as(Role.ADMIN)
    client.set_cookie("lang", "en")
    response = client.post(f"/people/{me.id}/role", data={"role": "trainee", "confirm": "yes"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "only active administrator" in response.get_data(as_text=True)
    assert _role_of(db, me) == "admin"


def test_the_last_admin_cannot_be_demoted_or_deactivated_by_anyone(client, db, login_as, make_employee):
    login_as(Role.HR)
    only_admin = make_employee(role=Role.ADMIN)
    assert client.post(f"/people/{only_admin.id}/deactivate").status_code == 403
    assert client.post(f"/people/{only_admin.id}/role", data={"role": "trainee", "confirm": "yes"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Employee, only_admin.id).active is True


def test_with_two_admins_one_may_be_demoted_then_the_other_is_protected(client, db, login_as, make_employee):
    me = login_as(Role.ADMIN)
    other = make_employee(role=Role.ADMIN)
    assert client.post(f"/people/{other.id}/role", data={"role": "hr", "confirm": "yes"}).status_code == 302
    assert _role_of(db, other) == "hr"
    client.post(f"/people/{me.id}/role", data={"role": "hr", "confirm": "yes"})
    assert _role_of(db, me) == "admin"


def test_the_last_admin_cannot_be_deactivated(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    second = make_employee(role=Role.ADMIN)
    # deactivating the other admin is fine while I remain …
    assert client.post(f"/people/{second.id}/deactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, second.id).active is False
    # … and an inactive admin does not count as the spare one
    third = make_employee(role=Role.ADMIN)
    assert client.post(f"/people/{third.id}/deactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, third.id).active is False


def test_deactivating_the_only_active_admin_is_refused_with_a_message(db, make_employee):
    import pytest

    from app.people.services import PeopleError, set_active

    admin = make_employee(role=Role.ADMIN)
    make_employee(role=Role.ADMIN, active=False)
    with pytest.raises(PeopleError, match="only active administrator|唯一"):
        set_active(admin, False)


def test_a_role_change_asks_for_confirmation_spelling_out_old_and_new(client, db, login_as, make_employee):
    login_as(Role.ADMIN)
    target = make_employee(name="王小明")
    response = client.post(f"/people/{target.id}/role", data={"role": "supervisor"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="role-change-summary"' in page and "王小明" in page
    assert _role_of(db, target) == "trainee"  # nothing changed yet
    summary = page.split('id="role-change-summary">', 1)[1].split("</p>", 1)[0]
    assert summary.index("学员") < summary.index("主管")  # old → new (the default language is Chinese)
    assert 'name="confirm" type="hidden" value="yes"' in page
    assert client.post(f"/people/{target.id}/role", data={"role": "supervisor", "confirm": "yes"}).status_code == 302
    assert _role_of(db, target) == "supervisor"


def test_hr_cannot_edit_or_deactivate_an_admin_and_sees_no_buttons(client, db, login_as, make_employee):
    login_as(Role.HR)
    make_employee(role=Role.ADMIN)
    admin = make_employee(role=Role.ADMIN, name="管理员甲")
    trainee = make_employee()
    page = client.get(f"/people/{admin.id}").get_data(as_text=True)
    assert f"/people/{admin.id}/edit" not in page and f"/people/{admin.id}/deactivate" not in page
    assert client.get(f"/people/{admin.id}/edit").status_code == 403
    assert client.post(f"/people/{admin.id}/edit", data={"employee_no": admin.employee_no, "name": "改名"}).status_code == 403
    assert client.post(f"/people/{admin.id}/deactivate").status_code == 403
    db.session.expire_all()
    fresh = db.session.get(Employee, admin.id)
    assert fresh.name == "管理员甲" and fresh.active is True
    # HR still manages everyone else
    assert f"/people/{trainee.id}/edit" in client.get(f"/people/{trainee.id}").get_data(as_text=True)
    assert client.post(f"/people/{trainee.id}/deactivate").status_code == 302
