"""A lean request path: each page of a logged-in user runs a small, fixed number of SQL statements.

The same pages are counted on a small company and again after the data grew tenfold (more
employees, results, finished attempts, lesson reads, notifications, the user's own history); the
count must be small and must not change. The user is loaded once per request (Flask-Login's
loader), and the navbar badge costs one query.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import event, insert, select

from app.content.models import LessonProgress
from app.extensions import db as _db
from app.people.models import Employee, Role
from app.quizzes.attempts import start_attempt
from app.quizzes.models import Attempt, AttemptItem, AttemptState
from app.results.models import Result
from app.timeutil import local_today, utcnow
from app.training.assignments import assign
from tests.quizzes.quiz_helpers import post_data, right_answer

QUIZ = "appearance-quiz"
LESSON = "grooming"
COURSE_KIND, QUIZ_KIND = "course", "quiz"
_source = itertools.count(10_000_000)

#: upper bounds per page (statements, warm session); the exact figure is printed on failure
BOUNDS = {"lesson": 8, "quiz_page": 7, "autosave": 8, "my_training": 16, "handbook": 5, "search": 6}


class Counter:
    """SQL statements run on the engine while active; ``employee_loads`` counts SELECTs of employee by id."""

    def __init__(self):
        self.statements: list[str] = []

    def __enter__(self):
        event.listen(_db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(_db.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def employee_loads(self) -> int:
        return sum(1 for s in self.statements
                   if re.search(r"FROM employee\s+WHERE employee\.id = ", s) and s.lstrip().upper().startswith("SELECT"))

    def __len__(self):
        return len(self.statements)


def grow(template: Employee, n: int) -> None:
    """n more employees, each with a quiz result, a finished attempt with items, a lesson read; and n/10 more results and finished attempts of the user ``template`` itself."""
    now = utcnow()
    start_no = _db.session.scalar(select(Employee.id).order_by(Employee.id.desc()).limit(1)) + 1
    rows = [{"employee_no": f"G{start_no + i:06d}", "name": f"同事{start_no + i}", "position": "客服专员",
             "role": Role.TRAINEE.value, "password_hash": template.password_hash, "active": True,
             "must_change_password": False, "session_version": 1} for i in range(n)]
    _db.session.execute(insert(Employee), rows)
    ids = list(_db.session.scalars(select(Employee.id).where(Employee.employee_no.like("G%"))))[-n:]
    questions = list(_db.session.scalars(select(AttemptItem.question_id).distinct().limit(4)))
    owners = ids + [template.id] * max(1, n // 10)
    for k, employee_id in enumerate(owners):
        attempt = Attempt(employee_id=employee_id, quiz_id=QUIZ, number=100 + k, started_at=now, finished_at=now,
                          state=AttemptState.SUBMITTED.value, pass_mark=80, score=50.0)
        attempt.items = [AttemptItem(position=p + 1, question_id=q, question_version=1, qtype="single",
                                     spec={}, prompt_html="<p>?</p>", fraction=0.5) for p, q in enumerate(questions)]
        _db.session.add(attempt)
        _db.session.add(Result(employee_id=employee_id, kind=QUIZ_KIND, activity_id=QUIZ, source_id=next(_source),
                               score=50.0, passed=False, finished_at=now - dt.timedelta(minutes=k)))
    _db.session.execute(insert(LessonProgress), [
        {"employee_id": i, "lesson_id": LESSON, "content_hash": "h", "read_at": now} for i in ids])
    _db.session.commit()


@pytest.fixture()
def trainee(db, synced, make_employee, make_team, login):
    team = make_team()
    user = make_employee(team=team)
    leader = _db.session.get(Employee, team.leader_id)
    today = local_today()
    assign(leader, [user], QUIZ_KIND, QUIZ, today + dt.timedelta(days=3))
    assign(leader, [user], COURSE_KIND, "new-hire", today - dt.timedelta(days=1))
    _db.session.commit()
    attempt, _ = start_attempt(user.id, QUIZ)
    _db.session.commit()
    login(user)
    return user, attempt.id


def _pages(client, attempt_id: int):
    item = _db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id,
                                                        AttemptItem.position == 1))
    save = post_data((item, right_answer(item)), page="1", items="1")
    return {
        "lesson": lambda: client.get(f"/lessons/{LESSON}"),
        "quiz_page": lambda: client.get(f"/quizzes/attempts/{attempt_id}"),
        "autosave": lambda: client.post(f"/quizzes/attempts/{attempt_id}/save", data=save),
        "my_training": lambda: client.get("/training/"),
        "handbook": lambda: client.get("/handbook"),
        "search": lambda: client.get("/search?q=微笑"),
    }


def _count_all(client, attempt_id: int) -> dict[str, tuple[int, int]]:
    out = {}
    for name, call in _pages(client, attempt_id).items():
        call()  # warm: per-session work (reminders) and per-process caches are not the page's cost
        with Counter() as counter:
            response = call()
        assert response.status_code == 200, (name, response.status_code)
        out[name] = (len(counter), counter.employee_loads)
    return out


@pytest.mark.usefixtures("steady_badge")
def test_pages_run_a_small_fixed_number_of_queries(client, trainee):
    user, attempt_id = trainee
    grow(user, 20)
    small = _count_all(client, attempt_id)
    grow(user, 200)
    big = _count_all(client, attempt_id)
    print("\nqueries per page (small, 10x):", {k: (small[k][0], big[k][0]) for k in small})
    for name, (count, loads) in big.items():
        assert count <= BOUNDS[name], (name, count, BOUNDS[name])
        assert count == small[name][0], (name, small[name][0], count)
        assert loads == 1, (name, loads)  # the logged-in employee: loaded once per request


def test_the_navbar_badge_is_one_cheap_query_and_follows_changes(client, trainee):
    """The bell costs one statement of per-employee index lookups on a warm page, and still changes
    at once when a notification is read or a new one arrives."""
    from app.training.notifications import badge_version

    user, _ = trainee
    grow(user, 50)
    user_id = user.id
    _db.session.commit()
    with Counter() as counter:
        badge_version(user_id)
    selects = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, counter.statements
    assert "status" not in selects[0].lower() and "lesson.retired" not in selects[0]  # not the full status SQL
    client.get("/handbook")
    with Counter() as counter:
        page = client.get("/handbook").get_data(as_text=True)
    assert sum("FROM notification" in s for s in counter.statements) == 1
    badge = re.search(r'bg-danger">(\d+)<span', page)
    before = int(badge.group(1)) if badge else 0
    assert before >= 1  # the two assignments of the fixture notified the trainee
    assert client.post("/training/notifications/read").status_code in (200, 302, 303)
    page = client.get("/handbook").get_data(as_text=True)
    badge = re.search(r'bg-danger">(\d+)<span', page)
    assert badge is None or int(badge.group(1)) == 0


def test_logout_elsewhere_still_revokes_the_session(app, client, trainee):
    """The single load per request still checks the session version (logout everywhere)."""
    user, _ = trainee
    assert client.get("/training/").status_code == 200
    from app.auth.services import revoke_sessions

    revoke_sessions(_db.session.get(Employee, user.id))
    _db.session.commit()
    response = client.get("/training/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
