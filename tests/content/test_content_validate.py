"""validate(): every broken fixture is reported at the right path and line, and nothing else.

Each folder under ``tests/fixtures/content/broken/`` is an overlay on the valid tree: its files
replace or add files, an optional ``DELETE`` lists files to remove, and ``EXPECTED`` lists the
exact problems as ``path:line: message fragment``. Adding an error class = adding a folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content.loader import Problem, load_content
from app.content.validate import rule_pool, uncited_clauses, validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
VALID = FIXTURES / "valid"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def build_tree(case: Path, tmp_path: Path) -> Path:
    """The valid tree with the case's files laid over it (and its DELETE list removed)."""
    root = tmp_path / "standards"
    shutil.copytree(VALID, root)
    for source in case.rglob("*"):
        relative = source.relative_to(case)
        if source.is_file() and relative.as_posix() not in ("EXPECTED", "DELETE"):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / relative)
    delete = case / "DELETE"
    for name in delete.read_text().split() if delete.exists() else []:
        (root / name).unlink()
    return root


def expected_problems(case: Path) -> list[tuple[str, int, str]]:
    rows = []
    for row in (case / "EXPECTED").read_text(encoding="utf-8").splitlines():
        if row.strip():
            path, line, fragment = row.split(":", 2)
            rows.append((path, int(line), fragment.strip()))
    return rows


def assert_reported(problems: list[Problem], expected: list[tuple[str, int, str]]) -> None:
    """Exactly the expected problems: same path, same line, message containing the fragment."""
    remaining = list(problems)
    for path, line, fragment in expected:
        match = next((p for p in remaining if (p.path, p.line) == (path, line) and fragment in p.message), None)
        assert match is not None, f"missing {path}:{line}: {fragment}\n got: {[str(p) for p in problems]}"
        remaining.remove(match)
    assert not remaining, f"unexpected: {[str(p) for p in remaining]}"


def test_valid_tree_has_no_problems():
    content = load_content(VALID, display_base=VALID)
    assert validate(content) == []


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_is_reported_at_its_line(case: Path, tmp_path: Path):
    root = build_tree(case, tmp_path)
    problems = validate(load_content(root, display_base=root))
    assert_reported(problems, expected_problems(case))


def test_problems_are_sorted_by_path_then_line(tmp_path: Path):
    root = build_tree(FIXTURES / "broken" / "missing_courses_file", tmp_path)
    problems = validate(load_content(root, display_base=root))
    assert problems == sorted(problems, key=lambda p: (p.path, p.line, p.message))
    assert [p.path for p in problems][0] == "courses.yml"


def test_extra_checkers_are_plugged_in():
    content = load_content(VALID, display_base=VALID)

    def no_hair(content):
        yield Problem("lessons/greet.md", 9, "hair is out of scope")

    assert [str(p) for p in validate(content, [no_hair])] == ["lessons/greet.md:9: hair is out of scope"]


def test_uncited_clauses_lists_items_only_in_document_order():
    content = load_content(VALID, display_base=VALID)
    assert uncited_clauses(content) == ["greet.look.hair"]
    assert uncited_clauses(content, extra_citations=["greet.look.hair"]) == []


def test_uncited_clauses_ignores_headings(tmp_path: Path):
    content = load_content(VALID, display_base=VALID)
    content.questions.clear()
    uncited = uncited_clauses(content)
    assert "phone.answer" not in uncited and "phone.answer.transfer" not in uncited
    assert uncited[:3] == ["greet.look.badge", "greet.look.hair", "greet.hello.distance"]


def test_rule_pool_scopes_by_lesson_course_tag_and_difficulty():
    content = load_content(VALID, display_base=VALID)
    quiz = content.quizzes["new-hire-check"]
    by_lesson, _greet, by_tag = (rule_pool(content, quiz, rule) for rule in quiz.draw)
    assert {q.lesson_id for q in by_lesson} == {"phone"}
    assert sorted(q.id for q in by_tag) == ["phone-rings", "phone-rings-number"]
