"""The supervisor dashboard's numbers on a dataset computed by hand, the refresher, and its query count."""

import datetime as dt
import re
import statistics
import time

import pytest
import time_machine
from sqlalchemy import select
from training_builders import (
    COURSE,
    QUIZ,
    SCENARIO,
    add_attempt,
    add_drill_miss,
    add_question,
    add_result,
    make_catalog,
    read_lesson,
)
from werkzeug.datastructures import MultiDict

from app.extensions import db as _db
from app.people.models import Employee, Role
from app.timeutil import local_today, utcnow
from app.training.assignments import assign, cancel
from app.training.dashboard import assign_refresher, team_dashboard
from app.training.models import Assignment
from app.training.status import Status
from tests.support.statements import recorded_statements

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = dt.datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0)


@pytest.fixture()
def dataset(db, make_team, make_employee):
    """The team of four whose numbers are worked out by hand in the test below."""
    make_catalog()
    add_question("l-one-q2", "l-one", ["l-one.b"])
    db.session.commit()
    team = make_team(name="前台一班")
    leader = db.session.get(Employee, team.leader_id)
    m1, m2, m3, m4 = (make_employee(team=team, employee_no=f"M{i}", name=f"成员{i}") for i in range(1, 5))
    outsider = make_employee(team=make_team())
    with time_machine.travel(START, tick=False):
        assign(leader, [m1, m2, m3, m4], "quiz", QUIZ, dt.date(2026, 3, 5))
        assign(leader, [m1, m2], "course", COURSE, dt.date(2026, 3, 20))
        dropped = assign(leader, [m3], "scenario", SCENARIO, dt.date(2026, 3, 31)).created[0]
        cancel(leader, dropped)
        assign(None, [outsider], "quiz", QUIZ, dt.date(2026, 3, 2))
        db.session.commit()
    add_result(m1.id, "quiz", QUIZ, 90, at(2))
    add_result(m2.id, "quiz", QUIZ, 60, at(3))
    read_lesson(m1.id, "l-one", at(4))
    read_lesson(m1.id, "l-two", at(4))
    read_lesson(m2.id, "l-one", at(4))
    add_attempt(m1.id, QUIZ, started_at=at(2, 1), finished_at=at(2),
                items=[("l-one-q", 1.0), ("l-one-q2", 1.0), ("l-two-q", 0.5)])
    add_attempt(m2.id, QUIZ, started_at=at(3, 1), finished_at=at(3),
                items=[("l-one-q", 0.0), ("l-one-q2", 0.5), ("l-two-q", 1.0)])
    add_attempt(m3.id, QUIZ, started_at=at(4), items=[("l-one-q", None)])  # still open: not counted
    add_attempt(m1.id, QUIZ, started_at=at(1) - dt.timedelta(days=300), finished_at=at(1) - dt.timedelta(days=300),
                items=[("l-two-q", 0.0)], number=9)  # outside the 180-day window
    add_attempt(outsider.id, QUIZ, started_at=at(2), finished_at=at(2), items=[("l-one-q", 0.0)])
    add_drill_miss(m3.id, "l-one.a", at(5), kind="complaint")
    add_drill_miss(m4.id, "l-one.a", at(5), kind="language")
    add_drill_miss(outsider.id, "l-two.b", at(5))
    return {"team": team, "leader": leader, "m": [m1, m2, m3, m4]}


def test_dashboard_numbers_match_the_hand_computation(db, dataset):
    m1, m2, m3, m4 = dataset["m"]
    with time_machine.travel(TODAY, tick=False):
        data = team_dashboard(dataset["team"], local_today(), utcnow())
    # 6 live assignments (the cancelled scenario and the outsider's quiz do not count)
    assert data.counts == {"completed": 3, "overdue": 2, "in_progress": 1}
    assert (data.total, data.completed, data.completion_rate) == (6, 3, 50.0)
    assert [(o.employee.employee_no, o.title, o.days_late) for o in data.overdue] == [
        ("M3", "基础测验", 5), ("M4", "基础测验", 5)]
    assert [c.key for c in data.columns] == [("course", COURSE), ("quiz", QUIZ)]
    course, quiz = data.columns

    def cell(member, column):
        found = data.cell(member, column)
        return found and (found.status, found.score)

    assert cell(m1, quiz) == (Status.COMPLETED, 90) and cell(m2, quiz) == (Status.COMPLETED, 60)
    assert cell(m3, quiz) == (Status.OVERDUE, None) and cell(m4, quiz) == (Status.OVERDUE, None)
    assert cell(m1, course) == (Status.COMPLETED, None) and cell(m2, course) == (Status.IN_PROGRESS, None)
    assert cell(m3, course) is None and cell(m4, course) is None

    # l-one: m1 2.0 of 2 points, m2 0.5 of 2 → 2.5 / 4 = 62.5; l-two: 0.5 + 1.0 of 2 → 75.0
    assert [(t.lesson_id, t.average, t.answers) for t in data.topics] == [("l-one", 62.5, 4), ("l-two", 75.0, 2)]
    one, two = data.topics
    assert one.by_member == {m1.id: 100.0, m2.id: 25.0} and two.by_member == {m1.id: 50.0, m2.id: 100.0}
    assert one.below(80) == [m2.id] and two.below(80) == [m1.id]
    assert (one.refresher.kind, one.refresher.id) == ("quiz", QUIZ)

    # quiz: l-two.a (m1), l-one.a and l-one.b (m2); drills: l-one.a twice (m3, m4); the outsider counts nowhere
    assert [(c.clause_id, c.count) for c in data.clauses] == [("l-one.a", 3), ("l-one.b", 1), ("l-two.a", 1)]


def test_refresher_goes_to_members_below_the_threshold_once(db, dataset):
    m1, m2, _m3, _m4 = dataset["m"]
    with time_machine.travel(TODAY, tick=False):
        result = assign_refresher(dataset["leader"], dataset["team"], "l-one", local_today(), utcnow())
        db.session.commit()
        assert [e.id for e in result.weak] == [m2.id]
        created = result.outcome.created
        assert [(a.employee_id, a.activity_kind, a.activity_id, a.source, a.due_date) for a in created] == [
            (m2.id, "quiz", QUIZ, "refresher", dt.date(2026, 3, 17))]
        again = assign_refresher(dataset["leader"], dataset["team"], "l-one", local_today(), utcnow())
        db.session.commit()
        assert again.outcome.created == [] and [e.id for e in again.outcome.skipped] == [m2.id]


def test_refresher_button_on_the_page(client, db, dataset, login):
    with time_machine.travel(TODAY, tick=False):
        login(dataset["leader"])  # inside the travel: a cookie from "the future" is not accepted
        page = client.get("/training/team").get_data(as_text=True)
        assert "布置复训" in page
        response = client.post(f"/training/teams/{dataset['team'].id}/refresher", data={"lesson_id": "l-two"},
                               follow_redirects=True)
        assert response.status_code == 200
        assert "已布置给 1 人" in response.get_data(as_text=True)
        # a tampered topic is a message, not an error
        response = client.post(f"/training/teams/{dataset['team'].id}/refresher", data={"lesson_id": "nope"},
                               follow_redirects=True)
        assert response.status_code == 200 and "未知的主题" in response.get_data(as_text=True)
    refresher = db.session.scalars(select(Assignment).where(Assignment.source == "refresher")).all()
    assert [a.employee_id for a in refresher] == [dataset["m"][0].id]


def test_dashboard_page_shows_the_numbers(client, db, dataset, login):
    with time_machine.travel(TODAY, tick=False):
        login(dataset["leader"])
        page = client.get("/training/team").get_data(as_text=True)
    assert 'id="completion-rate">50.0%' in page
    assert 'id="overdue-count">2<' in page
    assert "l-one.a" in page and "/lessons/l-one#l-one.a" in page
    # one table: a matrix on wide screens, a card per member on phones (app.css .matrix-cards)
    assert "table-responsive" in page and "matrix-cards" in page and "d-md-none" not in page
    assert re.search(r"<td[^>]* data-label=\"[^\"]+\">", page)  # each assigned cell names its column on phones


def test_a_long_overdue_list_shows_the_most_late_and_counts_the_rest(client, db, dataset, login, monkeypatch):
    from app.training import dashboard

    monkeypatch.setattr(dashboard, "OVERDUE_SHOWN", 1)
    with time_machine.travel(TODAY, tick=False):
        login(dataset["leader"])
        page = client.get("/training/team").get_data(as_text=True)
    listed = page.split('id="overdue-list"', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li") == 1
    assert 'id="overdue-count">2<' in page  # the card still counts every overdue item
    assert 'id="overdue-more">另有 1 项逾期' in page


def test_dashboard_permissions(client, db, dataset, login, login_as, make_team):
    other_team = make_team()
    login(dataset["leader"])
    assert client.get(f"/training/team?team={other_team.id}").status_code == 403
    assert client.get("/training/team?team=999999").status_code == 404
    assert client.post(f"/training/teams/{other_team.id}/refresher", data={"lesson_id": "l-one"}).status_code == 403
    client.post("/logout")
    login(dataset["m"][0])
    assert client.get("/training/team").status_code == 403
    client.post("/logout")
    login_as(Role.HR)
    assert client.get(f"/training/team?team={dataset['team'].id}").status_code == 200


# --- no N+1: the query count does not grow with the team ----------------------------------------------

def _team_with_activity(make_team, make_employee, size: int):
    team = make_team()
    leader = _db.session.get(Employee, team.leader_id)
    members = [make_employee(team=team) for _ in range(size)]
    assign(leader, members, "quiz", QUIZ, local_today() - dt.timedelta(days=1))
    assign(leader, members, "course", COURSE, local_today() + dt.timedelta(days=5))
    assign(leader, members[::2], "scenario", SCENARIO, local_today() + dt.timedelta(days=9))
    _db.session.commit()
    for i, member in enumerate(members):
        if i % 3 == 0:
            add_result(member.id, "quiz", QUIZ, 50 + i % 50, utcnow() + dt.timedelta(seconds=1))
            add_attempt(member.id, QUIZ, started_at=utcnow(), finished_at=utcnow(),
                        items=[("l-one-q", 1.0), ("l-two-q", (i % 4) / 4)])
        if i % 5 == 0:
            read_lesson(member.id, "l-one", utcnow())
            add_drill_miss(member.id, "l-two.b", utcnow())
    return leader, team


def _count_queries(client, url: str) -> int:
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.usefixtures("steady_badge")
def test_dashboard_query_count_is_bounded_and_timed(app, client, db, make_team, make_employee, login):
    make_catalog()
    small_leader, small = _team_with_activity(make_team, make_employee, 5)
    big_leader, big = _team_with_activity(make_team, make_employee, 50)
    login(small_leader)
    client.get("/training/team")  # warm-up: reminders, caches
    small_count = _count_queries(client, "/training/team")
    client.post("/logout")
    login(big_leader)
    client.get("/training/team")
    big_count = _count_queries(client, "/training/team")
    page = client.get("/training/team").get_data(as_text=True)
    assert page.count('class="text-nowrap"><a href="/training/employees/') == 50
    assert big_count == small_count, (small_count, big_count)
    # 12 before the read models (one title query per kind present); now one titles query for every kind,
    # +1 for the certificates panel
    assert big_count <= 11, big_count

    # ten times the answers, misses and readings (and a crowd of other teams): still the same statements
    members = list(_db.session.scalars(select(Employee).where(Employee.team_id == big.id,
                                                              Employee.id != big_leader.id)))
    for round_ in range(10):
        for i, member in enumerate(members):
            add_result(member.id, "scenario", SCENARIO, (i * 7 + round_) % 100, utcnow())
            add_drill_miss(member.id, ("l-one.a", "l-two.b")[(i + round_) % 2], utcnow())
    for _ in range(5):
        _team_with_activity(make_team, make_employee, 20)
    assert _count_queries(client, "/training/team") == big_count

    # timing against a plain template page, in the same run: interleaved, medians (reported, loosely bounded)
    anonymous = app.test_client()
    dashboard_times, login_times = [], []
    for _ in range(30):
        for target, url, times in ((client, "/training/team", dashboard_times), (anonymous, "/login", login_times)):
            started = time.perf_counter()
            assert target.get(url).status_code == 200
            times.append(time.perf_counter() - started)
    dashboard_s, login_s = statistics.median(dashboard_times), statistics.median(login_times)
    ratio = dashboard_s / login_s
    print(f"\ndashboard (50 members): {big_count} queries, {dashboard_s * 1000:.1f} ms; "
          f"/login {login_s * 1000:.1f} ms; ratio {ratio:.1f}")
    assert ratio < 100


@pytest.mark.usefixtures("steady_badge")
def test_my_training_query_count_does_not_grow_with_the_history(client, db, make_team, make_employee, login):
    make_catalog()
    leader, team = _team_with_activity(make_team, make_employee, 3)
    me = _db.session.scalars(select(Employee).where(Employee.team_id == team.id, Employee.id != leader.id)).first()
    login(me)
    client.get("/training/")
    few = _count_queries(client, "/training/")
    for i in range(30):  # ten times the history: results, misses, more assignments
        add_result(me.id, "scenario", SCENARIO, i * 3, utcnow())
        add_drill_miss(me.id, "l-one.a", utcnow())
    assign(leader, [me], "quiz", "q-basic", local_today() + dt.timedelta(days=30))
    _db.session.commit()
    # the first page after a new notification recounts the bell once (the badge's session cache)
    assert _count_queries(client, "/training/") <= few + 1
    assert _count_queries(client, "/training/") == few
    assert few <= 19, few


def _form_fields(page: str, marker: str) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would send for the form holding ``marker``, in page order."""
    import re

    for form in re.findall(r"<form\b.*?</form>", page, flags=re.S):
        if marker in form:
            return [(re.search(r'name="([^"]*)"', tag).group(1),
                     (re.search(r'value="([^"]*)"', tag) or re.search("()", "")).group(1))
                    for tag in re.findall(r"<input\b[^>]*>", form) if 'name="' in tag]
    raise AssertionError(f"no form holding {marker!r}")


def test_refresher_button_posts_what_the_page_renders(client, db, dataset, login):
    """The button's form as rendered, submitted field for field (as a browser does): one lesson_id, accepted."""
    with time_machine.travel(TODAY, tick=False):
        login(dataset["leader"])
        page = client.get("/training/team").get_data(as_text=True)
        fields = _form_fields(page, 'value="l-two"')
        assert [name for name, _value in fields].count("lesson_id") == 1
        response = client.post(f"/training/teams/{dataset['team'].id}/refresher", data=MultiDict(fields),
                               follow_redirects=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "已布置给 1 人" in text and "表单已过期" not in text
    refresher = db.session.scalars(select(Assignment).where(Assignment.source == "refresher")).all()
    assert [a.employee_id for a in refresher] == [dataset["m"][0].id]
