"""No leakage before submission: the attempt pages and the autosave JSON never carry the answer
key, the explanations or anything that tells the right option from the wrong ones."""

from __future__ import annotations

import re
import shutil

import pytest

from app.quizzes.models import Attempt
from tests.quizzes.quiz_helpers import VALID, post_data, right_answer, sync_root

SENTINEL_BANK = """---
lesson: phone
---
## phone-s-single
type: single
cites: phone.answer.rings
difficulty: 1
tags: 数字

单选：哪一项？

- [ ] WRONGOPT甲
- [x] CORRECTOPT乙
- [ ] WRONGOPT丙
- [ ] WRONGOPT丁

> 解析：EXPLAINSENTINEL1

## phone-s-multiple
type: multiple
cites: phone.answer.greeting
difficulty: 1

多选：哪些？

- [x] CORRECTOPT一
- [ ] WRONGOPT二
- [x] CORRECTOPT三
- [ ] WRONGOPT四

> 解析：EXPLAINSENTINEL2

## phone-s-truefalse
type: truefalse
answer: true
cites: phone.end.hangup
difficulty: 1

判断：这句话对吗？

> 解析：EXPLAINSENTINEL3

## phone-s-ordering
type: ordering
cites: phone.answer.transfer.tell
difficulty: 1

排序：

1. STEPAAA
2. STEPBBB
3. STEPCCC
4. STEPDDD

> 解析：EXPLAINSENTINEL4

## phone-s-numeric
type: numeric
unit: seconds
answer: 98765
cites: phone.answer.rings
difficulty: 1
tags: 数字

数字题：多少秒？

> 解析：EXPLAINSENTINEL5

## phone-s-phrase
type: phrase
accept: ACCEPTSENTINEL|ANOTHERACCEPT
cites: phone.answer.greeting
difficulty: 1

填空：说什么？

> 解析：EXPLAINSENTINEL6
"""

FORBIDDEN = ("EXPLAINSENTINEL", "ACCEPTSENTINEL", "ANOTHERACCEPT", "98765", "data-correct", "data-key",
             "is-correct", "解析")


@pytest.fixture()
def sentinel_bank(db, tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(VALID, root)
    (root / "questions" / "phone.md").write_text(SENTINEL_BANK, encoding="utf-8")
    (root / "quizzes.yml").write_text(
        "quizzes:\n  - id: new-hire-check\n    title: 哨兵测验\n    course: new-hire\n    pass_mark: 80\n"
        "    time_limit_minutes: 20\n    draw:\n      - {lesson: phone, count: 6}\n      - {lesson: greet, count: 2}\n",
        encoding="utf-8")
    return sync_root(root, db)


def _fieldsets(page: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(0) for m in re.finditer(r'<fieldset[^>]*data-position="(\d+)".*?</fieldset>', page, re.S)}


def _structure(block: str) -> str:
    """An option's markup with its text and its position-dependent ids/values blanked."""
    block = re.sub(r"<label([^>]*)>.*?</label>", r"<label\1>TEXT</label>", block, flags=re.S)
    return re.sub(r'(id|for|value|name)="[^"]*"', r'\1=""', block)


def test_attempt_page_carries_no_key_explanation_or_correctness(client, db, login_as, sentinel_bank):
    login_as("trainee")
    attempt_id = int(client.post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    attempt = db.session.get(Attempt, attempt_id)
    assert len(attempt.items) == 8
    for marker in FORBIDDEN:
        assert marker not in page, marker
    for item in attempt.items:
        assert item.explanation_html not in page
    hidden = set(re.findall(r'type="hidden" name="([^"]+)"', page))
    assert hidden == {"csrf_token", "page", "items"}
    for position, fieldset in _fieldsets(page).items():
        item = attempt.items[position - 1]
        values = re.findall(r'<input class="form-check-input"[^>]*value="([^"]*)"', fieldset)
        if item.qtype in ("single", "multiple"):
            assert values == [str(i) for i in range(len(values))]  # display positions, in order
            options = re.findall(r'<div class="form-check mb-2">.*?</div>', fieldset, re.S)
            assert len({_structure(o) for o in options}) == 1, options  # right and wrong look alike
            if item.question_id.startswith("phone-s-"):
                keys = item.spec["key"] if isinstance(item.spec["key"], list) else [item.spec["key"]]
                assert fieldset.count("CORRECTOPT") == len(keys)
        if item.qtype == "truefalse":
            assert values == ["true", "false"]
        if item.qtype == "ordering":
            shown = re.findall(r"STEP([A-D])", fieldset)
            assert shown != ["A", "B", "C", "D"] and sorted(shown) == ["A", "B", "C", "D"]


def test_autosave_answers_and_the_summary_reveal_nothing(client, db, login_as, sentinel_bank):
    login_as("trainee")
    attempt_id = int(client.post("/quizzes/new-hire-check/start").headers["Location"].rsplit("/", 1)[1])
    items = db.session.get(Attempt, attempt_id).items
    for item in items:
        response = client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data((item, right_answer(item))))
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        for marker in (*FORBIDDEN, "fraction", "correct", "score", "key"):
            assert marker not in body, (marker, body)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    summary = client.get(f"/quizzes/attempts/{attempt_id}/summary").get_data(as_text=True)
    typed = {"ACCEPTSENTINEL", "98765"}  # the trainee's own typed answers are shown back to them
    for text in (page, summary):
        for marker in set(FORBIDDEN) - typed:
            assert marker not in text, marker
    assert "ACCEPTSENTINEL" not in summary and "ANOTHERACCEPT" not in page
    assert client.get(f"/quizzes/attempts/{attempt_id}/review").status_code == 302


def test_shipped_quizzes_never_show_explanations_or_accepted_phrases(client, db, login_as, shipped_bank):
    login_as("trainee")
    for quiz_id in ("new-hire-final", "appearance-quiz", "communication-quiz", "complaints-quiz", "service-desk-quiz"):
        attempt_id = int(client.post(f"/quizzes/{quiz_id}/start").headers["Location"].rsplit("/", 1)[1])
        attempt = db.session.get(Attempt, attempt_id)
        pages = (len(attempt.items) + 4) // 5
        for number in range(1, pages + 1):
            page = client.get(f"/quizzes/attempts/{attempt_id}?page={number}").get_data(as_text=True)
            assert "解析" not in page
            for position, fieldset in _fieldsets(page).items():
                item = attempt.items[position - 1]
                assert item.explanation_html not in page
                if item.qtype == "phrase":
                    shown = item.prompt_html
                    for accepted in item.spec["key"]:
                        if accepted not in shown:
                            assert accepted not in fieldset, (item.question_id, accepted)
                if item.qtype == "ordering":
                    in_order = "".join(item.options_html)
                    assert in_order not in re.sub(r"<[^>]+>|\s", "", fieldset)
        client.post(f"/quizzes/attempts/{attempt_id}/submit")
