"""The registry hooks review and item analysis use (choice labels, picks, keys, summaries), the
form reader of the attempt page, and `flask quizzes expire`."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from app.quizzes.attempts import start_attempt
from app.quizzes.cli import quizzes_cli
from app.quizzes.forms import answers_from_form
from app.quizzes.models import AttemptItem
from app.quizzes.question_types import all_types, get_type

SINGLE = {"options": ["a", "b", "c"], "key": 1}
MULTIPLE = {"options": ["a", "b", "c", "d"], "key": [0, 2], "scoring": "partial"}
ORDERING = {"options": ["x", "y", "z"], "key": [0, 1, 2]}
NUMERIC = {"unit": "rings", "key": 3.0, "tolerance": 0.0}
PHRASE = {"key": ["您好", "你好"]}


def test_choice_hooks():
    single, multiple, tf = get_type("single"), get_type("multiple"), get_type("truefalse")
    assert single.choice_labels(SINGLE) == ["a", "b", "c"] and single.key_indices(SINGLE) == [1]
    assert single.picked(SINGLE, 2) == [2] and single.picked(SINGLE, 7) == [] and single.picked(SINGLE, True) == []
    assert multiple.picked(MULTIPLE, [3, 0, 0, 9]) == [0, 3] and multiple.key_indices(MULTIPLE) == [0, 2]
    assert tf.choice_labels({"key": False}) == ["正确", "错误"] and tf.key_indices({"key": False}) == [1]
    assert tf.picked({"key": False}, True) == [0] and tf.picked({"key": False}, "true") == []


@pytest.mark.parametrize("qtype, spec, response, summary", [
    ("single", SINGLE, 2, "2"),
    ("single", SINGLE, None, None),
    ("multiple", MULTIPLE, [2, 0], "0,2"),
    ("multiple", MULTIPLE, [], None),
    ("truefalse", {"key": True}, False, "1"),
    ("ordering", ORDERING, [2, 0, 1], "2,0,1"),
    ("numeric", NUMERIC, "三声", "3"),
    ("numeric", NUMERIC, "３", "3"),
    ("numeric", NUMERIC, "不知道", "不知道"),
    ("phrase", PHRASE, "“您好！”", "您好"),
    ("phrase", PHRASE, "！！", None),
])
def test_summaries_group_equivalent_answers(qtype, spec, response, summary):
    assert get_type(qtype).summarise(spec, response) == summary


@pytest.mark.parametrize("qtype, spec, summary, fraction", [
    ("ordering", ORDERING, "0,1,2", 1.0), ("ordering", ORDERING, "1,0,2", 2 / 3),
    ("numeric", NUMERIC, "3", 1.0), ("numeric", NUMERIC, "4", 0.0),
    ("phrase", PHRASE, "你好", 1.0), ("phrase", PHRASE, "喂", 0.0),
])
def test_summary_grade(qtype, spec, summary, fraction):
    assert get_type(qtype).summary_grade(spec, summary) == pytest.approx(fraction)


def test_no_answer_summarises_to_none_for_every_type():
    specs = {"single": SINGLE, "multiple": MULTIPLE, "truefalse": {"key": True}, "ordering": ORDERING,
             "numeric": NUMERIC, "phrase": PHRASE}
    assert {qtype.name for qtype in all_types()} == set(specs)
    for qtype in all_types():
        assert qtype.summarise(specs[qtype.name], None) is None


def _item(qtype: str, spec: dict, position: int, order=None) -> AttemptItem:
    return AttemptItem(position=position, qtype=qtype, spec=spec, option_order=order)


def test_answers_from_form_reads_only_the_posted_items():
    items = [_item("single", SINGLE, 1, [2, 0, 1]), _item("ordering", ORDERING, 2, [2, 0, 1]),
             _item("multiple", MULTIPLE, 3), _item("numeric", NUMERIC, 4)]
    form = MultiDict([("items", "1"), ("items", "2"), ("items", "3"), ("items", "99"), ("items", "x"),
                      ("q1", "0"), ("q2-0", "3"), ("q2-1", "1"), ("q2-2", "2"), ("q4", "3")])
    answers = answers_from_form(form, items)
    assert answers == {1: ["0"], 2: ["1", "2", "0"], 3: []}  # 4 was not on the posted page
    assert get_type("ordering").normalise_response(ORDERING, answers[2], [2, 0, 1]) == [0, 1, 2]


def test_answers_from_form_ignores_bad_ranks():
    items = [_item("ordering", ORDERING, 1, [1, 2, 0])]
    form = MultiDict([("items", "1"), ("q1-0", "9"), ("q1-1", "abc"), ("q1-2", "1")])
    assert answers_from_form(form, items) == {1: ["2"]}


def test_cli_expire(app, db, runner, make_employee, small_bank):
    employee = make_employee()
    start_attempt(employee.id, "new-hire-check", now=dt.datetime(2020, 1, 1))
    db.session.commit()
    result = runner.invoke(quizzes_cli, ["expire"])
    assert result.exit_code == 0 and "1 attempt(s) expired" in result.output
    assert "0 attempt(s)" in runner.invoke(quizzes_cli, ["expire"]).output
