"""The compatibility registry (app.drills.registry) the training layer still uses, and the drills home page.

The kinds themselves are tested in test_drill_kinds.py."""

from __future__ import annotations

from app.drills.common.tokens import new_token
from app.drills.language.services import submit_language
from app.drills.registry import all_kinds, get_kind, kind_for_result
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
