"""The drills home page: every kind's items, the last scores, the supervisors' observation entry."""

from __future__ import annotations

from app.drills.common.tokens import new_token
from app.drills.language.services import submit_language
from app.people.models import Role


def test_drill_list_shows_every_kind_and_last_scores(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    submit_language(trainee, "test-answer", "您好，物业服务中心，工号036", new_token())
    db.session.commit()
    login(trainee)
    page = client.get("/drills/").get_data(as_text=True)
    for text in ("测试场景：服务台", "测试练习：楼上漏水", "测试练习：接电话", "测试检查表"):
        assert text in page
    assert ">100.0<" in page and "/drills/language/answers/" in page
    assert "/drills/observations/new" not in page  # trainees do not observe


def test_drill_list_offers_supervisors_the_observation_entry(db, drill_catalog, client, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/drills/").get_data(as_text=True)
    assert "/drills/observations/new" in page
    nav = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "/drills/" in nav
