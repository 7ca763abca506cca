"""Export the shipped bank to GIFT / Moodle XML and import it back: the same questions.

Reads whatever bank is shipped in content/standards (it is being rewritten; nothing here names
a question of it), and checks the imported files pass `content check` in place of the originals.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from app.content.loader import load_content
from app.content.validate import validate
from app.quizzes.interchange.bank import export_bank, import_bank
from app.quizzes.question_types import check_questions, get_type

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "standards"


@pytest.fixture(scope="module")
def bank():
    content = load_content(SHIPPED)
    assert content.questions, "the shipped bank has questions"
    return content


def canonical(doc) -> dict:
    """Everything a question means: identity, type, answer key (the type's parsed spec), cites…"""
    return {
        "id": doc.id, "lesson": doc.lesson_id, "type": doc.type, "spec": get_type(doc.type).parse(doc),
        "cites": doc.cites, "difficulty": doc.difficulty, "tags": doc.tags, "prompt": doc.prompt,
        "options": [(o.text, o.checked) for o in doc.options], "numbered": doc.numbered,
        "explanation": doc.explanation,
    }


def reimported_root(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the shipped content root whose questions/ holds only the imported files."""
    root = tmp_path / "standards"
    shutil.copytree(SHIPPED, root)
    shutil.rmtree(root / "questions")
    (root / "questions").mkdir()
    for lesson, text in files.items():
        (root / "questions" / f"{lesson}.md").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_export_then_import_gives_the_same_questions(bank, tmp_path, fmt):
    text, count, skipped = export_bank(bank, fmt)
    assert (count, skipped) == (len(bank.questions), [])
    result = import_bank(text.encode("utf-8"), f"bank.{fmt}")
    assert result.not_converted == []
    assert [d.notes for d in result.drafts if d.notes] == []
    root = reimported_root(tmp_path, result.files)
    again = load_content(root)
    assert validate(again, [check_questions]) == []
    assert sorted(again.questions) == sorted(bank.questions)
    for question_id, doc in bank.questions.items():
        assert canonical(again.questions[question_id]) == canonical(doc), question_id


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_export_is_deterministic_and_lesson_filtered(bank, fmt):
    first, _, _ = export_bank(bank, fmt)
    assert export_bank(load_content(SHIPPED), fmt)[0] == first
    lesson = sorted(bank.lessons)[0]
    only, count, _ = export_bank(bank, fmt, lesson)
    assert count == sum(1 for q in bank.questions.values() if q.lesson_id == lesson)
    assert f"lesson:{lesson}" in only
    assert not any(f"lesson:{other}" in only for other in bank.lessons if other != lesson)


def test_moodle_xml_carries_types_weights_tags_and_feedback(bank):
    text, _, _ = export_bank(bank, "moodle-xml")
    root = SafeET.fromstring(text.encode("utf-8"))
    questions = {q.findtext("name/text"): q for q in root.findall("question") if q.get("type") != "category"}
    assert sorted(questions) == sorted(bank.questions)
    moodle_type = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
                   "numeric": "numerical", "phrase": "shortanswer", "ordering": "matching"}
    for doc in bank.questions.values():
        element = questions[doc.id]
        assert element.get("type") == moodle_type[doc.type]
        tags = [t.findtext("text") for t in element.findall("tags/tag")]
        assert tags[:1] == [f"lesson:{doc.lesson_id}"]
        assert [t for t in tags if t.startswith("clause:")] == [f"clause:{c}" for c in doc.cites]
        assert f"difficulty:{doc.difficulty}" in tags
        assert element.findtext("generalfeedback/text") == doc.explanation
        assert element.findtext("idnumber") == doc.id
        fractions = [float(a.get("fraction")) for a in element.findall("answer")]
        if doc.type == "multiple":
            assert element.findtext("single") == "false"
            assert abs(sum(f for f in fractions if f > 0) - 100) < 0.001
            assert all(f < 0 for f in fractions if f <= 0), "a wrong option must cost marks"
            assert_moodle_grades_like_us(doc, fractions)
        if doc.type == "numeric":
            assert element.find("answer/tolerance") is not None
            assert element.findtext("units/unit/unit_name")
        if doc.type == "ordering":
            assert [s.findtext("answer/text") for s in element.findall("subquestion")] == \
                [str(n) for n in range(1, len(doc.options) + 1)]


def moodle_grade(fractions: list[float], picked: set[int]) -> float:
    """Moodle's multi-answer grade: the sum of the picked fractions, kept within 0..1."""
    return min(1.0, max(0.0, sum(fractions[i] for i in picked) / 100))


def assert_moodle_grades_like_us(doc, fractions: list[float]) -> None:
    """scoring: partial → Moodle gives our grade for every possible set of ticks; scoring: all →
    the same for the right set, ticking everything and any set with a wrong tick (0)."""
    qtype = get_type("multiple")
    spec = qtype.parse(doc)
    key = set(spec["key"])
    for mask in range(1 << len(fractions)):
        picked = {i for i in range(len(fractions)) if mask >> i & 1}
        if spec["scoring"] == "partial" or picked == key or picked - key:
            assert moodle_grade(fractions, picked) == pytest.approx(qtype.grade(spec, sorted(picked)), abs=1e-4), \
                (doc.id, sorted(picked))


def test_gift_lists_every_question_with_id_and_tags_and_one_category_per_lesson(bank):
    text, _, _ = export_bank(bank, "gift")
    assert sorted(re.findall(r"^::(.+?)::", text, re.MULTILINE)) == sorted(bank.questions)
    assert re.findall(r"^\$CATEGORY: \$course\$/top/(.+)$", text, re.MULTILINE) == sorted(bank.lessons)
    for doc in bank.questions.values():
        assert f"[id:{doc.id}]" in text
        for clause in doc.cites:
            assert f"[tag:clause:{clause}]" in text
