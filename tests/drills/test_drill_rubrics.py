"""Complaint-record and polite-language rubrics: synonyms, normalisation, banned phrases, pages."""

from __future__ import annotations

from sqlalchemy import func, select

from app.drills.common.textnorm import normalise
from app.drills.common.tokens import new_token
from app.drills.complaint.grading import grade_complaint
from app.drills.complaint.services import submit_complaint
from app.drills.language.grading import grade_answer
from app.drills.language.services import submit_language
from app.drills.models import (
    ComplaintExercise,
    ComplaintSubmission,
    DrillClauseMiss,
    LanguageAnswer,
    LanguagePrompt,
)
from app.results.models import Result

RIGHT_SELECTS = {"severity": "important", "escalation": "dept-10min-manager-1h", "deadline": "3d", "approval": "gm",
                 "callback": "same-day-all", "channel": "none"}
FULL = {"time_place": "昨天晚上，1202 卫生间", "target": "上层住户", "account": "洗手间渗水", "request": "请派人修理",
        "contact": "王先生 138-0013-1202", **RIGHT_SELECTS}


def test_normalise_folds_width_case_space_and_punctuation():
    assert normalise("您好！Ｎｏ. ０３６ ") == "您好no036"
    assert normalise("138-0013-1202") == "13800131202"


def test_complaint_full_marks_with_synonyms_and_full_width_digits(db, drill_catalog):
    spec = db.session.get(ComplaintExercise, "test-leak").spec
    grading = grade_complaint(spec, {**FULL, "contact": "１３８ ００１３ １２０２"})
    assert grading["score"] == 100.0
    assert [f["found"] for f in grading["fields"]] == [["昨天晚上", "1202"], ["上层"], ["渗水", "洗手间"], ["修理"],
                                                       ["13800131202"]]


def test_complaint_partial_fields_and_wrong_selects(db, drill_catalog):
    spec = db.session.get(ComplaintExercise, "test-leak").spec
    answers = {**FULL, "time_place": "昨晚", "account": "", "severity": "minor", "deadline": "3d",
               "escalation": "dept-10min", "approval": "", "callback": "", "channel": ""}
    grading = grade_complaint(spec, answers)
    fields = {f["code"]: f for f in grading["fields"]}
    assert fields["time_place"]["points"] == 5.0 and fields["time_place"]["missing"] == [["1202"]]
    assert fields["account"]["points"] == 0
    selects = {s["code"]: s for s in grading["selects"]}
    assert [selects[c]["correct"] for c in ("severity", "escalation", "deadline", "approval", "callback",
                                            "channel")] == [False, False, True, False, False, False]
    # 5 + 10 + 0 + 10 + 10 (fields) + 0 + 0 + 8 + 0 + 0 + 0 (selects)
    assert grading["score"] == 43.0


def test_language_required_elements_with_alternatives(db, drill_catalog):
    spec = db.session.get(LanguagePrompt, "test-answer").spec
    assert grade_answer(spec, "您好！××物业服务中心，工号036为您服务！")["score"] == 100.0
    result = grade_answer(spec, "你好，客服中心。")  # synonyms count; 工号 (2 of 4 points) missing
    assert result["score"] == 50.0
    assert [e["found"] for e in result["elements"]] == ["你好", "客服中心", None]


def test_language_banned_phrases_penalties_and_exceptions(db, drill_catalog):
    spec = db.session.get(LanguagePrompt, "test-answer").spec
    perfect = "您好，物业服务中心，工号036。"
    assert grade_answer(spec, perfect + "有没有别的事？")["score"] == 100.0   # 有没有 is allowed
    hit = grade_answer(spec, perfect + "这个没有。")
    assert hit["score"] == 80.0 and [b["phrase"] for b in hit["banned"]] == ["没有"]
    assert hit["banned"][0]["cites"][0]["text"] == "不说“没有”“我们不管”“您自己去问”。"
    twice = grade_answer(spec, perfect + "没有，没有，我们不管，喂？")   # each phrase once: 20 + 30 + 10
    assert twice["score"] == 40.0
    assert grade_answer(spec, "我们 不 管！没有！")["score"] == 0.0       # clamped at 0, spaces ignored


def test_submissions_write_results_misses_and_are_idempotent(db, drill_catalog, make_employee):
    trainee = make_employee()
    token = new_token()
    first = submit_complaint(trainee, "test-leak", {**FULL, "account": "不详"}, token)
    again = submit_complaint(trainee, "test-leak", FULL, token)  # a double submit of the same page
    db.session.commit()
    assert again.id == first.id and first.score == 90.0
    results = db.session.scalars(select(Result).where(Result.kind == "complaint")).all()
    assert [(r.activity_id, r.source_id, r.score) for r in results] == [("test-leak", first.id, 90.0)]
    misses = db.session.scalars(select(DrillClauseMiss.clause_id).where(DrillClauseMiss.kind == "complaint")).all()
    assert misses == ["complaints.form.account"]
    answer = submit_language(trainee, "test-answer", "喂，您好", new_token())
    db.session.commit()
    result = db.session.scalar(select(Result).where(Result.kind == "language"))
    assert (result.activity_id, result.source_id, result.score) == ("test-answer", answer.id, answer.score)
    assert answer.score == 15.0  # 1 of 4 points = 25, minus 10 for 喂


def test_complaint_pages_submit_and_explain(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    form = client.get("/drills/complaints/test-leak").get_data(as_text=True)
    assert "昨晚十点" in form and 'name="severity"' in form
    token = form.split('name="token" type="hidden" value="')[1][:32]
    response = client.post("/drills/complaints/test-leak", data={**FULL, "account": "不详", "token": token})
    submission = db.session.scalar(select(ComplaintSubmission))
    assert response.headers["Location"].endswith(f"/drills/complaints/submissions/{submission.id}")
    page = client.get(f"/drills/complaints/submissions/{submission.id}").get_data(as_text=True)
    assert "90" in page and "漏水 / 渗水" in page and "事件经过。" in page  # missing facts + quoted clause
    client.post("/drills/complaints/test-leak", data={**FULL, "token": token})  # double submit
    assert db.session.scalar(select(func.count()).select_from(ComplaintSubmission)) == 1
    tampered = client.post("/drills/complaints/test-leak", data={**FULL, "severity": "extreme", "token": new_token()})
    assert tampered.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(ComplaintSubmission)) == 1


def test_language_pages_submit_and_quote_the_clause(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    token = client.get("/drills/language/test-answer").get_data(as_text=True).split(
        'name="token" type="hidden" value="')[1][:32]
    empty = client.post("/drills/language/test-answer", data={"answer": "  ", "token": token})
    assert empty.status_code == 200
    response = client.post("/drills/language/test-answer", data={"answer": "你好，我们不管这个", "token": token})
    answer = db.session.scalar(select(LanguageAnswer))
    assert response.headers["Location"].endswith(f"/drills/language/answers/{answer.id}")
    page = client.get(f"/drills/language/answers/{answer.id}").get_data(as_text=True)
    assert "我们不管" in page and "不说“没有”“我们不管”“您自己去问”。" in page and "问候并报单位和工号。" in page
    assert answer.score == 0.0  # 25 − 30, clamped


def test_other_trainees_cannot_see_submissions(db, drill_catalog, client, login, make_employee):
    owner, other = make_employee(), make_employee()
    submission = submit_complaint(owner, "test-leak", FULL, new_token())
    answer = submit_language(owner, "test-answer", "您好", new_token())
    db.session.commit()
    login(other)
    assert client.get(f"/drills/complaints/submissions/{submission.id}").status_code == 403
    assert client.get(f"/drills/language/answers/{answer.id}").status_code == 403
    assert client.get("/drills/complaints/nope").status_code == 404
