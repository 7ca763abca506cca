"""Syncing the question bank and quizzes: rows, citations, rendered HTML, idempotence, retiring;
`content check` catching the authoring mistakes issue 4 lists; `content stats` contributions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from app.quizzes.models import Question, QuestionCitation, Quiz
from tests.quizzes.quiz_helpers import VALID, sync_root


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_shipped_bank_syncs_every_question_with_its_citations(db, shipped_bank, shipped_content):
    assert len(shipped_bank.added["question"]) == len(shipped_content.questions) >= 150
    assert _count(db, Question) == len(shipped_content.questions)
    cites = sum(len(set(q.cites)) for q in shipped_content.questions.values())
    assert _count(db, QuestionCitation) == cites
    assert {q.id for q in db.session.scalars(select(Quiz))} == set(shipped_content.quizzes)
    final = db.session.get(Quiz, "new-hire-final")
    assert (final.course_id, final.pass_mark, final.time_limit_minutes, final.max_attempts) == ("new-hire", 80, 30, 3)
    assert final.question_count == 24 and final.draw[0] == {"count": 3, "lesson": "grooming", "tag": None, "difficulty": None}


def test_rendered_html_is_stored_at_sync_time(db, small_bank):
    rings = db.session.get(Question, "phone-rings")
    assert rings.prompt_html == "电话铃响后，最迟应在第几声之内接起？"
    assert rings.options_html == ["第一声", "第三声", "第五声"]
    assert rings.explanation_html.startswith("解析：") and rings.answer_html == "第三声"
    assert rings.spec == {"options": ["第一声", "第三声", "第五声"], "key": 1}
    assert rings.cites == ["phone.answer.rings"] and rings.tags == ["数字"] and rings.difficulty == 1
    assert db.session.get(Question, "phone-hangup").options_html == ["正确", "错误"]


def test_second_sync_changes_nothing(db, small_bank):
    again = sync_root(VALID, db)
    assert again.is_noop
    assert (again.unchanged["question"], again.unchanged["quiz"]) == (8, 1)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(VALID, root)
    return root


def test_changed_question_gets_a_new_version_and_citations(db, small_bank, tmp_path):
    root = _copy(tmp_path)
    path = root / "questions" / "phone.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("cites: phone.answer.rings\ndifficulty: 1\ntags: 数字\n\n电话铃响后",
                        "cites: phone.answer.rings, phone.answer.smile\ndifficulty: 1\ntags: 数字\n\n<script>alert(1)</script>**电话**铃响后", 1)
    path.write_text(text, encoding="utf-8")
    report = sync_root(root, db)
    assert report.changed == {"question": ["phone-rings"]}
    row = db.session.get(Question, "phone-rings")
    assert row.version == 2 and row.cites == ["phone.answer.rings", "phone.answer.smile"]
    assert "<script>" not in row.prompt_html and "<strong>电话</strong>" in row.prompt_html


def test_removed_question_and_quiz_are_retired_not_deleted(db, small_bank, tmp_path):
    root = _copy(tmp_path)
    path = root / "questions" / "greet.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("## greet-distance")], encoding="utf-8")
    (root / "quizzes.yml").write_text("quizzes: []\n", encoding="utf-8")
    report = sync_root(root, db)
    assert report.retired == {"question": ["greet-distance"], "quiz": ["new-hire-check"]}
    assert db.session.get(Question, "greet-distance").retired
    assert db.session.get(Quiz, "new-hire-check").retired
    assert _count(db, Question) == 8
    back = sync_root(VALID, db)
    assert back.changed == {"question": ["greet-distance"], "quiz": ["new-hire-check"]}
    assert not db.session.get(Question, "greet-distance").retired


BROKEN_BANK = """---
lesson: phone
---
## phone-dup
type: single
cites: phone.answer.rings
difficulty: 1

重复的题目？

- [x] 是
- [ ] 否

> 解析：重复。

## phone-dup
type: single
cites: phone.answer.rings
difficulty: 1

重复的题目？

- [x] 是
- [ ] 否

> 解析：重复。

## phone-no-key
type: single
cites: phone.answer.rings
difficulty: 1

没有正确选项？

- [ ] 甲
- [ ] 乙

> 解析：无。

## phone-ghost
type: truefalse
answer: true
cites: phone.nowhere
difficulty: 1

引用了不存在的条款。

> 解析：无。

## phone-one-step
type: ordering
cites: phone.answer.transfer
difficulty: 2

只有一步的排序题。

1. 转接

> 解析：无。

## phone-no-unit
type: numeric
answer: 3
cites: phone.answer.rings
difficulty: 1

没有单位的数字题。

> 解析：无。
"""


def test_content_check_reports_the_authoring_mistakes(runner, tmp_path):
    root = _copy(tmp_path)
    (root / "questions" / "phone-extra.md").write_text(BROKEN_BANK, encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    out = result.output
    for fragment in ("duplicate", "exactly one [x]", "unknown clause 'phone.nowhere'",
                     "at least two items", "needs 'unit: …'"):
        assert fragment in out, (fragment, out)
    assert "phone-extra.md:" in out


def test_content_check_passes_on_the_shipped_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output


def test_content_stats_json_has_types_uncited_and_our_counts(runner, shipped_content):
    result = runner.invoke(args=["content", "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["questions"] == len(shipped_content.questions) >= 150
    assert set(data["questions_by_type"]) == {"single", "multiple", "truefalse", "ordering", "numeric", "phrase"}
    assert data["uncited_clauses"] == [] and data["uncited_count"] == 0
    assert sum(data["questions_by_difficulty"].values()) == data["questions"]
    assert set(data["questions_by_lesson"]) == set(shipped_content.lessons)
    assert data["quiz_questions"]["new-hire-final"] == 24
