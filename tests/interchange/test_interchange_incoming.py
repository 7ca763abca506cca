"""Moodle records from other banks → drafts: what converts, what is noted, what is refused."""

from __future__ import annotations

from app.content.question_parser import parse_question_file
from app.quizzes.interchange.incoming import Converter
from app.quizzes.interchange.markdown_writer import render_file
from app.quizzes.interchange.model import Answer, Draft, MoodleQuestion, NotConverted

TAGS = ["lesson:phone", "clause:phone.answer.rings", "difficulty:1"]


def convert(qtype: str, answers=(), **fields):
    question = MoodleQuestion(qtype, fields.pop("name", "phone-x"), fields.pop("text", "问题？"), where="f:1",
                              feedback="解析：……", answers=list(answers), tags=fields.pop("tags", TAGS), **fields)
    return Converter().convert(question)


def test_numerical_catch_all_is_not_noted_but_a_part_mark_answer_is():
    plain = convert("numerical", [Answer("3", 100, 0), Answer("*", 0)], units=["声"])
    assert isinstance(plain, Draft) and plain.notes == [] and plain.meta["unit"] == "rings"
    partial = convert("numerical", [Answer("3", 100, 0), Answer("4", 50, 0)], units=["声"])
    assert partial.notes == ["only the first 100% answer kept (one number and a tolerance here)"]


def test_numerical_without_a_known_unit_is_written_for_review():
    draft = convert("numerical", [Answer("3", 100)], units=["m"])
    assert draft.meta["unit"] == "TODO" and "Moodle units: m" in draft.notes[0]


def test_single_answer_with_part_marks_is_noted_and_two_full_answers_refused():
    draft = convert("multichoice", [Answer("甲", 100), Answer("乙", 50), Answer("丙", 0)])
    assert draft.options == [("甲", True), ("乙", False), ("丙", False)]
    assert "part marks for 1 other option(s) dropped" in draft.notes[0]
    refused = convert("multichoice", [Answer("甲", 100), Answer("乙", 100)])
    assert refused == NotConverted("f:1", "single-answer multichoice with 2 answers at 100%")


def test_multiple_answer_scoring_tag_wins_over_weights():
    draft = convert("multichoice", [Answer("甲", 50), Answer("乙", 50), Answer("丙", -100)], single=False,
                    tags=[*TAGS, "scoring:all"])
    assert "scoring" not in draft.meta and draft.notes == []  # all is the default, left out
    draft = convert("multichoice", [Answer("甲", 50), Answer("乙", 50), Answer("丙", -50)], single=False)
    assert draft.meta["scoring"] == "partial" and draft.notes == []


def test_refusals_name_the_reason():
    assert convert("shortanswer", [Answer("a|b", 100)]).reason.startswith("an accepted answer contains '|'")
    assert convert("truefalse", [Answer("true", 0), Answer("false", 0)]).reason == \
        "true/false question without exactly one right answer"
    assert convert("multichoice", [Answer("甲", 0), Answer("乙", 0)], single=False).reason == \
        "multiple-answer multichoice without any answer above 0%"
    assert convert("matching", pairs=[("甲", "1"), ("乙", "1")]).reason.startswith("matching question")
    assert convert("shortanswer", [Answer("a", 100)], text="  ").reason == "no question text"


def test_ids_are_slugs_made_unique():
    converter = Converter()
    first = converter.convert(MoodleQuestion("truefalse", "Q 1: 问候", "甲？", answers=[Answer("true", 100)], tags=TAGS))
    second = converter.convert(MoodleQuestion("truefalse", "Q 1: 问候", "乙？", answers=[Answer("true", 100)], tags=TAGS))
    assert (first.id, second.id) == ("phone-q-1", "phone-q-1-2")


def test_prompt_lines_the_parser_would_misread_are_escaped():
    prompt = "下面三点：\n- 第一\n1. 第二\n> 引用\n## 标题"
    draft = convert("truefalse", [Answer("true", 100), Answer("false", 0)], text=prompt)
    text = render_file("phone", [draft])
    docs, problems = parse_question_file(text.split("\n"), "phone.md", "phone")
    assert problems == []
    assert docs[0].options == [] and docs[0].explanation == "解析：……"
    assert docs[0].prompt == "下面三点：\n\\- 第一\n1\\. 第二\n\\> 引用\n\\## 标题"
