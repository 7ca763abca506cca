"""`flask content lint` and the lint gate of `flask content check`: text and JSON output, exit
status with enforce true/false, --source, and --database (negative discrimination)."""

from __future__ import annotations

import json
import shutil

from app.content.loader import load_content
from app.quizzes.lint import LintConfig
from app.quizzes.lint.database import discrimination_findings
from tests.quizzes.lint_helpers import BAD, GOOD, copy_bank, line_of
from tests.quizzes.quiz_helpers import VALID
from tests.quizzes.test_quiz_item_stats import dataset  # noqa: F401 (fixture)


def _lint(runner, *args):
    return runner.invoke(args=["content", "lint", "--no-database", *args])


def test_check_passes_on_a_good_bank_with_enforce_true(runner):
    result = runner.invoke(args=["content", "check", str(GOOD)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:") and "warning" not in result.output


def test_check_fails_on_a_bad_bank_with_enforce_true(runner):
    result = runner.invoke(args=["content", "check", str(BAD)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "tests/fixtures/lint/bad/quizzes.yml:2: error: quiz desk-quiz: 75 % of the options of 5 " \
           "multiple-choice questions are keyed correct (between 35 % and 60 %)" in lines
    assert not any(": warning:" in line for line in lines)  # only errors on a failed check
    assert "lint error(s)" in result.output


def test_check_passes_with_warnings_when_enforce_is_false(runner, tmp_path):
    root = copy_bank(BAD, tmp_path, "enforce: false\n")
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ok:")
    assert any(line.endswith("warning: quiz desk-quiz: 0 % of 5 true/false statements are true "
                             "(between 40 % and 60 %)") for line in lines)
    assert "lint warning(s)" in lines[-1]


def test_check_fails_on_a_broken_lint_yml_even_when_not_enforced(runner, tmp_path):
    root = copy_bank(GOOD, tmp_path, "enforce: false\ntruefalse_true_share: 0.5\n")
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    assert any(line.endswith("lint.yml:2: 'truefalse_true_share' must be [low, high] with 0 ≤ low ≤ high ≤ 1")
               for line in result.output.splitlines()), result.output


def test_shipped_lint_yml_is_valid_and_enforced(app):
    """The rebalanced bank passes every threshold, so the gate is on: a regression fails CI."""
    from app.quizzes.lint import load_config

    config, problems = load_config(app.config["CONTENT_DIR"])
    assert problems == [] and config.enforce is True
    assert config.strategy_margin == 5 and config.near_duplicate_similarity == 0.8


def test_lint_text_output_and_exit_status(runner):
    bad = _lint(runner, str(BAD))
    assert bad.exit_code == 1
    assert "quizzes desk-quiz: chance 27.1 · longest 62.5" in bad.output
    assert bad.output.splitlines()[-1] == "17 error(s), 20 warning(s)"
    good = _lint(runner, str(GOOD))
    assert good.exit_code == 0 and good.output.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_lint_json(runner):
    result = _lint(runner, "--json", str(BAD))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 17 and data["warnings"] == 20
    finding = next(f for f in data["findings"] if f["code"] == "near-duplicate")
    questions = BAD / "questions" / "desk.md"
    assert finding == {"path": "tests/fixtures/lint/bad/questions/desk.md", "line": line_of(questions, "## desk-leave-copy"),
                       "severity": "error", "code": "near-duplicate", "message": finding["message"]}
    quiz = data["figures"]["quizzes"]["quizzes"]["desk-quiz"]
    assert quiz["path"] == "tests/fixtures/lint/bad/quizzes.yml" and quiz["pass_mark"] == 80
    assert set(quiz["scores"]) == {"chance", "longest", "shortest", "tick-all", "cue-words", "prompt-echo"}
    assert data["figures"]["quizzes"]["enforce"] is True


def test_lint_reports_content_problems_as_errors(runner, tmp_path):
    root = copy_bank(GOOD, tmp_path)
    (root / "questions" / "desk.md").write_text(
        (root / "questions" / "desk.md").read_text(encoding="utf-8").replace("cites: desk.rule.stand", "cites: desk.nope", 1),
        encoding="utf-8")
    result = _lint(runner, "--json", str(root))
    assert result.exit_code == 1
    assert any(f["code"] == "check" and "desk.nope" in f["message"] for f in json.loads(result.output)["findings"])


def test_lint_source_flags_copied_prose_outside_quotes(runner, tmp_path):
    source = tmp_path / "seed.txt"
    source.write_text("二、前台\n（1）接待规范由客户服务中心统一制定并负责解释和监督执行情况。\n"
                      "（2）问候语：“您好！欢迎光临物业服务中心，请问有什么可以帮您的吗？”\n", encoding="utf-8")
    result = _lint(runner, "--json", "--source", str(source), str(GOOD))
    assert result.exit_code == 0, result.output  # warnings only
    copied = [f for f in json.loads(result.output)["findings"] if f["code"] == "copied-prose"]
    lesson = GOOD / "lessons" / "desk.md"
    assert [(f["path"], f["line"], f["severity"]) for f in copied] == [
        ("tests/fixtures/lint/good/lessons/desk.md", line_of(lesson, "接待规范由"), "warning")]
    assert "27 Chinese characters copied from seed.txt" in copied[0]["message"]


def test_lint_source_on_the_real_seed_runs(runner):
    seed = "/work/shared/seeds/000_a46507ced6068b68.txt"
    import os

    if not os.path.exists(seed):
        return
    result = _lint(runner, "--json", "--source", seed)
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert all(f["severity"] == "warning" for f in findings)


def test_discrimination_findings_from_real_answers(db, dataset):  # noqa: F811
    content = load_content(VALID)
    findings = discrimination_findings(content, LintConfig(min_responses=5))
    assert [(f.code, f.severity) for f in findings] == [("negative-discrimination", "warning")]
    hangup = content.questions["phone-hangup"]
    assert (findings[0].path, findings[0].line) == (hangup.path, hangup.line)
    assert "phone-hangup: discrimination -0.87 over 5 responses" in findings[0].message
    assert discrimination_findings(content, LintConfig(min_responses=6)) == []


def test_lint_database_option(runner, dataset, tmp_path):  # noqa: F811
    root = tmp_path / "valid"
    shutil.copytree(VALID, root)
    (root / "lint.yml").write_text("min_responses: 5\nhard_questions_min: 0\n", encoding="utf-8")
    with_db = runner.invoke(args=["content", "lint", "--json", str(root)])  # a database is configured: automatic
    codes = [f["code"] for f in json.loads(with_db.output)["findings"]]
    assert "negative-discrimination" in codes
    without = runner.invoke(args=["content", "lint", "--json", "--no-database", str(root)])
    assert "negative-discrimination" not in [f["code"] for f in json.loads(without.output)["findings"]]
