"""The item-writing linter as plain functions: every finding class at its path and line, the
figures, the blind strategies through the real graders, and lint.yml validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content
from app.content.plugins import ERROR, WARNING, LintRequest
from app.quizzes.lint import LintConfig, lint_content, lint_plugin, load_config
from app.quizzes.lint.overlap import copied_runs, source_index
from app.quizzes.lint.strategies import Context, expected, plays, prepare
from tests.quizzes.lint_helpers import BAD, GOOD, copy_bank, line_of

BAD_QUESTIONS = BAD / "questions" / "desk.md"


def _bad():
    content = load_content(BAD, display_base=BAD)
    config, problems = load_config(BAD, display_base=BAD)
    assert not content.problems and not problems
    return content, config


def _by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_good_bank_has_no_finding_and_plays_near_chance():
    content = load_content(GOOD, display_base=GOOD)
    config, problems = load_config(GOOD, display_base=GOOD)
    assert not problems and config.enforce
    report = lint_content(content, config)
    assert report.findings == []
    quiz = report.figures["quizzes"]["desk-quiz"]
    assert quiz["single"]["longest_key_share"] == pytest.approx(0.25)
    assert quiz["multiple"]["keyed_share"] == pytest.approx(0.5)
    assert quiz["truefalse"]["true_share"] == pytest.approx(0.5)
    for name, score in quiz["scores"].items():
        assert score <= quiz["scores"]["chance"] + 5, name


def test_aggregate_thresholds_fail_the_bad_bank_at_the_pool_lines():
    content, config = _bad()
    report = lint_content(content, config)
    errors = {(f.path, f.line, f.code) for f in report.findings if f.severity == ERROR}
    codes = ("blind-strategy", "longest-key-share", "multiple-keyed-share", "truefalse-true-share",
             "truefalse-cue-share", "cue-keyed-share")
    for code in codes:
        assert ("questions/desk.md", 2, code) in errors  # the bank: its `lesson:` line
        assert ("quizzes.yml", 2, code) in errors  # the quiz: its entry's line
    blind = {f.message.split("'")[1] for f in _by_code(report.findings, "blind-strategy") if f.path == "quizzes.yml"}
    assert blind == {"longest", "cue-words", "prompt-echo"}
    figures = report.figures["quizzes"]["desk-quiz"]
    assert figures["single"]["longest_key_share"] == 1.0
    assert figures["multiple"]["keyed_share"] == 0.75
    assert figures["truefalse"] == {"questions": 5, "true_share": 0.0, "cue_statements": 5, "cue_false_share": 1.0}
    assert figures["cue_options"]["keyed_share"] == 0.0
    assert figures["scores"]["cue-words"] == 100.0


def test_per_question_warnings_point_at_the_option_lines():
    content, config = _bad()
    findings = lint_content(content, config).findings
    longest = {(f.line, f.message.split(":")[0]) for f in _by_code(findings, "key-longest")}
    assert (line_of(BAD_QUESTIONS, "[x] 起立致意", after="## desk-first"), "desk-first") in longest
    assert len(longest) == 6
    cue = _by_code(findings, "cue-distractors")
    assert all(f.severity == WARNING and f.path == "questions/desk.md" for f in cue)
    assert line_of(BAD_QUESTIONS, "只要坐着招呼即可") in {f.line for f in cue}
    assert line_of(BAD_QUESTIONS, "随意倚靠台面") in {f.line for f in cue}
    echo = _by_code(findings, "prompt-echo")
    assert [(f.line, "访客离开" in f.message) for f in echo][0] == (
        line_of(BAD_QUESTIONS, "[x] 起身道别", after="## desk-leave"), True)


def test_near_duplicates_that_one_quiz_draws_are_errors():
    content, config = _bad()
    [dup] = _by_code(lint_content(content, config).findings, "near-duplicate")
    assert dup.severity == ERROR
    assert (dup.path, dup.line) == ("questions/desk.md", line_of(BAD_QUESTIONS, "## desk-leave-copy"))
    assert "desk-leave" in dup.message and "desk-quiz" in dup.message


def test_near_duplicates_no_quiz_draws_together_are_fine(tmp_path):
    root = copy_bank(BAD, tmp_path)
    bank = root / "questions" / "desk.md"
    text = bank.read_text(encoding="utf-8")
    head, tail = text.split("## desk-leave-copy")
    bank.write_text(head + "## desk-leave-copy" + tail.replace("difficulty: 1", "difficulty: 3", 1), encoding="utf-8")
    (root / "quizzes.yml").write_text(
        "quizzes:\n"
        "  - {id: easy-quiz, title: 易, course: desk-course, pass_mark: 80, draw: [{difficulty: 1, count: 5}]}\n"
        "  - {id: hard-quiz, title: 难, course: desk-course, pass_mark: 80, draw: [{difficulty: 3, count: 1}]}\n",
        encoding="utf-8")
    content = load_content(root, display_base=root)
    assert not content.problems
    config, _ = load_config(root)
    assert _by_code(lint_content(content, config).findings, "near-duplicate") == []


def test_hard_question_minimum_is_a_warning_at_lint_yml():
    content, config = _bad()
    [hard] = _by_code(lint_content(content, config).findings, "hard-questions")
    assert hard.severity == WARNING and (hard.path, hard.line) == ("lint.yml", 2)
    assert "0 hard questions" in hard.message


def test_enforce_false_downgrades_every_error(tmp_path):
    root = copy_bank(BAD, tmp_path, "enforce: false\n")
    report = lint_plugin(load_content(root), LintRequest())
    assert report.findings and not report.errors
    assert report.figures["enforce"] is False
    enforced = lint_plugin(load_content(BAD), LintRequest())
    assert enforced.errors and enforced.figures["enforce"] is True


def test_strategies_play_through_the_real_graders():
    content, config = _bad()
    context = Context(config.cue_words, truefalse_median=0)
    first = prepare(content.questions["desk-first"])
    assert expected(first, "chance", context) == pytest.approx(0.25)
    assert expected(first, "longest", context) == 1.0
    assert expected(first, "cue-words", context) == 1.0
    manners = prepare(content.questions["desk-manners"])  # scoring all, 3 of 4 keyed
    assert expected(manners, "chance", context) == pytest.approx(1 / 15)
    assert expected(manners, "tick-all", context) == 0.0
    assert plays(manners, "cue-words", context) == [(1.0, [0, 1, 2])]
    assert expected(manners, "cue-words", context) == 1.0
    statement = prepare(content.questions["desk-tf-sit"])
    assert expected(statement, "cue-words", context) == 1.0 and expected(statement, "tick-all", context) == 0.0
    with pytest.raises(ValueError):
        plays(first, "psychic", context)


def test_other_types_play_chance_whatever_the_strategy():
    content = load_content(Path(__file__).resolve().parents[1] / "fixtures" / "content" / "valid")
    context = Context(("只要",))
    items = {qid: prepare(doc) for qid, doc in content.questions.items()}
    numeric = next(i for i in items.values() if i and i.type == "numeric")
    assert {expected(numeric, name, context) for name in ("chance", "longest", "tick-all")} == {0.0}
    ordering = next((i for i in items.values() if i and i.type == "ordering"), None)
    if ordering is not None:
        assert expected(ordering, "longest", context) == pytest.approx(0.5)


def test_lint_yml_problems_have_path_and_line(tmp_path):
    root = copy_bank(GOOD, tmp_path, "enforce: maybe\nstrategy_margin: 500\nmultiple_keyed_share: [0.7, 0.2]\n"
                     "cue_words: [只要, '', 只要]\nbogus: 1\nhard_questions_min: -1\n")
    config, problems = load_config(root, display_base=root)
    messages = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert {line for line, _ in messages} == {1, 2, 3, 4, 5, 6}
    assert all(p.path == "lint.yml" for p in problems)
    assert any("duplicate cue word" in p.message for p in problems)
    assert config.enforce is False and config.strategy_margin == 5 and config.cue_words == ("只要",)
    broken = copy_bank(GOOD, tmp_path / "b", "enforce: [\n")
    _, problems = load_config(broken, display_base=broken)
    assert problems and problems[0].message.startswith("invalid YAML")


def test_missing_lint_yml_means_the_defaults(tmp_path):
    root = copy_bank(GOOD, tmp_path)
    (root / "lint.yml").unlink()
    config, problems = load_config(root)
    assert problems == [] and config == LintConfig(path=config.path)
    assert config.multiple_keyed_share == (0.35, 0.60) and "一律" in config.cue_words


def test_copied_runs_skip_quoted_model_phrases():
    source = "标准规定：接待规范由客户服务中心统一制定并负责解释和监督执行情况。问候语为“您好！欢迎光临物业服务中心，请问有什么可以帮您的吗？”"
    index = source_index(source, 20)
    lines = ["- 接待规范由客户服务中心统一制定并负责解释和监督执行情况。 {#desk.rule.owner}",
             "- 标准问候语：“您好！欢迎光临物业服务中心，请问有什么可以帮您的吗？”",
             "短句：由客户服务中心统一制定。"]
    runs = copied_runs(lines, index, 20, first_line=10)
    assert [(r.line, r.text) for r in runs] == [(10, "接待规范由客户服务中心统一制定并负责解释和监督执行情况")]
