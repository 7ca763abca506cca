"""Review: answers given, correct answers, explanations, links to the cited clauses, score and
pass/fail; only the owner, their supervisor, HR and admin may see it, and only once finished."""

from __future__ import annotations

import html
import re

from app.content.models import Clause
from app.quizzes.models import Attempt
from tests.quizzes.quiz_helpers import PASSWORD, post_data, right_answer, wrong_answer


def _finished_attempt(client, db, *, right=True) -> Attempt:
    attempt_id = int(client.post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    items = db.session.get(Attempt, attempt_id).items
    answers = [(item, right_answer(item) if right or item.position > 1 else wrong_answer(item)) for item in items]
    client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data(*answers))
    client.post(f"/quizzes/attempts/{attempt_id}/submit")
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def test_review_shows_answers_key_explanations_and_clause_links(client, db, login_as, small_bank):
    login_as("trainee")
    attempt = _finished_attempt(client, db, right=False)
    page = client.get(f"/quizzes/attempts/{attempt.id}/review")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "80.0" in text  # four of five right
    assert "Passed" in text or "通过" in text
    for item in attempt.items:
        assert item.explanation_html in text
        assert item.answer_html.split("；")[0].split(" → ")[0] in text
        for clause_id in item.cites:
            clause = db.session.get(Clause, clause_id)
            assert f'href="/lessons/{clause.lesson_id}#{clause_id}"' in text
            assert clause.text in text
    first = attempt.items[0]
    assert first.fraction == 0.0
    section = re.search(r'id="question-1".*?</section>', text, re.S).group(0)
    assert "Wrong" in section or "错误" in section or "Not answered" in section or "未作答" in section


def test_review_is_refused_before_submission(client, db, login_as, small_bank):
    login_as("trainee")
    attempt_id = int(client.post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    response = client.get(f"/quizzes/attempts/{attempt_id}/review")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}")


def _client_for(app, employee):
    client = app.test_client()
    client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    return client


def test_who_may_see_a_review(app, db, make_employee, make_team, small_bank):
    team = make_team()
    trainee = make_employee(team=team)
    attempt = _finished_attempt(_client_for(app, trainee), db)
    url = f"/quizzes/attempts/{attempt.id}/review"
    assert _client_for(app, team.leader).get(url).status_code == 200
    assert _client_for(app, make_employee(role="hr")).get(url).status_code == 200
    assert _client_for(app, make_employee(role="admin")).get(url).status_code == 200
    assert _client_for(app, make_employee()).get(url).status_code == 403
    other_leader = make_team().leader
    assert _client_for(app, other_leader).get(url).status_code == 403
    assert _client_for(app, team.leader).get("/quizzes/attempts/999999/review").status_code == 404


def test_supervisor_sees_an_attempt_in_progress_without_its_key(app, db, make_employee, make_team, small_bank):
    team = make_team()
    trainee = make_employee(team=team)
    client = _client_for(app, trainee)
    attempt_id = int(client.post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    page = _client_for(app, team.leader).get(f"/quizzes/attempts/{attempt_id}/review")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for item in db.session.get(Attempt, attempt_id).items:
        assert item.explanation_html not in text


def test_attempt_lists(app, db, make_employee, make_team, small_bank):
    team = make_team()
    trainee = make_employee(team=team, name="王小测")
    attempt = _finished_attempt(_client_for(app, trainee), db)
    leader = _client_for(app, team.leader)
    listing = leader.get("/quizzes/attempts/").get_data(as_text=True)
    assert "王小测" in listing and f"/quizzes/attempts/{attempt.id}/review" in listing
    assert leader.get(f"/quizzes/attempts/?employee={trainee.id}").status_code == 200
    outsider = make_employee()
    assert leader.get(f"/quizzes/attempts/?employee={outsider.id}").status_code == 403
    other = _client_for(app, make_team().leader).get("/quizzes/attempts/").get_data(as_text=True)
    assert "王小测" not in other
    mine = _client_for(app, trainee).get("/quizzes/").get_data(as_text=True)
    assert f"/quizzes/attempts/{attempt.id}/review" in mine and "100" in mine
