from sqlalchemy import select

from app.people.models import Employee, Role
from tests.conftest import PASSWORD


def _post_login(client, employee_no, password):
    return client.post("/login", data={"employee_no": employee_no, "password": password})


def test_login_page_renders_in_chinese_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "登录" in response.get_data(as_text=True)


def test_english_browser_still_gets_chinese_until_switched(client):
    response = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "登录" in response.get_data(as_text=True)


def test_language_switch_is_remembered(client):
    client.get("/lang/en?next=/login")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    client.get("/lang/zh_CN")
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_wrong_password_is_refused(client, make_employee):
    user = make_employee()
    response = _post_login(client, user.employee_no, "wrong-password-123")
    assert response.status_code == 401
    assert "工号或密码错误" in response.get_data(as_text=True)
    assert client.get("/courses/").status_code == 302  # still anonymous


def test_unknown_account_gets_the_same_message(client):
    response = _post_login(client, "NOPE", "whatever-password")
    assert response.status_code == 401
    assert "工号或密码错误" in response.get_data(as_text=True)


def test_inactive_account_cannot_log_in(client, make_employee):
    user = make_employee(active=False)
    response = _post_login(client, user.employee_no, PASSWORD)
    assert response.status_code == 401
    assert "停用" in response.get_data(as_text=True)
    assert client.get("/courses/").status_code == 302


def test_correct_login_reaches_home(client, make_employee, db):
    user = make_employee()
    response = _post_login(client, user.employee_no, PASSWORD)
    assert response.status_code == 302
    assert client.get("/courses/").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_forced_password_change_at_first_login(client, make_employee, db):
    user = make_employee(must_change_password=True)
    response = _post_login(client, user.employee_no, PASSWORD)
    assert response.headers["Location"].endswith("/password")
    # every other page redirects to the password form until it is changed
    assert client.get("/courses/").headers["Location"].endswith("/password")
    bad = client.post("/password", data={"current_password": PASSWORD, "new_password": "short",
                                         "confirm": "short"})
    assert bad.status_code == 200 and "至少" in bad.get_data(as_text=True)
    same_as_no = client.post("/password", data={"current_password": PASSWORD,
                                                "new_password": user.employee_no,
                                                "confirm": user.employee_no})
    assert "工号" in same_as_no.get_data(as_text=True)
    ok = client.post("/password", data={"current_password": PASSWORD, "new_password": "a-much-better-one",
                                        "confirm": "a-much-better-one"})
    assert ok.status_code == 302
    assert client.get("/courses/").status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is False


def test_password_change_needs_the_current_password(client, login, make_employee):
    user = make_employee()
    login(user)
    response = client.post("/password", data={"current_password": "not-it-at-all",
                                              "new_password": "another-good-one", "confirm": "another-good-one"})
    assert response.status_code == 200
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_logout_ends_the_session_and_other_sessions(app, client, login, make_employee):
    user = make_employee()
    login(user)
    other = app.test_client()
    other.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert other.get("/courses/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/courses/").status_code == 302
    assert other.get("/courses/").status_code == 302  # the other browser is logged out too


def test_open_redirect_after_login_is_refused(client, make_employee):
    user = make_employee()
    response = client.post("/login?next=//evil.example/x",
                           data={"employee_no": user.employee_no, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_passwords_are_scrypt_hashed(db, make_employee):
    user = make_employee()
    stored = db.session.scalar(select(Employee.password_hash).where(Employee.id == user.id))
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored


def test_production_scrypt_parameters():
    from app.config import Config

    method, n, r, p = Config.PASSWORD_HASH_METHOD.split(":")
    assert method == "scrypt" and int(n) >= 2**17 and int(r) == 8 and int(p) == 1


def test_deactivating_ends_an_open_session(client, login, make_employee, db):
    user = make_employee(role=Role.TRAINEE)
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/courses/").status_code == 302
