"""The drill kinds as ActivityKinds (app/drills/*/kind.py): attributes, URLs and the SQL hooks."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import literal, select

from app.content.loader import load_content
from app.drills.common.tokens import new_token
from app.drills.complaint.services import submit_complaint
from app.drills.kinds import DRILL_KINDS, ComplaintKind, LanguageKind, ObservationKind, ScenarioKind
from app.drills.language.services import submit_language
from app.drills.models import Checklist, ComplaintExercise, LanguagePrompt, Scenario
from app.drills.observation.services import ItemMark, submit_observation
from app.drills.scenario.services import choose, start_run
from app.people.models import Employee
from app.results.kinds import COMPONENTS, ActivityKind
from tests.drills.drill_helpers import VALID

EXPECTED = {
    # key: (class, label in zh, component, catalog, position, performed by a supervisor)
    "scenario": (ScenarioKind, "情景演练", "practice", Scenario, 30, False),
    "complaint": (ComplaintKind, "投诉记录练习", "practice", ComplaintExercise, 40, False),
    "language": (LanguageKind, "礼貌用语练习", "practice", LanguagePrompt, 50, False),
    "observation": (ObservationKind, "现场观察考核", "observation", Checklist, 60, True),
}


def test_drill_kinds_in_order():
    assert DRILL_KINDS == (ScenarioKind, ComplaintKind, LanguageKind, ObservationKind)
    assert [k.key for k in DRILL_KINDS] == list(EXPECTED)
    assert all(issubclass(k, ActivityKind) for k in DRILL_KINDS)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_kind_attributes(app, key):
    cls, label, component, catalog, position, by_supervisor = EXPECTED[key]
    kind = cls()
    assert kind.key == key and len(kind.key) <= 16
    assert kind.component == component and component in COMPONENTS
    assert kind.catalog is catalog
    assert kind.position == position
    assert kind.performed_by_supervisor is by_supervisor
    with app.test_request_context():
        assert str(kind.label) == label


def test_kind_urls(app, db, drill_catalog):
    kinds = {cls.key: cls() for cls in DRILL_KINDS}
    assert kinds["scenario"].start_url("test-desk") is None  # no request: no URL
    with app.test_request_context():
        assert kinds["scenario"].start_url("test-desk") == "/drills/scenarios/test-desk"
        assert kinds["scenario"].review_url(7) == "/drills/runs/7/review"
        assert kinds["complaint"].start_url("test-leak") == "/drills/complaints/test-leak"
        assert kinds["complaint"].review_url(5) == "/drills/complaints/submissions/5"
        assert kinds["language"].start_url("test-answer") == "/drills/language/test-answer"
        assert kinds["language"].review_url(4) == "/drills/language/answers/4"
        assert kinds["observation"].start_url("test-grooming") == "/drills/observations/new?checklist=test-grooming"
        assert kinds["observation"].review_url(3) == "/drills/observations/3"


def test_catalog_items_content_ids_and_cited_clauses(db, drill_catalog):
    content = load_content(VALID, display_base=VALID)
    ids = {cls.key: cls().content_ids(content) for cls in DRILL_KINDS}
    assert ids == {"scenario": {"test-desk", "test-phone"}, "complaint": {"test-leak"},
                   "language": {"test-answer"}, "observation": {"test-grooming"}}
    scenario = ScenarioKind()
    assert [(i.id, i.title) for i in scenario.active_items()] == [
        ("test-desk", "测试场景：服务台"), ("test-phone", "测试场景：电话")]
    assert ObservationKind().cited_clauses("test-grooming") == [
        "phone.answer.rings", "phone.answer.greeting", "phone.close.thanks", "complaints.reception.apologise",
        "complaints.desk.sofa"]
    assert "complaints.desk.sofa" in scenario.cited_clauses("test-desk")
    assert "complaints.form.contact" in ComplaintKind().cited_clauses("test-leak")
    assert "language.generous.avoid" in LanguageKind().cited_clauses("test-answer")
    assert scenario.cited_clauses("no-such-scenario") == []


def _counts(db, kind: ActivityKind, employee_ids=None, since=None) -> dict[str, int]:
    return {clause_id: n for clause_id, n in db.session.execute(kind.wrong_clause_counts(employee_ids, since))}


def test_wrong_clause_counts_per_kind(db, drill_catalog, team_setup):
    member, other = team_setup["members"]
    for employee, path in ((member, [("a", 1), ("b", 1)]), (other, [("a", 1), ("b", 0), ("wrap", 0)])):
        run = start_run(employee, "test-desk")
        for position, (node, index) in enumerate(path):
            choose(run.id, employee.id, position, node, index)
    submit_language(member, "test-answer", "您好，没有", new_token())
    submit_complaint(member, "test-leak", {  # every part filled in (a blank form is refused); 不详 has no fact
        "time_place": "昨天晚上，1202 卫生间", "target": "上层住户", "account": "不详", "request": "请派人修理",
        "contact": "王先生 138-0013-1202", "severity": "important", "escalation": "dept-10min-manager-1h",
        "deadline": "3d", "approval": "gm", "callback": "same-day-all", "channel": "none"}, new_token())
    submit_observation(team_setup["lead"], member, "test-grooming",
                       {"rings": ItemMark("fail"), "greeting": ItemMark("pass"), "thanks": ItemMark("pass"),
                        "apologise": ItemMark("fail")}, new_token())
    db.session.commit()
    per_kind = {cls.key: _counts(db, cls()) for cls in DRILL_KINDS}
    assert per_kind["scenario"]["complaints.desk.sofa"] == 2      # two runs chose 站着听
    assert per_kind["scenario"]["complaints.form.account"] == 1   # a run's 不记录
    assert "complaints.form.contact" not in per_kind["scenario"]
    assert per_kind["complaint"]["complaints.form.account"] == 1  # the vague complaint field
    assert "complaints.form.time-place" not in per_kind["complaint"]
    assert per_kind["language"]["language.generous.avoid"] == 1  # 没有
    assert per_kind["observation"] == {"phone.answer.rings": 1, "complaints.reception.apologise": 1,
                                       "complaints.desk.sofa": 1}
    totals = Counter()
    for counts in per_kind.values():
        totals.update(counts)
    assert totals["complaints.desk.sofa"] == 3 and totals["complaints.form.account"] == 2
    assert _counts(db, ScenarioKind(), employee_ids=[other.id]) == {"complaints.desk.sofa": 1}
    assert _counts(db, ComplaintKind(), employee_ids=[other.id]) == {}
    assert all(_counts(db, cls(), since=dt.datetime(2100, 1, 1)) == {} for cls in DRILL_KINDS)


def test_in_progress_sql(db, drill_catalog, team_setup):
    member, other = team_setup["members"]
    kind = ScenarioKind()
    run = start_run(member, "test-desk")
    db.session.commit()

    def in_progress(employee_id: int, scenario_id: str) -> bool:
        return db.session.scalar(select(kind.in_progress_sql(literal(employee_id), literal(scenario_id))))

    assert in_progress(member.id, "test-desk")
    assert not in_progress(member.id, "test-phone")
    assert not in_progress(other.id, "test-desk")
    # correlated, as the upper floors use it: who has an open run of test-desk
    open_ids = db.session.scalars(select(Employee.id).where(kind.in_progress_sql(Employee.id, "test-desk"))).all()
    assert open_ids == [member.id]
    for position, (node, index) in enumerate([("a", 1), ("b", 1)]):
        choose(run.id, member.id, position, node, index)
    db.session.commit()
    assert run.finished and not in_progress(member.id, "test-desk")
    assert all(cls().in_progress_sql(member.id, "test-desk") is None for cls in DRILL_KINDS[1:])
