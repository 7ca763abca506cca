"""Question types: validation at the right line, public views without keys, grading edge cases."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.content.loader import load_content
from app.content.validate import validate
from app.quizzes.answer_text import convert, normalise_phrase, parse_chinese_number, parse_quantity
from app.quizzes.question_types import (
    QuestionType,
    UnknownQuestionType,
    all_types,
    check_questions,
    get_type,
    register,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
VALID = FIXTURES / "valid"
BROKEN = sorted(p for p in (FIXTURES / "broken_types").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def content():
    return load_content(VALID, display_base=VALID)


@pytest.fixture(scope="module")
def specs(content) -> dict[str, dict]:
    return {qid: get_type(doc.type).parse(doc) for qid, doc in content.questions.items()}


def grade(qtype: str, spec: dict, *raw: str, order: list[int] | None = None) -> float:
    """Normalise raw form values the way the quiz engine will, then grade."""
    kind = get_type(qtype)
    return kind.grade(spec, kind.normalise_response(spec, list(raw), order))


# --- registry and validation ----------------------------------------------------------------------


def test_registry_holds_the_six_types():
    assert [t.name for t in all_types()] == ["single", "multiple", "truefalse", "ordering", "numeric", "phrase"]
    with pytest.raises(UnknownQuestionType):
        get_type("essay")
    with pytest.raises(ValueError):
        register(type("Again", (QuestionType,), {"name": "single"}))


def test_valid_fixture_passes_the_type_checks(content):
    assert validate(content, [check_questions]) == []


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_question_is_reported_at_its_line(case: Path, tmp_path: Path):
    root = tmp_path / "standards"
    shutil.copytree(VALID, root)
    shutil.copyfile(case / "questions" / "greet.md", root / "questions" / "greet.md")
    problems = [str(p) for p in validate(load_content(root, display_base=root), [check_questions])]
    expected = [row for row in (case / "EXPECTED").read_text(encoding="utf-8").splitlines() if row]
    assert len(problems) == len(expected), problems
    for row in expected:
        path, line, fragment = row.split(":", 2)
        assert any(p.startswith(f"{path}:{line}:") and fragment.strip() in p for p in problems), (row, problems)


# --- public views ---------------------------------------------------------------------------------


def test_public_view_never_contains_the_key(content, specs):
    rng = random.Random(4)
    for qid, spec in specs.items():
        kind = get_type(content.questions[qid].type)
        view = kind.public_view(spec, kind.make_option_order(spec, rng, shuffle=True))
        dumped = json.dumps(view, ensure_ascii=False)
        assert "key" not in view and "checked" not in dumped and "accept" not in dumped
        if kind.name == "phrase":
            assert "您好" not in dumped
        if kind.name == "numeric":
            assert view["unit_label"] in ("声", "厘米") and str(int(spec["key"])) not in dumped


def test_option_values_are_display_positions(specs):
    spec = specs["phone-rings"]
    view = get_type("single").public_view(spec, [2, 0, 1])
    assert view["options"] == [{"value": "0", "text": "第五声"}, {"value": "1", "text": "第一声"},
                               {"value": "2", "text": "第三声"}]
    assert grade("single", spec, "2", order=[2, 0, 1]) == 1.0


def test_ordering_is_never_shown_in_the_answer_order(specs):
    spec, kind = specs["phone-transfer-steps"], get_type("ordering")
    for seed in range(30):
        assert kind.make_option_order(spec, random.Random(seed), shuffle=False) != [0, 1, 2]
    with pytest.raises(ValueError):
        kind.public_view(spec, None)


def test_truefalse_view_is_fixed(specs):
    view = get_type("truefalse").public_view(specs["phone-hangup"])
    assert [o["value"] for o in view["options"]] == ["true", "false"]


# --- grading ----------------------------------------------------------------------------------------


def test_single(specs):
    spec = specs["phone-rings"]
    assert grade("single", spec, "1") == 1.0
    assert grade("single", spec, "0") == 0.0
    assert grade("single", spec) == 0.0
    assert grade("single", spec, "abc", "99", "-1") == 0.0
    assert get_type("single").grade(spec, True) == 0.0  # JSON true is not option 1


@pytest.mark.parametrize("picks, all_score, partial_score", [
    (["0", "1"], 1.0, 1.0),
    (["0"], 0.0, 0.5),
    (["0", "2"], 0.0, 0.0),
    (["0", "1", "2"], 0.0, 0.5),
    (["2"], 0.0, 0.0),  # never below zero
    ([], 0.0, 0.0),
    (["1", "1", "0"], 1.0, 1.0),  # repeats count once
])
def test_multiple_all_or_partial(specs, picks, all_score, partial_score):
    partial = specs["phone-polite"]
    assert partial["scoring"] == "partial"
    assert grade("multiple", {**partial, "scoring": "all"}, *picks) == all_score
    assert grade("multiple", partial, *picks) == pytest.approx(partial_score)


def test_truefalse(specs):
    spec = specs["phone-hangup"]
    assert grade("truefalse", spec, "false") == 1.0
    assert grade("truefalse", spec, "FALSE ") == 1.0
    assert grade("truefalse", spec, "true") == 0.0
    assert grade("truefalse", spec) == 0.0
    assert grade("truefalse", spec, "maybe") == 0.0


@pytest.mark.parametrize("answer, score", [
    (["0", "1", "2"], 1.0),
    (["1", "0", "2"], 2 / 3),  # one neighbour swap loses one pair of three
    (["2", "1", "0"], 0.0),
    (["0", "1"], 1 / 3),  # the missing item is wrongly placed
    (["0,1,2"], 1.0),  # one comma-separated value works too
    (["0，2，1"], 2 / 3),
    (["0", "0", "1", "2"], 1.0),
    ([], 0.0),
])
def test_ordering_pairwise(specs, answer, score):
    assert grade("ordering", specs["phone-transfer-steps"], *answer) == pytest.approx(score)


def test_ordering_maps_display_positions_through_the_order(specs):
    spec = specs["phone-transfer-steps"]
    order = [2, 0, 1]  # shown: 转接电话, 告知…, 向同事…
    assert grade("ordering", spec, "1", "2", "0", order=order) == 1.0


def test_ordering_pairwise_beats_adjacent_pairs_on_far_off_answers():
    spec = {"options": list("abcd"), "key": [0, 1, 2, 3]}
    far = get_type("ordering").grade(spec, [2, 3, 0, 1])
    near = get_type("ordering").grade(spec, [1, 0, 2, 3])
    assert far == pytest.approx(1 / 3) and near == pytest.approx(5 / 6)


@pytest.mark.parametrize("typed", ["3", "３", "三", "3声", "3 声", "３声", " 第三声 ", "三声之内", "3.0"])
def test_numeric_accepts_the_ways_people_type_three(specs, typed):
    assert grade("numeric", specs["phone-rings-number"], typed) == 1.0


@pytest.mark.parametrize("typed", ["4", "三次", "3天", "abc", "", "3声声", "nan", "inf"])
def test_numeric_rejects(specs, typed):
    assert grade("numeric", specs["phone-rings-number"], typed) == 0.0


@pytest.mark.parametrize("typed, score", [
    ("100", 1.0), ("110", 1.0), ("90", 1.0), ("110.0001", 0.0), ("89.9", 0.0),
    ("1米", 1.0), ("1.1 m", 1.0), ("1.2米", 0.0), ("一百零五厘米", 1.0), ("1000毫米", 1.0),
])
def test_numeric_tolerance_borders_and_units(specs, typed, score):
    assert grade("numeric", specs["greet-distance"], typed) == score


def test_numeric_converts_time_units_and_ignores_float_noise():
    spec = {"unit": "minutes", "key": 30.0, "tolerance": 0.0}
    assert grade("numeric", spec, "半小时") == 1.0
    assert grade("numeric", spec, "1800秒") == 1.0
    assert grade("numeric", {"unit": "percent", "key": 0.3, "tolerance": 0.0}, "0.1") == 0.0
    assert get_type("numeric").grade({"unit": "percent", "key": 0.3, "tolerance": 0.0}, str(0.1 + 0.2)) == 1.0
    assert grade("numeric", {"unit": "percent", "key": 80.0, "tolerance": 0.0}, "百分之八十") == 1.0
    assert grade("numeric", {"unit": "percent", "key": 80.0, "tolerance": 0.0}, "８０％") == 1.0


@pytest.mark.parametrize("typed, score", [
    ("您好", 1.0), ("您好！", 1.0), ("“你好”", 1.0), (" 您 好 ", 1.0), ("你好吗", 0.0), ("", 0.0), ("！！", 0.0),
])
def test_phrase(specs, typed, score):
    assert grade("phrase", specs["phone-greeting-phrase"], typed) == score


def test_phrase_folds_width_and_case():
    spec = {"key": ["Hello World"]}
    assert grade("phrase", spec, "ｈｅｌｌｏ，ｗｏｒｌｄ！") == 1.0
    assert grade("phrase", spec, "HELLO world.") == 1.0


def test_text_responses_are_trimmed_and_capped(specs):
    kind = get_type("phrase")
    assert kind.normalise_response(specs["phone-greeting-phrase"], ["  您好  "]) == "您好"
    assert kind.normalise_response(specs["phone-greeting-phrase"], []) is None
    assert len(kind.normalise_response(specs["phone-greeting-phrase"], ["字" * 1000])) == 200


def test_correct_answer_display(specs):
    shown = {qid: get_type(t).correct_answer_display(specs[qid]) for qid, t in [
        ("phone-rings", "single"), ("phone-polite", "multiple"), ("phone-hangup", "truefalse"),
        ("phone-transfer-steps", "ordering"), ("phone-rings-number", "numeric"), ("greet-distance", "numeric"),
        ("phone-greeting-phrase", "phrase")]}
    assert shown == {
        "phone-rings": "第三声", "phone-polite": "报出单位名称和工号；面带微笑", "phone-hangup": "错误",
        "phone-transfer-steps": "告知来电者需要转接 → 向同事说明来电事由 → 转接电话",
        "phone-rings-number": "3 声", "greet-distance": "100 厘米（±10）", "phone-greeting-phrase": "您好 / 你好",
    }


@given(raw=st.lists(st.text(max_size=12), max_size=6), order_seed=st.integers(0, 10))
def test_any_form_input_grades_between_zero_and_one(raw, order_seed):
    content = load_content(VALID, display_base=VALID)
    for doc in content.questions.values():
        kind = get_type(doc.type)
        spec = kind.parse(doc)
        order = kind.make_option_order(spec, random.Random(order_seed), shuffle=True)
        response = kind.normalise_response(spec, raw, order)
        json.dumps(response)
        assert 0.0 <= kind.grade(spec, response) <= 1.0


@given(response=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                             lambda inner: st.lists(inner, max_size=4), max_leaves=8))
def test_grade_survives_any_stored_response(response):
    content = load_content(VALID, display_base=VALID)
    for doc in content.questions.values():
        kind = get_type(doc.type)
        assert 0.0 <= kind.grade(kind.parse(doc), response) <= 1.0


# --- answer_text helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105),
                                         ("两千", 2000), ("三万五千", 35000)])
def test_chinese_numbers(text, value):
    assert parse_chinese_number(text) == value


def test_quantity_and_conversion():
    assert parse_quantity("３０分钟") == parse_quantity("30 min")
    assert convert(parse_quantity("2小时"), "minutes") == 120
    assert convert(parse_quantity("2次"), "minutes") is None
    assert parse_quantity("三声半") is None


def test_normalise_phrase():
    assert normalise_phrase("“您好！”  ") == normalise_phrase("您好") == "您好"
    assert normalise_phrase("ＡＢＣ　ｄ") == "abcd"
