"""In-app notifications: new, due within two days, overdue; lazily made once; shown after login; read."""

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select
from training_builders import QUIZ, SCENARIO, add_result, make_catalog

from app.config import TestConfig
from app.people.models import Employee
from app.training import notifications
from app.training.assignments import assign, cancel, change_due_date
from app.training.models import Notification
from tests.conftest import PASSWORD

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture()
def setup(db, make_team, make_employee):
    make_catalog()
    team = make_team()
    leader = db.session.get(Employee, team.leader_id)
    trainee = make_employee(team=team, name="陈小雨")
    return leader, trainee


def kinds(db, employee_id):
    db.session.rollback()
    return sorted((n.assignment_id, n.kind) for n in db.session.scalars(
        select(Notification).where(Notification.employee_id == employee_id)))


def log_in(client, employee):
    client.post("/logout")
    return client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})


def test_reminders_are_made_lazily_once_per_kind(client, db, setup):
    leader, trainee = setup
    with time_machine.travel(START, tick=False) as clock:
        quiz = assign(leader, [trainee], "quiz", QUIZ, dt.date(2026, 3, 5)).created[0]
        scenario = assign(leader, [trainee], "scenario", SCENARIO, dt.date(2026, 3, 4)).created[0]
        db.session.commit()
        assert kinds(db, trainee.id) == [(quiz.id, "new"), (scenario.id, "new")]

        log_in(client, trainee)
        assert client.get("/training/").status_code == 200
        assert kinds(db, trainee.id) == [(quiz.id, "new"), (scenario.id, "new")]  # nothing due within 2 days

        clock.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # the scenario is due in 2 days
        client.get("/courses/")  # any page
        client.get("/training/")
        assert kinds(db, trainee.id) == [(quiz.id, "new"), (scenario.id, "due_soon"), (scenario.id, "new")]

        clock.move_to(dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
        add_result(trainee.id, "quiz", QUIZ, 88, dt.datetime(2026, 3, 3, 1, 0))  # done before it got close
        client.get("/training/")
        client.get("/training/")

        clock.move_to(dt.datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
        client.get("/training/notifications")
        client.get("/training/notifications")
        assert kinds(db, trainee.id) == [(quiz.id, "new"), (scenario.id, "due_soon"), (scenario.id, "new"),
                                         (scenario.id, "overdue")]
        page = client.get("/training/notifications").get_data(as_text=True)
        assert "已逾期：情景一" in page and "即将到期：情景一" in page and "新任务：基础测验" in page


def test_reminders_are_made_at_login_and_announced(client, db, setup):
    leader, trainee = setup
    with time_machine.travel(START, tick=False) as clock:
        assign(leader, [trainee], "quiz", QUIZ, dt.date(2026, 3, 2))
        db.session.commit()
        clock.move_to(dt.datetime(2026, 3, 4, 2, 0, tzinfo=UTC))
        response = log_in(client, trainee)
        assert response.status_code == 302
        assert [k for _, k in kinds(db, trainee.id)] == ["new", "overdue"]
        page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
        assert "你有 2 条未读通知" in page and 'href="/training/"' in page


def test_mark_read_one_and_all_only_own(client, db, setup, make_employee):
    leader, trainee = setup
    other = make_employee(team=trainee.team)
    assign(leader, [trainee, other], "quiz", QUIZ, dt.date.today() + dt.timedelta(days=20))
    assign(leader, [trainee], "scenario", SCENARIO, dt.date.today() + dt.timedelta(days=20))
    db.session.commit()
    mine = db.session.scalars(select(Notification).where(Notification.employee_id == trainee.id)
                              .order_by(Notification.id)).all()
    theirs = db.session.scalar(select(Notification).where(Notification.employee_id == other.id))
    log_in(client, trainee)
    assert "bg-danger\">2<" in client.get("/training/notifications").get_data(as_text=True).replace(
        '<span class="visually-hidden"> 未读</span>', "")
    assert client.post("/training/notifications/read", data={"notification_id": theirs.id}).status_code == 302
    assert client.post("/training/notifications/read", data={"notification_id": mine[0].id}).status_code == 302
    db.session.rollback()
    assert db.session.get(Notification, theirs.id).read_at is None
    assert db.session.get(Notification, mine[0].id).read_at is not None
    assert notifications.unread_count(trainee.id) == 1
    assert client.post("/training/notifications/read", data={"notification_id": "zzz"}).status_code == 302
    client.post("/training/notifications/read", data={})
    assert notifications.unread_count(trainee.id) == 0
    assert notifications.unread_count(other.id) == 1


def test_mark_read_needs_the_csrf_token(app, client, db, setup):
    leader, trainee = setup
    assign(leader, [trainee], "quiz", QUIZ, dt.date.today() + dt.timedelta(days=20))
    db.session.commit()
    log_in(client, trainee)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/training/notifications/read", data={}).status_code == 400
        page = client.get("/training/notifications").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = TestConfig.WTF_CSRF_ENABLED
    assert notifications.unread_count(trainee.id) == 1


def test_cancelled_and_moved_assignments(client, db, setup):
    leader, trainee = setup
    with time_machine.travel(START, tick=False) as clock:
        quiz = assign(leader, [trainee], "quiz", QUIZ, dt.date(2026, 3, 2)).created[0]
        scenario = assign(leader, [trainee], "scenario", SCENARIO, dt.date(2026, 3, 2)).created[0]
        db.session.commit()
        clock.move_to(dt.datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
        notifications.refresh_reminders(trainee.id, dt.date(2026, 3, 5))
        db.session.commit()
        assert notifications.unread_count(trainee.id) == 4
        cancel(leader, scenario)
        change_due_date(leader, quiz, dt.date(2026, 3, 20))
        db.session.commit()
        # the withdrawn assignment's notifications disappear; the moved one's overdue note is dropped
        assert notifications.unread_count(trainee.id) == 1
        assert kinds(db, trainee.id) == [(quiz.id, "new"), (scenario.id, "new"), (scenario.id, "overdue")]
        assert [v.notification.kind for v in notifications.recent(trainee.id)] == ["new"]


def test_insert_is_idempotent_even_when_called_twice(db, setup):
    leader, trainee = setup
    assign(leader, [trainee], "quiz", QUIZ, dt.date.today() - dt.timedelta(days=1))
    db.session.commit()
    today = dt.date.today() + dt.timedelta(days=1)
    rows = notifications.pending_reminders(trainee.id, today)
    assert [r["kind"] for r in rows] == ["overdue"]
    assert notifications.refresh_reminders(trainee.id, today) == 1
    # a concurrent request that computed the same rows earlier inserts nothing
    assert notifications._insert_ignoring_duplicates([dict(rows[0], created_at=dt.datetime.now())]) == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
