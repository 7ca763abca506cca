"""Pass marks, attempt limits and cool-downs of drills; feedback that teaches without the answer key."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import func, select

from app.content.fields import Fields
from app.content.yaml_lines import load_yaml
from app.drills.common.errors import DrillError
from app.drills.common.policy import DEFAULTS, Policy, policy_of, read_policy
from app.drills.common.tokens import new_token
from app.drills.complaint.services import submit_complaint
from app.drills.language.services import submit_language
from app.drills.models import ComplaintSubmission, LanguagePrompt
from app.drills.scenario.services import choose, start_run
from app.results.models import Result
from tests.drills.test_drill_rubrics import FULL

UTC = dt.UTC
#: 2026-03-02 10:00 in Shanghai
T0 = dt.datetime(2026, 3, 2, 2, 0)
WEAK = {**FULL, "account": "不详", "request": "不详", "contact": "不详", "severity": "minor"}


def token_of(page: str) -> str:
    return page.split('name="token" type="hidden" value="')[1][:32]


def test_results_carry_passed_from_the_pass_mark(db, drill_catalog, make_employee):
    trainee = make_employee()
    strong = submit_complaint(trainee, "test-leak", {**FULL, "account": "不详"}, new_token(), now=T0)
    weak = submit_language(trainee, "test-answer", "喂，您好", new_token(), now=T0)
    db.session.commit()
    verdicts = {(r.kind, r.source_id): (r.score, r.passed) for r in db.session.scalars(select(Result))}
    assert verdicts[("complaint", strong.id)] == (90.0, True) and verdicts[("language", weak.id)] == (15.0, False)


def test_attempt_limit_and_cooldown_are_enforced(db, drill_catalog, make_employee):
    trainee = make_employee()
    submit_complaint(trainee, "test-leak", WEAK, new_token(), now=T0)
    with pytest.raises(DrillError) as refused:
        submit_complaint(trainee, "test-leak", FULL, new_token(), now=T0 + dt.timedelta(minutes=10))
    assert "2026-03-02 10:30" in str(refused.value.message)  # when the next attempt is allowed (site time)
    submit_complaint(trainee, "test-leak", WEAK, new_token(), now=T0 + dt.timedelta(minutes=31))
    submit_complaint(trainee, "test-leak", WEAK, new_token(), now=T0 + dt.timedelta(minutes=62))
    with pytest.raises(DrillError) as used_up:
        submit_complaint(trainee, "test-leak", FULL, new_token(), now=T0 + dt.timedelta(days=2))
    assert "3" in str(used_up.value.message)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ComplaintSubmission)) == 3
    # a double submit of a page already graded is not a new attempt
    token = new_token()
    other = make_employee()
    first = submit_complaint(other, "test-leak", WEAK, token, now=T0)
    assert submit_complaint(other, "test-leak", WEAK, token, now=T0 + dt.timedelta(minutes=1)).id == first.id


def test_scenario_runs_are_limited(db, drill_catalog, make_employee):
    trainee = make_employee()
    for _ in range(DEFAULTS["scenario"].max_attempts):
        run = start_run(trainee, "test-desk", now=T0)
        for position, (node, index) in enumerate([("a", 1), ("b", 1)]):  # 20: not passed
            choose(run.id, trainee.id, position, node, index, now=T0)
        db.session.commit()
    assert [r.passed for r in db.session.scalars(select(Result))] == [False, False, False]
    with pytest.raises(DrillError):
        start_run(trainee, "test-desk", now=T0)


def test_policy_from_the_file_and_its_problems():
    data, _warnings = load_yaml("pass_mark: 120\nmax_attempts: 0\ncooldown_minutes: 5\n")
    problems: list = []
    policy = read_policy(Fields(data, "x.yml", problems), "complaint")
    assert policy == Policy(pass_mark=80, max_attempts=None, cooldown_minutes=5)
    assert [(p.line, p.message) for p in problems] == [(1, "'pass_mark' must be between 0 and 100, not 120")]
    assert policy_of("language", {}) == DEFAULTS["language"]
    assert policy_of("observation", {"policy": {"pass_mark": 70, "max_attempts": None, "cooldown_minutes": 0}}
                     ).pass_mark == 70


def test_synced_spec_holds_the_policy(db, drill_catalog):
    spec = db.session.get(LanguagePrompt, "test-answer").spec
    assert spec["policy"] == {"pass_mark": 80, "max_attempts": 3, "cooldown_minutes": 30}


def test_blank_complaint_form_is_refused_naming_the_fields(db, drill_catalog, client, login, make_employee):
    login(make_employee())
    token = token_of(client.get("/drills/complaints/test-leak").get_data(as_text=True))
    response = client.post("/drills/complaints/test-leak", data={"time_place": "昨晚 1202", "target": "x",
                                                                  "token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请填写表单的每一部分" in page and "被投诉的部门或人员" in page and "住户的联系方式" in page
    assert "投诉级别" in page and "何时发生、在哪里" not in page.split("请填写表单的每一部分")[1].split("</div>")[0]
    assert "昨晚 1202" in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(ComplaintSubmission)) == 0
    assert db.session.scalar(select(func.count()).select_from(Result)) == 0


def test_result_page_hides_the_key_until_passed_or_used_up(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    with time_machine.travel(T0.replace(tzinfo=UTC), tick=False) as clock:
        login(trainee)
        form = client.get("/drills/complaints/test-leak").get_data(as_text=True)
        assert "及格线 80" in form and "还可尝试 3 次" in form
        client.post("/drills/complaints/test-leak", data={**WEAK, "token": token_of(form)})
        first = db.session.scalars(select(ComplaintSubmission)).all()[-1]
        page = client.get(f"/drills/complaints/submissions/{first.id}").get_data(as_text=True)
        assert 'id="key-hidden"' in page and "未通过" in page
        assert "事件经过。" in page  # the clause to reread is quoted
        assert "标准要求:" not in page and "例如" not in page  # no required choice, no sample answer
        assert not re.search(r"缺少[：:]", page)  # the missing facts themselves are not listed

        again = client.get("/drills/complaints/test-leak").get_data(as_text=True)
        assert "下一次尝试时间" in again  # the cool-down
        refused = client.post("/drills/complaints/test-leak", data={**FULL, "token": token_of(again)})
        assert refused.status_code == 200 and "请稍作休息" in refused.get_data(as_text=True)

        for minutes in (31, 62):
            clock.move_to((T0 + dt.timedelta(minutes=minutes)).replace(tzinfo=UTC))
            form = client.get("/drills/complaints/test-leak").get_data(as_text=True)
            posted = client.post("/drills/complaints/test-leak", data={**WEAK, "token": token_of(form)})
            assert posted.status_code == 302, posted.get_data(as_text=True)[-3000:]
        last = db.session.scalars(select(ComplaintSubmission).order_by(ComplaintSubmission.id)).all()[-1]
        assert last.id != first.id
        assert db.session.scalar(select(func.count()).select_from(ComplaintSubmission)) == 3
        page = client.get(f"/drills/complaints/submissions/{last.id}").get_data(as_text=True)
        assert 'id="key-hidden"' not in page
        assert "标准要求:" in page
        assert "没有剩余的尝试次数" in page, page[page.index('id="attempts-note"'):][:600]


def test_language_result_hides_the_model_answer_until_passed(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    weak = submit_language(trainee, "test-answer", "喂，您好", new_token(), now=T0)
    db.session.commit()
    page = client.get(f"/drills/language/answers/{weak.id}").get_data(as_text=True)
    model = db.session.get(LanguagePrompt, "test-answer").spec["model_answer"]
    assert 'id="key-hidden"' in page and "问候并报单位和工号。" in page
    assert (not model or model not in page) and "例如" not in page
