"""The item-analysis read model: counters kept by the real submit, equal to a rebuild; the page
reads only them (a fixed number of statements whatever the number of responses) and pages 50
questions at a time with its filters kept."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from app.quizzes import item_counters
from app.quizzes.attempts import save_answers, start_attempt, submit_attempt
from app.quizzes.item_stats import PER_PAGE, item_analysis
from app.quizzes.models import Question, Quiz, QuizAnswerStat, QuizItemStat
from tests.quizzes.quiz_helpers import right_answer, wrong_answer
from tests.support.statements import recorded_statements

QUIZ = ""


def submit_random(employee_id: int, quiz_id: str, rng: random.Random) -> None:
    """One attempt through the services with random answers (right, wrong or none per item)."""
    attempt, _ = start_attempt(employee_id, quiz_id, rng=rng)
    answers = {}
    for item in attempt.items:
        choice = rng.choice(("right", "wrong", "none"))
        if choice != "none":
            answers[item.position] = right_answer(item) if choice == "right" else wrong_answer(item)
    save_answers(attempt.id, employee_id, answers)
    submit_attempt(attempt.id, employee_id)


def test_submits_keep_the_counters_equal_to_a_rebuild(db, small_bank, make_employee):
    rng = random.Random(7)
    for _ in range(6):
        submit_random(make_employee().id, "new-hire-check", rng)
    db.session.commit()
    incremental = item_counters.snapshot()
    assert incremental and any(row[0] == "quiz_answer_stat" for row in incremental)
    item_counters.rebuild()
    assert item_counters.snapshot() == incremental
    analysis = item_analysis("new-hire-check")
    assert analysis.attempts == 6
    assert all(s.responses == s.answered + s.unanswered for s in analysis.items)


def _statements(client, url: str) -> tuple[int, bytes]:
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert not [s for s in statements if "attempt_item" in s], "the page must not read the responses"
    return len(statements), response.data


@pytest.mark.usefixtures("steady_badge")
def test_page_statement_count_does_not_grow_with_responses(client, db, small_bank, make_employee, login_as):
    rng = random.Random(3)
    submit_random(make_employee().id, "new-hire-check", rng)
    db.session.commit()
    login_as("hr")
    client.get("/quizzes/item-analysis")  # warm-up
    few, _ = _statements(client, "/quizzes/item-analysis?quiz=new-hire-check")
    for _ in range(15):
        submit_random(make_employee().id, "new-hire-check", rng)
    db.session.commit()
    many, body = _statements(client, "/quizzes/item-analysis?quiz=new-hire-check")
    assert many == few <= 10
    assert "16 finished attempts" in body.decode() or "16 次" in body.decode()


def _fill_counters(db) -> list[str]:
    """Counter rows for every question of the shipped bank, under its first quiz (a read-model
    reader test: the rows are what submits would have written)."""
    global QUIZ
    QUIZ = db.session.scalar(select(Quiz.id).order_by(Quiz.position, Quiz.id))
    ids = list(db.session.scalars(select(Question.id).order_by(Question.id)))
    for index, question_id in enumerate(ids):
        n = 10 + index
        db.session.add(QuizItemStat(quiz_id=QUIZ, question_id=question_id, n=n, answered=n,
                                    unanswered=0, sx=(index % 10) * 1000 * n, sy=5000 * n, sxy=0, sxx=0, syy=0))
        db.session.add(QuizAnswerStat(quiz_id=QUIZ, question_id=question_id, answer_key="0", n=n))
    db.session.commit()
    return ids


def test_pages_of_fifty_questions_keep_quiz_and_sort(client, db, shipped_bank, login_as):
    ids = _fill_counters(db)
    assert len(ids) > 2 * PER_PAGE
    login_as("hr")
    first = client.get(f"/quizzes/item-analysis?quiz={QUIZ}&sort=responses")
    assert first.status_code == 200
    page_one = re.findall(r'data-question-id>([^<]+)<', first.data.decode())
    # sorted by responses (most first): the last questions of the id order come first
    assert page_one == list(reversed(ids))[:PER_PAGE]
    html = first.data.decode()
    assert "page=2" in html and f"quiz={QUIZ}" in html and "sort=responses" in html
    second = client.get(f"/quizzes/item-analysis?quiz={QUIZ}&sort=responses&page=2")
    page_two = re.findall(r'data-question-id>([^<]+)<', second.data.decode())
    assert page_two == list(reversed(ids))[PER_PAGE:2 * PER_PAGE]
    assert f"{len(ids)} " in second.data.decode()  # the count names all questions, not the page
    # the flag form sends the page back, and the redirect keeps quiz, sort and page
    assert 'name="page" value="2"' in second.data.decode()
    question_id = page_two[0]
    response = client.post(f"/quizzes/item-analysis/{question_id}/flag", data={
        "reason": "复核", "quiz": QUIZ, "sort": "responses", "page": "2"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "page=2" in location and "sort=responses" in location and f"quiz={QUIZ}" in location
    # past the last page: the last page; malformed or zero: a 400 naming the parameter
    last = client.get(f"/quizzes/item-analysis?quiz={QUIZ}&sort=responses&page=999")
    assert re.findall(r'data-question-id>([^<]+)<', last.data.decode()) == \
        list(reversed(ids))[((len(ids) - 1) // PER_PAGE) * PER_PAGE:]
    assert client.get("/quizzes/item-analysis?page=0").status_code == 400
    assert client.get("/quizzes/item-analysis?page=abc").status_code == 400


def test_page_is_small_with_the_whole_bank(client, db, shipped_bank, login_as):
    _fill_counters(db)
    login_as("hr")
    body = client.get("/quizzes/item-analysis").data
    assert body.count(b"data-question-id") == PER_PAGE
    assert len(body) < 150_000
