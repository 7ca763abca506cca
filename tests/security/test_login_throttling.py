"""Login throttling counts failed attempts only.

In process (memory storage): a training room of 30 correct logins from one IP is never refused;
10 wrong passwords lock the account (with the same words whether or not it exists); 50 failures
from one IP stop that IP. Live (gunicorn, 2 workers, Redis): the same rules hold across workers.
"""

import socket
import subprocess
import uuid

import pytest

from tests.conftest import PASSWORD
from tests.support.live_server import BIN, ROOT, Browser, LiveServer, prepare_database, server_env

LOCKED = "Too many failed logins"


@pytest.fixture()
def throttled(app, db):
    app.config["RATELIMIT_ENABLED"] = True
    storage = app.extensions["login_throttle"].limiter.storage
    storage.reset()
    yield app
    storage.reset()
    app.config["RATELIMIT_ENABLED"] = False


def _post(client, employee_no, password, ip="10.0.0.7"):
    client.set_cookie("lang", "en")
    return client.post("/login", data={"employee_no": employee_no, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_thirty_correct_logins_from_one_ip_are_all_accepted(throttled, make_employee, app):
    staff = [make_employee() for _ in range(30)]
    statuses = []
    for employee in staff:
        statuses.append(_post(app.test_client(), employee.employee_no, PASSWORD).status_code)
    assert statuses == [302] * 30


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_password(throttled, make_employee, app):
    victim = make_employee()
    client = app.test_client()
    statuses = [_post(client, victim.employee_no, "wrong-password-x").status_code for _ in range(10)]
    assert statuses == [401] * 10
    locked = _post(client, victim.employee_no, PASSWORD)
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert LOCKED in page and "15 minutes" in page
    assert int(locked.headers["Retry-After"]) > 14 * 60
    # another account from the same IP is not affected
    other = make_employee()
    assert _post(app.test_client(), other.employee_no, PASSWORD).status_code == 302


def test_the_lock_message_does_not_reveal_whether_the_account_exists(throttled, make_employee, app):
    real = make_employee()
    pages = []
    for employee_no in (real.employee_no, "NO-SUCH-ONE"):
        client = app.test_client()
        for _ in range(10):
            _post(client, employee_no, "wrong-password-x", ip="10.0.0.9")
        response = _post(client, employee_no, "wrong-password-x", ip="10.0.0.9")
        assert response.status_code == 429
        pages.append(response.get_data(as_text=True).replace(employee_no, "<no>"))
    assert pages[0] == pages[1]


def test_a_success_clears_the_account_counter(throttled, make_employee, app):
    employee = make_employee()
    client = app.test_client()
    for _ in range(9):
        _post(client, employee.employee_no, "wrong-password-x")
    assert _post(client, employee.employee_no, PASSWORD).status_code == 302
    client = app.test_client()
    assert [_post(client, employee.employee_no, "wrong-password-x").status_code for _ in range(9)] == [401] * 9


def test_fifty_failures_from_one_ip_stop_that_ip(throttled, make_employee, app):
    employee = make_employee()
    client = app.test_client()
    statuses = [_post(client, f"GUESS{i}", "wrong-password-x", ip="10.9.9.9").status_code for i in range(50)]
    assert statuses == [401] * 50
    assert _post(client, employee.employee_no, PASSWORD, ip="10.9.9.9").status_code == 429
    assert _post(client, employee.employee_no, PASSWORD, ip="10.9.9.10").status_code == 302


# --- live: two gunicorn workers sharing Redis ------------------------------------------------------

def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


_MAKE_STAFF = """
from wsgi import app
from app.extensions import db
from app.people.services import EmployeeData, create_employee
with app.app_context():
    for i in range(26):
        e = create_employee(EmployeeData(employee_no=f"ROOM{i:02d}", name=f"新员工{i}"), {password!r},
                            must_change_password=False)
    db.session.commit()
"""


@pytest.fixture()
def throttled_server(tmp_path):
    if not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    env = server_env(f"sqlite:///{tmp_path / 'live.db'}", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                     RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    prepare_database(env, content=False)
    subprocess.run([str(BIN / "python"), "-c", _MAKE_STAFF.replace("{password!r}", repr(PASSWORD))], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    server = LiveServer(env, workers=2).start()
    yield server
    server.stop()


def _login(server, employee_no: str, password: str) -> tuple[int, str]:
    browser = Browser(server.url)  # a fresh connection each time: either worker may answer
    return browser.post("/login", {"employee_no": employee_no, "password": password}, token_from="/login")


@pytest.mark.slow
def test_live_training_room_and_account_lock_across_two_workers(throttled_server):
    correct = [_login(throttled_server, f"ROOM{i:02d}", PASSWORD)[0] for i in range(25)]
    assert correct == [302] * 25, correct
    wrong = [_login(throttled_server, "ROOM25", "wrong-password-1")[0] for _ in range(12)]
    assert wrong == [401] * 10 + [429] * 2, wrong
    status, body = _login(throttled_server, "ROOM25", PASSWORD)
    assert status == 429 and "15" in body  # "请 15 分钟后再试"
