"""The drill-kind registry other layers build on, and the drills home page."""

from __future__ import annotations

import datetime as dt

from app.drills.exercise_services import new_token, submit_complaint, submit_language
from app.drills.observation_services import ItemMark, submit_observation
from app.drills.registry import all_kinds, clause_wrong_counts, get_kind, kind_for_result
from app.drills.scenario_services import choose, start_run
from app.people.models import Role
from app.results.models import ResultKind


def test_registry_lists_four_kinds_with_items_and_urls(app, db, drill_catalog):
    kinds = {kind.name: kind for kind in all_kinds()}
    assert list(kinds) == ["scenario", "complaint", "language", "observation"]
    assert kind_for_result(ResultKind.LANGUAGE) is kinds["language"]
    assert get_kind("scenario").result_kind is ResultKind.SCENARIO
    assert [(i.id, i.title) for i in kinds["scenario"].active_items()] == [
        ("test-desk", "测试场景：服务台"), ("test-phone", "测试场景：电话")]
    with app.test_request_context():
        assert kinds["scenario"].start_url("test-desk") == "/drills/scenarios/test-desk"
        assert kinds["complaint"].review_url(5) == "/drills/complaints/submissions/5"
        assert kinds["language"].start_url("test-answer") == "/drills/language/test-answer"
        assert kinds["observation"].review_url(3) == "/drills/observations/3"
        assert str(kinds["observation"].label) == "观察检查表"


def test_clause_wrong_counts_aggregates_every_kind(db, drill_catalog, team_setup):
    member, other = team_setup["members"]
    for employee, path in ((member, [("a", 1), ("b", 1)]), (other, [("a", 1), ("b", 0), ("wrap", 0)])):
        run = start_run(employee, "test-desk")
        for position, (node, index) in enumerate(path):
            choose(run.id, employee.id, position, node, index)
    submit_language(member, "test-answer", "您好，没有", new_token())
    submit_complaint(member, "test-leak", {"time_place": "昨晚 1202"}, new_token())
    submit_observation(team_setup["lead"], member, "test-grooming",
                       {"rings": ItemMark("fail"), "greeting": ItemMark("pass"), "thanks": ItemMark("pass"),
                        "apologise": ItemMark("fail")}, new_token())
    db.session.commit()
    counts = dict(clause_wrong_counts())
    assert counts["complaints.desk.sofa"] == 2 + 1      # two runs chose 站着听, one failed observation item
    assert counts["complaints.form.account"] == 1 + 1   # a run's 不记录 and the empty complaint field
    assert counts["language.generous.avoid"] == 1       # 没有
    assert counts["phone.answer.rings"] == 1
    assert "complaints.form.contact" not in {c for c, _ in clause_wrong_counts(kinds=["scenario"])}
    mine = dict(clause_wrong_counts(employee_ids=[other.id]))
    assert mine == {"complaints.desk.sofa": 1}
    assert clause_wrong_counts(since=dt.datetime(2100, 1, 1)) == []
    assert clause_wrong_counts()[0] == ("complaints.desk.sofa", 3)


def test_drill_list_shows_every_kind_and_last_scores(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    submit_language(trainee, "test-answer", "您好，物业服务中心，工号036", new_token())
    db.session.commit()
    login(trainee)
    page = client.get("/drills/").get_data(as_text=True)
    for text in ("测试场景：服务台", "测试练习：楼上漏水", "测试练习：接电话", "测试检查表"):
        assert text in page
    assert ">100<" in page and "/drills/language/answers/" in page
    assert "/drills/observations/new" not in page  # trainees do not observe


def test_drill_list_offers_supervisors_the_observation_entry(db, drill_catalog, client, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/drills/").get_data(as_text=True)
    assert "/drills/observations/new" in page
    nav = client.get("/").get_data(as_text=True)
    assert "/drills/" in nav
