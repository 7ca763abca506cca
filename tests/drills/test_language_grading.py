"""Issue 14 item 2: polite-language grading that matches the standard, on the shipped prompts.

The graded sample table (fixtures/language_samples.yml) is asserted against the real grader; the
rules behind it (the service-centre name, 工号 plus a number, phrase boundaries, per-prompt allowed
statements, one shared banned list) each have a test that fails if the rule is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.content.loader import load_content
from app.content.validate import validate
from app.drills.content_plugin import check
from app.drills.drill_content import load_drills
from app.drills.language.grading import grade_answer
from app.drills.language.spec import prompt_payload
from app.drills.models import LanguagePrompt
from bench.blind_drills import PASS_MARK, PromptFigures, check_prompts, language_figures
from tests.drills.drill_helpers import build_tree

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards"
SAMPLES = yaml.safe_load((Path(__file__).parent / "fixtures" / "language_samples.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped():
    content = load_content(ROOT)
    drills = load_drills(content)
    assert [str(p) for p in drills.problems] == []
    return drills, content.clause_index()


@pytest.fixture(scope="module")
def specs(shipped):
    drills, known = shipped
    return {doc.id: prompt_payload(doc, drills.common_banned, known) for doc in drills.prompts}


def _score(specs, prompt_id, answer, **kwargs):
    return grade_answer(specs[prompt_id], answer, **kwargs)["score"]


def test_at_least_16_prompts_each_with_a_graded_sample_table(specs):
    assert len(specs) >= 16
    assert set(SAMPLES) == set(specs)
    for prompt_id, rows in SAMPLES.items():
        scores = [r["max"] for r in rows]
        assert len(rows) >= 5, prompt_id
        assert any(r["min"] >= PASS_MARK for r in rows), f"{prompt_id}: no good sample"
        assert any(r["max"] < PASS_MARK for r in rows), f"{prompt_id}: no failing sample"
        assert min(scores) <= 40, f"{prompt_id}: no bad sample"


@pytest.mark.parametrize("prompt_id", sorted(SAMPLES))
def test_graded_samples_score_within_their_range(specs, prompt_id):
    wrong = []
    for row in SAMPLES[prompt_id]:
        score = _score(specs, prompt_id, row["answer"], centre=row.get("centre"))
        if not row["min"] <= score <= row["max"]:
            wrong.append(f"{row['answer']!r}: {score} not in [{row['min']}, {row['max']}]")
    assert wrong == []


def test_model_answers_score_100(shipped, specs):
    drills, _ = shipped
    assert {doc.id: _score(specs, doc.id, doc.model_answer) for doc in drills.prompts} == {
        doc.id: 100.0 for doc in drills.prompts}


def test_the_known_gaps_are_closed(specs):
    assert _score(specs, "phone-answer", "您好，物业，工号1，有什么事") < 50
    assert _score(specs, "colleague-absent", "他不在，请留言") < 50
    decline = grade_answer(specs["decline-request"], "对不起，因为有规定，建议您找家政，您的钥匙您收好。")
    assert {e["id"]: e["found"] for e in decline["elements"]}["honorific"] is None   # 您的 is not 请您/您看
    repair = grade_answer(specs["repair-report"], "您好，请问您的房号？我们马上派人。")
    assert {e["id"]: e["found"] for e in repair["elements"]}["ok"] is None             # 好 inside 您好
    assert {e["id"]: e["found"] for e in grade_answer(specs["repair-report"], "您好！好，马上派人。")["elements"]
            }["ok"] == "好"


def test_service_centre_name_comes_from_configuration(app, specs):
    answer = "您好！荣安物业服务中心，工号036为您提供服务！"
    assert _score(specs, "phone-answer", answer) == 75.0          # default: only ××物业服务中心
    app.config["COMPANY_SERVICE_CENTRE"] = "荣安物业服务中心"
    with app.app_context():
        assert _score(specs, "phone-answer", answer) == 100.0
        assert _score(specs, "phone-answer", "您好！××物业服务中心，工号×××为您提供服务！") == 100.0
        missing = grade_answer(specs["phone-answer"], "您好，服务中心，工号036为您提供服务")
        assert [e["any"] for e in missing["elements"] if not e["found"]] == [["荣安物业服务中心"]]


@pytest.mark.parametrize(("answer", "found"), [
    ("工号036", "工号036"), ("工号：036", "工号|036"), ("工号 ０３６", "工号036"), ("工号***", "工号×××"),
    ("工号×××", "工号×××"), ("工号", None), ("工号为您服务", None),
])
def test_staff_number_needs_a_number(specs, answer, found):
    result = grade_answer(specs["phone-answer"], f"您好！××物业服务中心，{answer}为您提供服务！")
    assert {e["id"]: e["found"] for e in result["elements"]}["staff-no"] == found


def test_allowed_statement_is_not_a_push_away_but_other_uses_still_are(specs):
    honest = "对不起，现在还没有确切的时间，我们正在联系供电局，有消息马上通知您。"
    assert grade_answer(specs["power-outage"], honest)["banned"] == []
    assert _score(specs, "power-outage", honest) == 100.0
    pushed = grade_answer(specs["power-outage"], "对不起，还没有确切的时间，没有办法，我们正在查询，再通知您。")
    assert [b["phrase"] for b in pushed["banned"]] == ["没有"]
    # the exception belongs to power-outage only
    assert [b["phrase"] for b in grade_answer(specs["close-call"], "还没有确切的时间")["banned"]] == ["没有"]


def test_one_banned_list_across_prompts(shipped, specs):
    drills, _ = shipped
    shared = {b.phrase: b.penalty for b in drills.common_banned}
    assert {"没有", "没办法", "不行", "我们不管", "您自己去问"} <= set(shared)
    for doc in drills.prompts:
        redefined = [b.phrase for b in doc.banned if b.phrase in shared]
        assert redefined == [], f"{doc.id} redefines shared phrases {redefined}: use allowed: instead"
        hits = grade_answer(specs[doc.id], "这个没办法。")["banned"]
        assert [(h["phrase"], h["penalty"]) for h in hits] == [("没办法", shared["没办法"])], doc.id


def test_synced_prompt_keeps_the_new_keys(db, app):
    from tests.drills.drill_helpers import sync_root
    sync_root(Path(app.config["CONTENT_DIR"]), db)
    spec = db.session.get(LanguagePrompt, "power-outage").spec
    assert "还没有确切的时间" in spec["allowed"]
    repair = db.session.get(LanguagePrompt, "repair-report").spec
    assert "您好" in next(e for e in repair["elements"] if e["id"] == "ok")["not_in"]


def test_unknown_placeholder_is_a_located_content_error(tmp_path):
    root = build_tree(None, tmp_path)
    prompt = root / "language-prompts" / "test-answer.yml"
    prompt.write_text(prompt.read_text(encoding="utf-8").replace("any: [工号]", 'any: ["工号{numbr}"]'),
                      encoding="utf-8")
    problems = [str(p) for p in validate(load_content(root, display_base=tmp_path), [check])]
    assert len(problems) == 1 and "unknown placeholder {numbr}" in problems[0]
    assert problems[0].startswith("standards/language-prompts/test-answer.yml:")


def test_every_prompt_defeats_the_blind_answers_not_only_the_mean(shipped):
    drills, known = shipped
    figures = language_figures(drills, known)
    assert len(figures) == len(drills.prompts) and check_prompts(figures) == []
    assert max(max(f.greeting, f.pasted) for f in figures) <= 50
    assert check_prompts([PromptFigures("easy", greeting=85.0, pasted=0.0, careful=100.0),
                          PromptFigures("close", greeting=0.0, pasted=70.0, careful=100.0)]) == [
        "language easy / a generic greeting: 85.0 against the model answer's 100.0",
        "language close / paste the prompt: 70.0 against the model answer's 100.0"]
