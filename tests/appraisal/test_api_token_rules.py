"""API tokens work only while their creator is an active HR user or admin, until their expiry
date, within their department scope; "last used" is recorded at most once a minute."""

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from app.appraisal import tokens
from app.appraisal.models import ApiToken
from app.appraisal.snapshots import close_cycle
from app.people.models import Employee
from app.people.services import change_role, set_active


def _auth(plain):
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture()
def hr_token(db, make_employee):
    hr = make_employee(role="hr")
    row, plain = tokens.create_token("HR 系统", actor_id=hr.id)
    db.session.commit()
    return hr, row, plain


def test_a_demoted_creators_token_answers_401(client, db, hr_token, make_employee):
    hr, _row, plain = hr_token
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 200
    admin = make_employee(role="admin")
    change_role(admin, db.session.get(Employee, hr.id), "trainee")
    db.session.commit()
    response = client.get("/api/v1/cycles", headers=_auth(plain))
    assert response.status_code == 401 and response.json["error"] == "invalid_token"


def test_a_deactivated_creators_token_answers_401(client, db, hr_token):
    hr, _row, plain = hr_token
    set_active(db.session.get(Employee, hr.id), False)
    db.session.commit()
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 401


def test_an_admin_creators_token_keeps_working(client, db, hr_token, make_employee):
    hr, _row, plain = hr_token
    admin = make_employee(role="admin")
    change_role(admin, db.session.get(Employee, hr.id), "admin")
    db.session.commit()
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 200


def test_a_token_works_through_its_expiry_day_in_site_time(client, db, make_employee):
    hr = make_employee(role="hr")
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        row, plain = tokens.create_token("短期", actor_id=hr.id, expires_on=dt.date(2026, 12, 3))
        db.session.commit()
        assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 200
    # 16:30 UTC is already 00:30 on 4 December in Shanghai: expired
    with time_machine.travel(dt.datetime(2026, 12, 3, 16, 30, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 401


def test_an_expiry_in_the_past_is_refused_on_the_page(client, db, login_as):
    login_as("hr")
    client.set_cookie("lang", "en")
    response = client.post("/appraisal/tokens", data={"name": "旧", "expires_on": "2000-01-01"})
    assert response.status_code == 200 and "The expiry date is in the past." in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_a_department_token_sees_only_its_department(client, db, make_employee, scored_org, make_cycle):
    hr = make_employee(role="hr")
    _row, plain = tokens.create_token("工程部系统", actor_id=hr.id, department_id=scored_org["d2"].id)
    db.session.commit()
    cycle = make_cycle()
    body = client.get(f"/api/v1/cycles/{cycle.id}/scores", headers=_auth(plain)).json
    assert [i["employee_no"] for i in body["items"]] == ["F001"] and body["total"] == 1
    other = client.get(f"/api/v1/cycles/{cycle.id}/scores?department={scored_org['d1'].id}", headers=_auth(plain))
    assert other.status_code == 403 and other.is_json
    close_cycle(cycle, actor_id=None, as_of=dt.date(2026, 10, 15))
    db.session.commit()
    closed = client.get(f"/api/v1/cycles/{cycle.id}/scores", headers=_auth(plain)).json
    assert [i["employee_no"] for i in closed["items"]] == ["F001"]


def test_a_department_token_lists_only_cycles_covering_its_department(client, db, make_employee, scored_org,
                                                                     make_cycle):
    hr = make_employee(role="hr")
    _row, plain = tokens.create_token("客服部系统", actor_id=hr.id, department_id=scored_org["d1"].id)
    db.session.commit()
    make_cycle(name="全公司")
    make_cycle(name="工程部周期", scope="departments", department_ids=[scored_org["d2"].id])
    names = [c["name"] for c in client.get("/api/v1/cycles", headers=_auth(plain)).json["items"]]
    assert names == ["全公司"]


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", str(2**31), str(2**63), "99999999999999999999999", "١"])
def test_a_malformed_department_filter_is_400_naming_it(client, db, hr_token, make_cycle, value):
    _hr, _row, plain = hr_token
    cycle = make_cycle()
    response = client.get(f"/api/v1/cycles/{cycle.id}/scores", query_string={"department": value},
                          headers=_auth(plain))
    assert response.status_code == 400 and response.is_json
    assert "department" in response.json["message"]


@pytest.mark.parametrize("query", ["page=abc", f"page={2**64}", "per_page=-5", "page=1e3"])
def test_malformed_paging_is_400(client, db, hr_token, query):
    _hr, _row, plain = hr_token
    response = client.get(f"/api/v1/cycles?{query}", headers=_auth(plain))
    assert response.status_code == 400 and response.is_json


def test_last_used_is_written_at_most_once_a_minute_and_shown_in_site_time(client, db, hr_token, login):
    hr, row, plain = hr_token
    start = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/cycles", headers=_auth(plain))
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/api/v1/cycles", headers=_auth(plain))
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at == dt.datetime(2026, 12, 3, 1, 0)
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("/api/v1/cycles", headers=_auth(plain))
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at == dt.datetime(2026, 12, 3, 1, 1, 1)
    login(hr)
    page = client.get("/appraisal/tokens").get_data(as_text=True)
    cell = page.split("data-last-used>", 1)[1].split("</td>", 1)[0]
    assert cell == "2026-12-03 09:01"


def test_the_token_list_says_why_a_token_stopped_working(client, db, make_employee, login_as):
    me = login_as("hr")
    gone = make_employee(role="hr", active=False)
    tokens.create_token("旧系统", actor_id=gone.id)
    tokens.create_token("新系统", actor_id=me.id)
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get("/appraisal/tokens").get_data(as_text=True)
    assert page.count("no longer an active HR user or administrator") == 1
