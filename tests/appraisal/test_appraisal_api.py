"""The HR read API: bearer tokens only (hashed, shown once, revocable), paginated JSON."""

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from app.appraisal import tokens
from app.appraisal.models import ApiToken
from app.appraisal.snapshots import close_cycle
from app.audit.models import AuditEvent


@pytest.fixture()
def token(db, make_employee):
    hr = make_employee(role="hr")
    row, plain = tokens.create_token("HR 系统", actor_id=hr.id)
    db.session.commit()
    return row, plain


def _auth(plain):
    return {"Authorization": f"Bearer {plain}"}


def test_no_token_is_401(client, db):
    response = client.get("/api/v1/cycles")
    assert response.status_code == 401
    assert response.is_json and response.json["error"] == "invalid_request"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_scheme_and_unknown_token_are_401(client, db, token):
    _row, plain = token
    assert client.get("/api/v1/cycles", headers={"Authorization": f"Basic {plain}"}).status_code == 401
    response = client.get("/api/v1/cycles", headers=_auth(plain + "x"))
    assert response.status_code == 401 and response.json["error"] == "invalid_token"


def test_revoked_token_is_401(client, db, token):
    row, plain = token
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 200
    tokens.revoke_token(row.id, actor_id=None)
    db.session.commit()
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 401


def test_a_session_cookie_does_not_authenticate(client, login_as, db, make_cycle):
    make_cycle()
    login_as("trainee")
    response = client.get("/api/v1/cycles")
    assert response.status_code == 401
    assert "items" not in response.json


def test_even_an_hr_session_needs_a_token(client, login_as, db):
    login_as("hr")
    assert client.get("/api/v1/cycles").status_code == 401


def test_tokens_are_stored_hashed(db, token):
    row, plain = token
    assert plain.startswith("ea_") and len(plain) > 40
    stored = db.session.get(ApiToken, row.id)
    assert stored.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in (stored.token_hash, stored.prefix)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.api_token_create"))
    assert plain not in str(event.details)


def test_cycles_paginated(client, db, token, make_cycle):
    for i in range(3):
        make_cycle(name=f"周期{i}", starts_on=dt.date(2026, 1 + i, 1), ends_on=dt.date(2026, 1 + i, 28))
    _row, plain = token
    first = client.get("/api/v1/cycles?per_page=2", headers=_auth(plain)).json
    assert first["total"] == 3 and first["pages"] == 2 and len(first["items"]) == 2
    assert first["items"][0]["name"] == "周期2"  # newest window first
    assert first["prev"] is None and first["next"].endswith("/api/v1/cycles?page=2&per_page=2")
    second = client.get(first["next"], headers=_auth(plain)).json
    assert [c["name"] for c in second["items"]] == ["周期0"] and second["next"] is None
    item = first["items"][0]
    assert item["weights"] == {"theory": 40, "practice": 30, "observation": 30}
    assert item["state"] == "open" and item["scores"].endswith(f"/api/v1/cycles/{item['id']}/scores")
    assert client.get("/api/v1/cycles?per_page=0", headers=_auth(plain)).status_code == 400
    assert client.get("/api/v1/cycles?page=x", headers=_auth(plain)).status_code == 400


def test_scores_of_a_closed_cycle(client, db, token, scored_org, make_cycle):
    cycle = make_cycle()
    close_cycle(cycle, actor_id=None, as_of=dt.date(2026, 10, 15))
    db.session.commit()
    _row, plain = token
    body = client.get(f"/api/v1/cycles/{cycle.id}/scores?per_page=2", headers=_auth(plain)).json
    assert body["cycle"] == {"id": cycle.id, "name": cycle.name, "state": "closed", "final": True,
                              "recomputing": False}
    listed = client.get("/api/v1/cycles", headers=_auth(plain)).json["items"][0]
    closed_at = dt.datetime.fromisoformat(listed["closed_at"])
    assert listed["closed_at"].endswith("+08:00")  # the site's offset, as every page shows it
    assert closed_at.astimezone(dt.UTC).replace(tzinfo=None) - cycle.closed_at < dt.timedelta(seconds=1)
    collected = body["items"]
    while body["next"]:
        body = client.get(body["next"], headers=_auth(plain)).json
        collected += body["items"]
    assert len(collected) == body["total"]
    a = next(i for i in collected if i["employee_no"] == "A001")
    assert a["total"] == 51.43 and a["band"] == "fail" and a["grade"] == "不合格"
    assert a["theory"] == 45.0 and a["observation"] is None and a["completion"] == 0.5
    filtered = client.get(f"/api/v1/cycles/{cycle.id}/scores?department={scored_org['d2'].id}",
                          headers=_auth(plain)).json
    assert [i["employee_no"] for i in filtered["items"]] == ["F001"]
    missing = client.get("/api/v1/cycles/9999/scores", headers=_auth(plain))
    assert missing.status_code == 404 and missing.is_json


def test_token_page_shows_token_once_and_revokes(client, login_as, db):
    login_as("hr")
    assert client.get("/appraisal/tokens").status_code == 200
    response = client.post("/appraisal/tokens", data={"name": "HR 系统"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(select(ApiToken))
    start = page.index(row.prefix)
    plain = page[start:page.index('"', start)]
    assert hashlib.sha256(plain.encode()).hexdigest() == row.token_hash
    assert plain not in client.get("/appraisal/tokens").get_data(as_text=True)  # never again
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 200
    client.post(f"/appraisal/tokens/{row.id}/revoke")
    assert client.get("/api/v1/cycles", headers=_auth(plain)).status_code == 401
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"appraisal.api_token_create", "appraisal.api_token_revoke"} <= actions


@pytest.mark.parametrize("role", ["trainee", "supervisor", "admin"])
def test_only_hr_manages_tokens(client, login_as, db, role):
    login_as(role)
    assert client.get("/appraisal/tokens").status_code == 403
    assert client.post("/appraisal/tokens", data={"name": "x"}).status_code == 403
