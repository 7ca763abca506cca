"""The shipped onboarding plan (content/standards/onboarding.yml): what a front-desk manager signs.

At least 4 role-plays, 3 complaint records (desk, phone, forum), 5 language prompts and every
checklist over the first 30 days; each drill due after the lessons it cites have been read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content
from app.drills.drill_content import load_drills
from app.training.onboarding import parse_template

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards"


@pytest.fixture(scope="module")
def shipped():
    content = load_content(ROOT)
    drills = load_drills(content)
    template, problems = parse_template((ROOT / "onboarding.yml").read_text(encoding="utf-8"), "onboarding.yml")
    assert problems == []
    return content, drills, template.items


def cited_lessons(content, drills, kind: str, activity_id: str) -> set[str]:
    if kind == "quiz":
        quiz = content.quizzes[activity_id]
        return {rule.lesson for rule in quiz.draw if rule.lesson} | set(content.courses[quiz.course].lessons)
    docs = {"scenario": drills.scenarios, "complaint": drills.complaints, "language": drills.prompts,
            "observation": drills.checklists}[kind]
    doc = next(d for d in docs if d.id == activity_id)
    lessons = {cite.clause_id.split(".")[0] for cite in doc.cites}
    return lessons | {"complaints"} if kind == "complaint" else lessons  # the record's rules cite complaints.*


def test_the_new_hire_course_includes_the_service_desk_lessons(shipped):
    content, _drills, _items = shipped
    lessons = content.courses["new-hire"].lessons
    assert {"desk-service", "desk-ops"} <= set(lessons) and set(lessons) == set(content.lessons)


def test_the_plan_holds_enough_practice_and_every_checklist(shipped):
    _content, drills, items = shipped
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.activity_id)
    assert len(by_kind["scenario"]) >= 4
    assert len(by_kind["complaint"]) >= 3
    assert len(by_kind["language"]) >= 5
    assert set(by_kind["observation"]) == {c.id for c in drills.checklists} and "phone" in by_kind["observation"]
    channels = {d.channel for d in drills.complaints if d.id in by_kind["complaint"]}
    assert channels == {"desk", "phone", "forum"}
    assert "new-hire" in by_kind["course"] and "new-hire-final" in by_kind["quiz"]


def test_the_plan_spreads_over_the_first_30_days(shipped):
    _content, _drills, items = shipped
    days = [item.due_days for item in items]
    assert days == sorted(days)  # due days never go back
    assert max(days) == 30 and min(days) <= 7
    for low, high in ((0, 7), (7, 14), (14, 21), (21, 30)):  # something due in every week
        assert any(low < day <= high for day in days), (low, high)


def test_lessons_are_read_before_the_drills_on_them(shipped):
    content, drills, items = shipped
    read_by: dict[str, int] = {}
    for item in items:
        if item.kind == "course":
            for lesson in content.courses[item.activity_id].lessons:
                read_by.setdefault(lesson, item.due_days)
    assert set(read_by) == set(content.lessons)
    late = [(item.kind, item.activity_id, lesson)
            for item in items if item.kind != "course"
            for lesson in cited_lessons(content, drills, item.kind, item.activity_id)
            if read_by[lesson] > item.due_days]
    assert late == []
