"""我的培训 as a trainee sees it, the employee page, the navbar bell, and the demo seed's dashboards."""

import datetime as dt
import re

import time_machine
from sqlalchemy import func, select
from training_builders import COURSE, QUIZ, SCENARIO, add_result, make_catalog, read_lesson

from app.people.models import Employee, Role
from app.training.assignments import assign
from app.training.models import Assignment, Notification, OnboardingPlan

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
LATER = dt.datetime(2026, 3, 8, 2, 0, tzinfo=UTC)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_my_training_orders_highlights_and_links(client, db, make_team, make_employee, login):
    make_catalog()
    team = make_team()
    leader = db.session.get(Employee, team.leader_id)
    me = make_employee(team=team, name="陈小雨")
    with time_machine.travel(START, tick=False):
        assign(leader, [me], "course", COURSE, dt.date(2026, 3, 20), note="先读完课程")
        assign(leader, [me], "quiz", QUIZ, dt.date(2026, 3, 5))
        assign(leader, [me], "scenario", SCENARIO, dt.date(2026, 3, 12))
        assign(leader, [me], "observation", "k-basic", dt.date(2026, 3, 9))
        db.session.commit()
    read_lesson(me.id, "l-one", dt.datetime(2026, 3, 2, 2))
    add_result(me.id, "scenario", SCENARIO, 77, dt.datetime(2026, 3, 3, 2))
    with time_machine.travel(LATER, tick=False):
        login(me)
        page = squash(client.get("/training/").get_data(as_text=True))
    assert page.index("基础测验") < page.index("基础课程")  # by due date: quiz (5th), course (20th)
    overdue = re.search(r'<li class="list-group-item list-group-item-danger">.*?</li>', page).group(0)
    assert "基础测验" in overdue and "已逾期" in overdue
    assert 'w-50p">50%' in page  # the course's progress bar: 1 of 2 lessons
    assert "先读完课程" in page
    assert "已完成 · 77.0" in page  # the scenario, with its score (one decimal on every page)
    assert "由主管在现场观察考核" in page  # the observation is not the trainee's to start
    nxt = page[page.index("接下来做什么"):page.index('id="todo-heading"')]
    assert nxt.index("基础测验") < nxt.index("基础课程") and "仪容检查" not in nxt
    assert "最近成绩" in page and "情景一" in page[page.index("最近成绩"):]
    assert "新任务：基础测验" in page  # unread notifications on top


def test_navbar_bell_counts_unread(client, db, make_team, make_employee, login):
    make_catalog()
    team = make_team()
    me = make_employee(team=team)
    assign(db.session.get(Employee, team.leader_id), [me], "quiz", QUIZ, dt.date.today() + dt.timedelta(days=9))
    db.session.commit()
    login(me)
    page = squash(client.get("/training/notifications").get_data(as_text=True))
    assert re.search(r'href="/training/notifications">通知 <span class="badge rounded-pill bg-danger">1<', page)
    client.post("/training/notifications/read", data={})
    page = squash(client.get("/training/notifications").get_data(as_text=True))
    assert 'href="/training/notifications">通知</a>' in page


def test_employee_page_for_hr_and_redirect_for_self(client, db, make_team, make_employee, login, login_as):
    make_catalog()
    team = make_team()
    me = make_employee(team=team, hire_date=None)
    login(me)
    response = client.get(f"/training/employees/{me.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/training/")
    client.post("/logout")
    login_as(Role.HR)
    page = client.get(f"/training/employees/{me.id}").get_data(as_text=True)
    assert "没有入职日期，因此没有入职培训计划" in page
    assert client.get("/training/employees/999999").status_code == 404


def test_demo_seed_makes_the_dashboards_alive(app, client, db, runner, login):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    counts = dict(db.session.execute(select(Assignment.source, func.count()).group_by(Assignment.source)).all())
    plans = db.session.scalar(select(func.count()).select_from(OnboardingPlan))
    assert plans >= 5 and counts["onboarding"] >= 5 * 4
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    db.session.rollback()
    assert dict(db.session.execute(select(Assignment.source, func.count()).group_by(Assignment.source)).all()) == counts
    assert db.session.scalar(select(func.count()).select_from(OnboardingPlan)) == plans

    sun = db.session.scalar(select(Employee).where(Employee.employee_no == "S001"))
    login(sun, "Academy-2026")
    page = squash(client.get("/training/team").get_data(as_text=True))
    assert "前台一班" in page and "已完成 ·" in page and "list-group-item-danger" in page  # done and overdue
    rate = re.search(r'id="completion-rate">([\d.]+)%', page)
    assert rate and 0 < float(rate.group(1)) < 100
    assert 'id="clauses"' in page and 'id="topics"' in page
    # most-missed clauses by their text, with the lesson and section; the id only small (issue 17 item 7)
    missed = page.split('id="clauses"')[1].split("</ol>")[0]
    first_link = re.search(r'<a href="/lessons/[^"#]+#([^"]+)">([^<]+)</a>', missed)
    assert first_link and first_link.group(1) not in first_link.group(2)
    assert f'<code class="clause-id text-muted">{first_link.group(1)}</code>' in missed
    client.post("/logout")
    newbie = db.session.scalar(select(Employee).where(Employee.employee_no == "T001"))
    login(newbie, "Academy-2026")
    page = squash(client.get("/training/").get_data(as_text=True))
    assert "你的入职培训计划" in page and "新员工入职培训" in page
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.employee_id == newbie.id)) > 0


def test_a_failed_quiz_shows_as_not_passed_everywhere(client, db, make_team, make_employee, login):
    """43 on a quiz with pass mark 80: not done on 我的培训 (offered again), not passed on the dashboard."""
    make_catalog()
    team = make_team()
    leader = db.session.get(Employee, team.leader_id)
    me = make_employee(team=team, name="陈小雨")
    with time_machine.travel(START, tick=False):
        assign(leader, [me], "quiz", QUIZ, dt.date(2026, 3, 12))
        assign(leader, [me], "scenario", SCENARIO, dt.date(2026, 3, 12))
        db.session.commit()
    add_result(me.id, "quiz", QUIZ, 43, dt.datetime(2026, 3, 3, 2), passed=False)
    add_result(me.id, "scenario", SCENARIO, 90, dt.datetime(2026, 3, 3, 3), passed=True)
    with time_machine.travel(LATER, tick=False):
        login(me)
        page = squash(client.get("/training/").get_data(as_text=True))
        nxt = page[page.index("接下来做什么"):page.index('id="todo-heading"')]
        assert "基础测验" in nxt and "未通过 · 43" in nxt and "重新作答" in nxt
        done = page[page.index('id="done-heading"'):page.index("最近成绩")]
        assert "基础测验" not in done and "已完成 · 90" in done
        assert "已完成 · 43" not in page
        client.post("/logout")
        login(leader)
        board = squash(client.get("/training/team").get_data(as_text=True))
    matrix = board[board.index('id="matrix"'):]
    assert "未通过 · 43" in matrix and "已完成 · 43" not in matrix and 'class="table-warning"' in matrix
    assert re.search(r'id="completion-rate">50\.0%', board) and "1 项未通过" in board


def test_reminders_clear_when_the_work_is_passed(client, db, make_team, make_employee, login):
    make_catalog()
    team = make_team()
    me = make_employee(team=team)
    with time_machine.travel(START, tick=False):
        assign(db.session.get(Employee, team.leader_id), [me], "quiz", QUIZ, dt.date(2026, 3, 9))
        db.session.commit()
    with time_machine.travel(LATER, tick=False):  # the 8th: due tomorrow → a due-soon reminder
        login(me)
        page = squash(client.get("/training/notifications").get_data(as_text=True))
        assert "即将到期：基础测验" in page
        add_result(me.id, "quiz", QUIZ, 43, dt.datetime(2026, 3, 8, 1), passed=False)
        page = squash(client.get("/training/notifications").get_data(as_text=True))
        assert "即将到期：基础测验" in page  # failed: still to do
        add_result(me.id, "quiz", QUIZ, 92, dt.datetime(2026, 3, 8, 1, 30), passed=True)
        page = squash(client.get("/training/notifications").get_data(as_text=True))
        assert "即将到期：基础测验" not in page and "新任务：基础测验" in page
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind == "due_soon")) == 1  # hidden, not deleted


def test_an_overdue_quiz_with_an_open_attempt_says_continue(client, db, make_team, make_employee, login):
    from training_builders import add_attempt

    make_catalog()
    team = make_team()
    me = make_employee(team=team)
    with time_machine.travel(START, tick=False):
        assign(db.session.get(Employee, team.leader_id), [me], "quiz", QUIZ, dt.date(2026, 3, 5))
        db.session.commit()
    add_attempt(me.id, QUIZ, started_at=dt.datetime(2026, 3, 2, 2))
    with time_machine.travel(LATER, tick=False):
        login(me)
        page = squash(client.get("/training/").get_data(as_text=True))
    nxt = page[page.index("接下来做什么"):page.index('id="todo-heading"')]
    assert "已逾期" in nxt and ">继续</a>" in nxt and ">开始</a>" not in nxt
