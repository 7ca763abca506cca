"""HR's "flag for review" on the item-analysis page (audited, idempotent, HR/admin only) and
`flask quizzes item-report --json` for the content team."""

from __future__ import annotations

import html
import json

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.quizzes import flags
from app.quizzes.models import QuestionFlag
from tests.quizzes.test_quiz_item_stats import dataset  # noqa: F401 (fixture)

URL = "/quizzes/item-analysis/phone-hangup/flag"


def _events(db, action="quizzes.question_flag"):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_hr_flags_a_question_audited_and_shown(client, db, login_as, dataset):  # noqa: F811
    hr = login_as("hr")
    response = client.post(URL, data={"reason": "区分度为负，核对答案", "quiz": "new-hire-check"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/quizzes/item-analysis?quiz=new-hire-check#item-phone-hangup")
    flag = db.session.scalar(select(QuestionFlag))
    assert (flag.question_id, flag.reason, flag.flagged_by_id) == ("phone-hangup", "区分度为负，核对答案", hr.id)
    [event] = _events(db)
    assert (event.actor_id, event.target, event.details) == (hr.id, "question:phone-hangup",
                                                             {"reason": "区分度为负，核对答案"})
    page = html.unescape(client.get("/quizzes/item-analysis?quiz=new-hire-check").get_data(as_text=True))
    assert "区分度为负，核对答案" in page
    assert "已标记待审" in page or "Flagged for review" in page


def test_double_submit_is_harmless(client, db, login_as, dataset):  # noqa: F811
    login_as("admin")
    for reason in ("第一次", "第二次"):
        assert client.post(URL, data={"reason": reason}).status_code == 302
    flags_ = list(db.session.scalars(select(QuestionFlag)))
    assert [(f.question_id, f.reason) for f in flags_] == [("phone-hangup", "第一次")]
    assert len(_events(db)) == 1


def test_trainee_gets_403(client, db, login_as, dataset):  # noqa: F811
    login_as("trainee")
    assert client.post(URL, data={"reason": "x"}).status_code == 403
    assert client.post("/quizzes/item-analysis/phone-hangup/unflag").status_code == 403
    assert db.session.scalar(select(QuestionFlag)) is None and _events(db) == []


def test_flag_needs_a_reason_and_a_known_question(client, db, login_as, dataset):  # noqa: F811
    login_as("hr")
    assert client.post(URL, data={"reason": "  "}).status_code == 302
    assert db.session.scalar(select(QuestionFlag)) is None
    assert client.post("/quizzes/item-analysis/no-such-question/flag", data={"reason": "x"}).status_code == 404


def test_clear_flag(client, db, login_as, dataset):  # noqa: F811
    hr = login_as("hr")
    client.post(URL, data={"reason": "待核对"})
    assert client.post("/quizzes/item-analysis/phone-hangup/unflag").status_code == 302
    assert db.session.scalar(select(QuestionFlag)) is None
    [event] = _events(db, "quizzes.question_unflag")
    assert event.actor_id == hr.id and event.details == {"reason": "待核对"}
    assert client.post("/quizzes/item-analysis/phone-hangup/unflag").status_code == 302  # nothing left: harmless
    assert len(_events(db, "quizzes.question_unflag")) == 1


def test_service_is_idempotent(db, dataset):  # noqa: F811
    first, created = flags.flag_question("phone-rings", "理由", actor_id=dataset[0].id)
    again, created_again = flags.flag_question("phone-rings", "另一个理由", actor_id=dataset[1].id)
    assert created and not created_again and again.id == first.id and again.reason == "理由"


def test_item_report_json(runner, db, dataset):  # noqa: F811
    flags.flag_question("phone-hangup", "区分度为负", actor_id=dataset[0].id)
    db.session.commit()
    result = runner.invoke(args=["quizzes", "item-report", "--json", "--quiz", "new-hire-check"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {row["id"]: row for row in data["questions"]}
    assert data["quiz"] == "new-hire-check"
    hangup = rows["phone-hangup"]
    assert (hangup["responses"], hangup["facility"], hangup["discrimination"]) == (5, 0.6, -0.866)
    assert hangup["negative_discrimination"] and hangup["flagged"] and hangup["flag_reason"] == "区分度为负"
    assert hangup["flagged_by"] == dataset[0].employee_no and hangup["source"].endswith(".md:" + hangup["source"].split(":")[-1])
    assert rows["phone-rings"]["discrimination"] == 0.683 and not rows["phone-rings"]["flagged"]
    unanswered = [row for row in rows.values() if row["responses"] == 0]
    assert unanswered and all(row["facility"] is None for row in unanswered)  # every active question is listed
    text = runner.invoke(args=["quizzes", "item-report"])
    assert "phone-hangup: 5 responses, facility 60%, r -0.87  FLAGGED: 区分度为负" in text.output
