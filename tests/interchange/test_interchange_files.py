"""Hand-written GIFT and Moodle XML files (tests/fixtures/interchange) → Markdown question files.

Every input question is converted or reported with its place and a reason; what still needs the
author (no clause tag, no explanation) is written so that `content check` rejects it, and the
rest passes `content check` next to the lessons it cites (tests/fixtures/content/valid).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.content.loader import load_content
from app.content.validate import validate
from app.quizzes.interchange import gift
from app.quizzes.interchange.bank import import_bank
from app.quizzes.interchange.model import InterchangeError, MoodleQuestion
from app.quizzes.question_types import check_questions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = FIXTURES / "interchange"


def line_of(name: str, marker: str) -> int:
    lines = (FILES / name).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if marker in line)


def imported(name: str, lesson: str | None = None):
    result = import_bank((FILES / name).read_bytes(), name, lesson)
    return result, {d.id: d for d in result.drafts}


def check_next_to_valid_lessons(tmp_path: Path, files: dict[str, str]) -> list[str]:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "content" / "valid", root)
    (root / "quizzes.yml").unlink()  # its draw rules count the fixture's own questions
    for lesson, text in files.items():
        (root / "questions" / f"{lesson}.md").write_text(text, encoding="utf-8")
    content = load_content(root, display_base=root)
    return [str(p) for p in validate(content, [check_questions])]


# --- GIFT ----------------------------------------------------------------------------------------


def test_gift_escapes_every_type_and_categories():
    result, drafts = imported("handwritten.gift")
    escapes = drafts["phone-escapes"]
    assert escapes.prompt == "来电者说“请转 3:15 开会的张经理~”，总台在 {转接} 前先说什么？\n注意 a = b 与 #1。"
    assert escapes.options == [("“请稍等，我帮您转接。”", True), ("“等着。”", False), ("直接转接", False)]
    assert escapes.explanation == "解析：转接前先告诉来电者: 请稍等。"
    assert escapes.meta == {"type": "single", "cites": "phone.answer.transfer.tell", "difficulty": "2", "tags": "转接"}
    assert drafts["phone-rings-tf"].meta["answer"] == "true"
    assert drafts["phone-hangup-tf"].meta["answer"] == "false"
    assert drafts["phone-hangup-tf"].explanation == "解析：应等对方先挂断。"
    number = drafts["phone-rings-number"].meta
    assert (number["type"], number["answer"], number["tolerance"], number["unit"]) == ("numeric", "3", "0.5", "rings")
    distance = drafts["greet-distance"]
    assert (distance.meta["answer"], distance.meta["tolerance"], distance.meta["unit"]) == ("50", "10", "cm")
    assert distance.prompt == "问候时与住户大约保持多远（厘米）？" and distance.explanation == "解析：五十厘米左右。"
    phrase = drafts["phone-greeting-phrase"]
    assert phrase.meta["accept"] == "您好|您好！"
    assert phrase.notes == ["1 answer(s) with part marks dropped: a phrase is right or wrong"]
    polite = drafts["phone-polite"]
    assert (polite.meta["type"], polite.meta["scoring"], polite.notes) == ("multiple", "partial", [])
    assert polite.options == [("请", True), ("谢谢", True), ("喂", False), ("等着", False)]
    steps = drafts["phone-transfer-steps"]
    assert steps.meta["type"] == "ordering"
    assert [text for text, _ in steps.options] == ["告诉来电者要转接", "简要说明来电内容", "转接"]
    assert drafts["greet-badge"].prompt == "工牌应佩戴在_____前。"
    assert {d.lesson for d in result.drafts} == {"phone", "greet"}
    assert sorted(result.files) == ["greet", "phone"]


def test_gift_reports_every_question_it_cannot_convert_with_path_and_line():
    result, _ = imported("handwritten.gift")
    reported = {(item.where, item.reason.split(":")[0]) for item in result.not_converted}
    name = "handwritten.gift"
    assert reported == {
        (f"{name}:{line_of(name, '::phone-match::')}", "matching question"),
        (f"{name}:{line_of(name, '::phone-essay::')}", "essay question"),
        (f"{name}:{line_of(name, '这一部分考查电话礼仪')}", "description"),
        (f"{name}:{line_of(name, '::phone-broken::')}", "unbalanced braces"),
        (f"{name}:{line_of(name, '::phone-bad-number::')}", "numerical answer 'three' is not a number (write {#3}, {#3"),
    }
    blocks = sum(1 for block in (FILES / name).read_text(encoding="utf-8").split("\n\n")
                 if block.strip() and not all(line.startswith(("//", "$CATEGORY")) for line in block.strip().split("\n")))
    assert result.total == blocks == len(result.drafts) + len(result.not_converted) == 15


def test_gift_question_without_tags_is_written_so_content_check_rejects_it(tmp_path):
    result, drafts = imported("handwritten.gift")
    untagged = drafts["greet-q"]
    assert untagged.meta["cites"] == "TODO" and untagged.meta["difficulty"] == "2"
    assert len(untagged.notes) == 3 and "tag clause:<id> missing" in untagged.notes[0]
    lines = result.files["greet"].split("\n")
    heading, cites = lines.index("## greet-q") + 1, lines.index("cites: TODO") + 1
    # the valid fixture has its own greet.md (greet-badge, greet-distance): the imported file replaces it
    assert check_next_to_valid_lessons(tmp_path, result.files) == [
        f"questions/greet.md:{heading}: missing explanation: end the question with a '> 解析：…' quote",
        f"questions/greet.md:{cites}: cites unknown clause 'TODO'",
    ]


def test_lesson_option_puts_every_question_in_that_lesson():
    result, drafts = imported("handwritten.gift", lesson="phone")
    assert {d.lesson for d in result.drafts} == {"phone"}
    assert "phone-greet-badge" in drafts and "phone-escapes" in drafts
    assert list(result.files) == ["phone"]


# --- Moodle XML ----------------------------------------------------------------------------------


def test_moodle_xml_every_type_html_and_categories(tmp_path):
    result, drafts = imported("handwritten.xml")
    first = drafts["phone-colleague-out"]
    assert first.prompt == "来电者要找的同事不在，首先应该怎么做？"
    assert first.options == [("直接挂断", False), ("说明同事不在，并提出代为留言", True), ("让对方过会儿再打", False)]
    assert first.explanation == "解析：先说明情况 & 主动提出留言。"
    multi = drafts["phone-polite-multi"]
    assert multi.meta["scoring"] == "partial" and "Moodle weights (50, 50, 0)" in multi.notes[0]
    assert drafts["phone-hangup-first"].meta["answer"] == "false"
    assert drafts["phone-first-word"].meta["accept"] == "您好|你好"
    rings = drafts["phone-rings-count"].meta
    assert (rings["answer"], rings["unit"], "tolerance" in rings) == ("3", "rings", False)
    assert [t for t, _ in drafts["phone-transfer-order"].options] == ["告诉来电者要转接", "简要说明来电内容", "转接"]
    assert [t for t, _ in drafts["phone-end-order"].options] == ["道别", "等对方挂断", "轻放听筒"]
    assert drafts["imported-q"].lesson == "imported" and drafts["imported-q"].meta["cites"] == "TODO"
    reasons = {item.where: item.reason for item in result.not_converted}
    name = "handwritten.xml"
    essay, drag = line_of(name, 'type="essay"'), line_of(name, 'type="ddwtos"')
    fraction, wildcard = line_of(name, "phone-bad-fraction") - 1, line_of(name, "通配符") - 1
    assert reasons == {
        f"{name}:{essay}: question 'phone-hardest-call'": "essay question: no automatic grading",
        f"{name}:{drag}: question 'phone-drag'": "ddwtos question: no question type here to hold it",
        f"{name}:{fraction}: question 'phone-bad-fraction'": "answer fraction 'lots' is not a number",
        f"{name}:{wildcard}: question '通配符'": "short-answer with a '*' wildcard: accepted answers here are exact phrases",
    }
    raw = (FILES / name).read_text(encoding="utf-8")
    assert result.total == raw.count("<question type=") - raw.count('type="category"') == 12
    problems = check_next_to_valid_lessons(tmp_path, {"phone": result.files["phone"]})
    # the phone questions from the XML file pass content check (the valid fixture's own ids differ)
    assert problems == []


@pytest.mark.parametrize("name", ["entity_bomb.xml", "external_entity.xml"])
def test_xml_entity_tricks_are_refused(name):
    with pytest.raises(InterchangeError, match="refused: the XML declares a DTD or entities"):
        import_bank((FILES / name).read_bytes(), name)


def test_malformed_xml_names_the_line():
    with pytest.raises(InterchangeError, match=r"^malformed\.xml:4: malformed XML \(column \d+\): mismatched tag"):
        import_bank((FILES / "malformed.xml").read_bytes(), "malformed.xml")


def test_non_utf8_input_is_a_clear_error():
    data = "// 题库\n::a::电话铃响三声之内接听。{T}\n".encode("gbk")
    with pytest.raises(InterchangeError, match=r"^bank\.txt:1: not valid UTF-8 \(byte 0x[0-9a-f]{2}\): save the file as UTF-8"):
        import_bank(data, "bank.txt")


def test_not_moodle_xml_root_is_refused():
    with pytest.raises(InterchangeError, match="expected <quiz>"):
        import_bank(b"<html><body>hi</body></html>", "page.xml")


# --- GIFT escaping ---------------------------------------------------------------------------------

gift_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ue000\ue001\ue002\ue003"
                                  "\ue004\ue005\ue010"), min_size=1, max_size=40).filter(lambda t: t.strip() == t)


@given(prompt=gift_text, right=gift_text, wrong=gift_text, feedback=gift_text)
def test_any_text_survives_gift_escaping(prompt, right, wrong, feedback):
    question = MoodleQuestion("multichoice", "q-1", prompt, feedback=feedback, answers=[])
    from app.quizzes.interchange.model import Answer
    question.answers = [Answer(right, 100.0), Answer(wrong, 0.0)]
    text = gift.write([question])
    (read,) = gift.read(text, "t.gift")
    assert isinstance(read, MoodleQuestion), read
    assert (read.text, [a.text for a in read.answers], read.feedback) == (prompt, [right, wrong], feedback)
