"""Draw rules: the database pool equals content's rule_pool, every rule gets its count, no repeats,
overlapping rules are matched, the least-seen questions come first, shuffling is per attempt."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from app.content.validate import rule_pool as content_rule_pool
from app.quizzes.attempts import start_attempt, submit_attempt
from app.quizzes.draw import candidates, match_slots, rule_pool
from app.quizzes.models import Question, Quiz


def test_database_pools_equal_the_content_contract(db, shipped_bank, shipped_content):
    pool = candidates()
    for quiz_doc in shipped_content.quizzes.values():
        quiz = db.session.get(Quiz, quiz_doc.id)
        for rule_doc, rule in zip(quiz_doc.draw, quiz.draw, strict=True):
            expected = {q.id for q in content_rule_pool(shipped_content, quiz_doc, rule_doc)}
            assert {q.id for q in rule_pool(quiz, rule, pool)} == expected, (quiz.id, rule)


def _lessons(db, attempt) -> Counter:
    return Counter(db.session.get(Question, item.question_id).lesson_id for item in attempt.items)


@pytest.mark.parametrize("seed", range(8))
def test_every_rule_gets_its_count_without_repeats(db, shipped_bank, make_employee, seed):
    employee = make_employee()
    attempt, created = start_attempt(employee.id, "new-hire-final", rng=random.Random(seed))
    assert created
    ids = [item.question_id for item in attempt.items]
    assert len(ids) == len(set(ids)) == 24
    lessons = _lessons(db, attempt)
    for lesson, count in {"grooming": 3, "posture": 3, "gestures": 3, "phone": 3, "language": 3,
                          "conduct": 2, "complaints": 4}.items():
        assert lessons[lesson] >= count
    questions = [db.session.get(Question, qid) for qid in ids]
    assert sum(1 for q in questions if "数字" in q.tags) >= 2
    assert any(q.difficulty == 3 for q in questions)
    assert [item.position for item in attempt.items] == list(range(1, 25))


def test_overlapping_rules_are_all_satisfied(db, small_bank, make_employee):
    """phone ×3, greet ×1 and (数字, difficulty 1) ×1: the last rule's only two questions are phone
    questions too, so a greedy phone draw could starve it."""
    for seed in range(30):
        employee = make_employee()
        attempt, _ = start_attempt(employee.id, "new-hire-check", rng=random.Random(seed))
        ids = {item.question_id for item in attempt.items}
        assert len(ids) == 5
        assert len(ids & {"phone-rings", "phone-rings-number"}) >= 1
        assert len({i for i in ids if i.startswith("phone-")}) == 4
        assert len({i for i in ids if i.startswith("greet-")}) == 1


def test_match_slots_finds_a_full_matching_and_keeps_preferences():
    preference = {q: (rank, 0) for rank, q in enumerate("abcd")}
    # slot 0 may take a or b, slot 1 only a: a greedy slot 0 would take a and starve slot 1
    assert match_slots([["a", "b"], ["a"]], preference) == ["b", "a"]
    assert match_slots([["a", "b", "c"], ["a", "b", "c"]], preference) == ["a", "b"]
    assert match_slots([["a"], ["a"]], preference).count(None) == 1


def test_least_seen_questions_are_drawn_first(db, small_bank, make_employee):
    """The quiz draws 5 of 8: after one attempt, the next one takes the 3 unseen questions."""
    employee = make_employee()
    first, _ = start_attempt(employee.id, "new-hire-check", rng=random.Random(1))
    submit_attempt(first.id, employee.id)
    seen = {item.question_id for item in first.items}
    second, _ = start_attempt(employee.id, "new-hire-check", rng=random.Random(2))
    drawn = {item.question_id for item in second.items}
    unseen = {q.id for q in candidates()} - seen
    assert unseen <= drawn


def test_retired_questions_are_not_drawn(db, small_bank, make_employee):
    db.session.get(Question, "greet-badge").retired = True
    db.session.commit()
    for seed in range(5):
        attempt, _ = start_attempt(make_employee().id, "new-hire-check", rng=random.Random(seed))
        assert "greet-badge" not in {item.question_id for item in attempt.items}


def test_shuffle_is_per_attempt_and_frozen(db, small_bank, make_employee):
    orders, option_orders = set(), set()
    for seed in range(10):
        attempt, _ = start_attempt(make_employee().id, "new-hire-check", rng=random.Random(seed))
        orders.add(tuple(item.question_id for item in attempt.items))
        for item in attempt.items:
            if item.qtype == "single" and item.question_id == "phone-rings":
                option_orders.add(tuple(item.option_order))
            if item.qtype == "ordering":
                assert item.option_order != sorted(item.option_order)
    assert len(orders) > 5 and len(option_orders) > 1


def test_without_shuffle_questions_keep_rule_order_and_options_their_order(db, small_bank, make_employee):
    quiz = db.session.get(Quiz, "new-hire-check")
    quiz.shuffle = False
    db.session.commit()
    attempt, _ = start_attempt(make_employee().id, "new-hire-check", rng=random.Random(3))
    lessons = [item.question_id.split("-")[0] for item in attempt.items]
    assert lessons[:4] == ["phone", "phone", "phone", "greet"]
    for item in attempt.items:
        assert item.option_order is None or item.qtype == "ordering"
