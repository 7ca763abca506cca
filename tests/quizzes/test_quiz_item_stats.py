"""Item analysis on a small dataset computed by hand (attempts written directly, then the counters
rebuilt). Also the quiz kind's wrong-answers-per-clause hook that the team dashboard composes."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db as _db
from app.quizzes import item_counters
from app.quizzes.activity_kind import QuizKind
from app.quizzes.item_stats import item_analysis, point_biserial
from app.quizzes.models import Attempt, AttemptItem, Question, Quiz
from app.quizzes.question_types import get_type

T0 = dt.datetime(2026, 4, 1, 2, 0)

#: score of attempts A1…A6 (quiz new-hire-check): six attempts, so the 27 % groups hold 2 each
SCORES = [100, 80, 60, 40, 20, 0]
#: question → response per attempt (None: not answered; missing: not drawn)
RESPONSES = {
    "phone-rings": [1, 1, 0, 1, 2, None],  # key 1 → fractions 1 1 0 1 0 0
    "phone-hangup": [True, True, False, False, False],  # key false → 0 0 1 1 1 (A6 did not get it)
    "phone-polite": [[0, 1]] * 6,  # everyone right: too easy
    "phone-greeting-phrase": ["您好", "喂", "喂", "喂", "喂", "hello"],  # 1 of 6: too hard
}


def _attempt(employee_id, quiz_id, number, score, state="submitted") -> Attempt:
    finished = state != "in_progress"
    return Attempt(employee_id=employee_id, quiz_id=quiz_id, number=number, state=state, pass_mark=80,
                   started_at=T0 + dt.timedelta(minutes=number), score=score if finished else None,
                   passed=(score >= 80) if finished else None,
                   finished_at=T0 + dt.timedelta(minutes=number + 10) if finished else None)


def _item(question: Question, position: int, response, graded: bool = True) -> AttemptItem:
    qtype = get_type(question.type)
    return AttemptItem(position=position, question_id=question.id, question_version=1, qtype=question.type,
                       spec=question.spec, prompt_html=question.prompt_html, options_html=question.options_html,
                       cites=question.cites, response=response, choice_key=qtype.summarise(question.spec, response),
                       fraction=qtype.grade(question.spec, response) if graded else None)


@pytest.fixture()
def dataset(db, small_bank, make_employee):
    questions = {q.id: q for q in db.session.scalars(db.select(Question))}
    employees = [make_employee() for _ in range(8)]
    for index, score in enumerate(SCORES):
        attempt = _attempt(employees[index].id, "new-hire-check", 1, score)
        for position, (question_id, responses) in enumerate(RESPONSES.items(), start=1):
            if index < len(responses):
                attempt.items.append(_item(questions[question_id], position, responses[index]))
        db.session.add(attempt)
    # an attempt in progress never counts, whatever it holds
    open_attempt = _attempt(employees[6].id, "new-hire-check", 1, 0, state="in_progress")
    open_attempt.items.append(_item(questions["phone-rings"], 1, 0, graded=False))
    db.session.add(open_attempt)
    # another quiz: its attempts are ranked among themselves
    db.session.add(Quiz(id="other-quiz", title="另一测验", pass_mark=60, draw=[], content_hash="x"))
    other = _attempt(employees[7].id, "other-quiz", 1, 50)
    other.items.append(_item(questions["greet-badge"], 1, 1))  # key 0: wrong
    db.session.add(other)
    db.session.flush()
    item_counters.rebuild()  # the attempts were written directly, not through finish_attempt
    db.session.commit()
    return employees


def test_hand_computed_statistics(db, dataset):
    analysis = item_analysis("new-hire-check")
    stats = {s.question_id: s for s in analysis.items}
    assert set(stats) == set(RESPONSES) and analysis.attempts == 6 and analysis.mean_score == pytest.approx(50)

    rings = stats["phone-rings"]
    assert (rings.responses, rings.answered, rings.unanswered) == (6, 5, 1)
    assert rings.facility == pytest.approx(0.5)
    # x = 1 1 0 1 0 0, y = 100 80 60 40 20 0: r = 420 / sqrt(9 × 42000); the discrimination is r
    assert rings.point_biserial == pytest.approx(420 / (9 * 42000) ** 0.5) == pytest.approx(0.6831, abs=1e-4)
    assert rings.discrimination == rings.point_biserial
    assert [(a.count, a.correct) for a in rings.distribution] == [(1, False), (3, True), (1, False)]
    assert [a.label for a in rings.distribution] == ["第一声", "第三声", "第五声"]
    assert not rings.flagged

    hangup = stats["phone-hangup"]
    assert hangup.responses == 5 and hangup.facility == pytest.approx(0.6)
    assert hangup.discrimination == hangup.point_biserial == pytest.approx(-300 / (6 * 20000) ** 0.5) == pytest.approx(-0.8660, abs=1e-4)
    assert hangup.negative_discrimination and not hangup.too_easy and not hangup.too_hard
    assert [(a.label, a.count, a.correct) for a in hangup.distribution] == [("正确", 2, False), ("错误", 3, True)]

    polite = stats["phone-polite"]
    assert polite.facility == 1.0 and polite.too_easy
    assert polite.point_biserial is None and polite.discrimination is None  # constant x: r undefined
    assert not polite.negative_discrimination
    assert [(a.count, a.correct) for a in polite.distribution] == [(6, True), (6, True), (0, False)]

    phrase = stats["phone-greeting-phrase"]
    assert phrase.facility == pytest.approx(1 / 6) and phrase.too_hard
    # x = 1 0 0 0 0 0 against y: r = (6·100 − 300) / sqrt((6 − 1)(6·22000 − 300²))
    assert phrase.discrimination == pytest.approx(300 / (5 * 42000) ** 0.5)
    assert [(a.label, a.count, a.correct) for a in phrase.distribution] == [("喂", 4, False), ("hello", 1, False), ("您好", 1, True)]


def test_all_quizzes_add_the_counters_of_each_quiz(db, dataset):
    analysis = item_analysis()
    stats = {s.question_id: s for s in analysis.items}
    assert analysis.attempts == 7 and analysis.mean_score == pytest.approx(350 / 7)
    badge = stats["greet-badge"]  # one response: no correlation
    assert (badge.responses, badge.facility, badge.discrimination) == (1, 0.0, None)
    assert stats["phone-rings"].discrimination == pytest.approx(0.6831, abs=1e-4)


def test_point_biserial_edge_cases():
    assert point_biserial(0, 0, 0, 0, 0, 0) is None
    assert point_biserial(1, 1, 50, 50, 1, 2500) is None
    assert point_biserial(2, 1, 100, 100, 1, 10000) == pytest.approx(1.0)


def _wrong_counts(employee_ids=None, since=None) -> dict[str, int]:
    return dict(_db.session.execute(QuizKind().wrong_clause_counts(employee_ids, since)).all())


def test_quiz_kind_counts_wrong_answers_per_clause(db, dataset):
    """The quiz's ActivityKind hook the team dashboard composes: finished answers below full marks."""
    everyone = _wrong_counts()
    assert everyone["phone.answer.greeting"] == 5 and everyone["phone.answer.rings"] == 3
    assert everyone["phone.end.hangup"] == 2
    assert "greet.look.badge" in everyone and "phone.answer.smile" not in everyone
    first_two = _wrong_counts([dataset[0].id, dataset[1].id])  # A1 and A2
    assert first_two == {"phone.end.hangup": 2, "phone.answer.greeting": 1}
    assert _wrong_counts([dataset[0].id], since=T0 + dt.timedelta(days=1)) == {}
