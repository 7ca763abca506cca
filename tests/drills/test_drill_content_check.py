"""`flask content check` on drill files: every validation class at its path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content
from app.content.validate import validate
from app.drills.content_plugin import check, stats
from tests.drills.drill_helpers import BROKEN, VALID, build_tree


def expected(case: Path) -> list[str]:
    return [row for row in (case / "EXPECTED").read_text(encoding="utf-8").splitlines() if row.strip()]


def test_valid_fixture_tree_has_no_problems():
    content = load_content(VALID, display_base=VALID)
    assert validate(content, [check]) == []


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_broken_fixture_reports_exact_path_and_line(case, tmp_path):
    root = build_tree(case, tmp_path)
    content = load_content(root, display_base=tmp_path)
    problems = [str(p) for p in validate(content, [check])]
    assert problems == expected(case)
    assert all(p.startswith("standards/") for p in problems)


def test_every_error_class_has_a_fixture():
    """The classes the issue lists, each covered by a broken fixture with a located message."""
    messages = "\n".join(row for case in BROKEN for row in expected(case))
    for fragment in ("is unreachable", "is a dead end", "points to unknown node", "loop with no way out",
                     "outside the declared score_range", "cites unknown clause", "duplicate key",
                     "invalid YAML", "duplicate item id", "duplicate element id", "must equal the file name",
                     "unknown key", "missing required key"):
        assert fragment in messages, fragment


def test_located_messages_name_the_line_of_the_broken_key(tmp_path):
    root = build_tree(None, tmp_path)
    scenario = root / "scenarios" / "test-desk.yml"
    lines = scenario.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "next: wrap" in line)
    lines[index] = lines[index].replace("wrap", "wrapp")
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate(load_content(root, display_base=tmp_path), [check])
    by_message = {p.message: p for p in problems}
    nowhere = next(p for m, p in by_message.items() if "points to unknown node 'wrapp'" in m)
    assert (nowhere.path, nowhere.line) == ("standards/scenarios/test-desk.yml", index + 1)
    unreachable = next(p for m, p in by_message.items() if "'wrap' is unreachable" in m)
    assert unreachable.line == next(i for i, line in enumerate(lines) if line == "  wrap:") + 1


def test_shipped_content_is_valid_and_large_enough(app):
    root = Path(app.config["CONTENT_DIR"])
    content = load_content(root)
    assert [str(p) for p in check(content)] == []
    counts = stats(content).counts
    assert counts["scenarios"] >= 8 and counts["complaint_exercises"] >= 5
    assert counts["language_prompts"] >= 10 and counts["checklists"] >= 4


def test_cli_check_prints_path_and_line_and_fails(runner, tmp_path, monkeypatch):
    case = next(c for c in BROKEN if c.name == "scenario-dead-end")
    root = build_tree(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    assert "standards/scenarios/test-phone.yml:21: node 'stuck' is a dead end" in result.output
