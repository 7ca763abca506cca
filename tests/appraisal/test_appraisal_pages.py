"""HR runs a whole cycle through the pages: create, edit, overview, compare, employee, close, adjust, reopen."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.appraisal.models import Cycle, CycleScore
from app.audit.models import AuditEvent

FORM = {"name": "2026年下半年", "starts_on": "2026-07-01", "ends_on": "2026-12-31", "weight_theory": "40",
        "weight_practice": "30", "weight_observation": "30", "band_excellent": "90", "band_good": "80",
        "band_pass": "60", "policy": "best", "scope": "company"}


@pytest.fixture()
def frozen_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)


def test_whole_cycle_through_the_pages(client, login_as, db, scored_org, frozen_today):
    hr = login_as("hr")
    assert client.get("/appraisal/").status_code == 200
    assert client.get("/appraisal/new").status_code == 200
    response = client.post("/appraisal/new", data=FORM)
    assert response.status_code == 302
    cycle = db.session.scalar(select(Cycle))
    assert (cycle.name, cycle.weights, cycle.policy, cycle.is_open) == (
        "2026年下半年", {"theory": 40, "practice": 30, "observation": 30}, "best", True)

    edited = dict(FORM, policy="latest")
    assert client.post(f"/appraisal/{cycle.id}/edit", data=edited).status_code == 302
    db.session.refresh(cycle)
    assert cycle.policy == "latest"

    page = client.get(f"/appraisal/{cycle.id}").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("</main>")[0]
    assert "48.6" in page  # A001, latest policy, live (48.57: one decimal on every page)
    compare = client.get(f"/appraisal/{cycle.id}/departments")
    assert compare.status_code == 200
    assert "客服部" in compare.get_data(as_text=True) and "<svg" in compare.get_data(as_text=True)
    a = scored_org["a"]
    employee = client.get(f"/appraisal/{cycle.id}/employees/{a.id}").get_data(as_text=True)
    assert "q1" in employee and "q2" in employee and "<svg" in employee and "80.0" in employee

    assert "2026-12-31" in page and 'name="early"' in page  # closing before the end date asks first
    unconfirmed = client.post(f"/appraisal/{cycle.id}/close", follow_redirects=True)
    assert "2026-12-31" in unconfirmed.get_data(as_text=True)
    db.session.refresh(cycle)
    assert cycle.is_open
    assert client.post(f"/appraisal/{cycle.id}/close", data={"early": "y"}).status_code == 302
    db.session.refresh(cycle)
    assert not cycle.is_open and cycle.closed_by_id == hr.id and cycle.closed_as_of == dt.date(2026, 10, 15)
    assert client.post(f"/appraisal/{cycle.id}/close", data={"early": "y"}).status_code == 302  # double: harmless
    frozen = db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle.id)).all()
    assert len(frozen) == len({r.employee_id for r in frozen}) and {r.version for r in frozen} == {1}

    response = client.post(f"/appraisal/{cycle.id}/employees/{a.id}/adjust", data={"points": "5", "reason": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(CycleScore).where(CycleScore.employee_id == a.id)).adjustment is None
    client.post(f"/appraisal/{cycle.id}/employees/{a.id}/adjust", data={"points": "5", "reason": "补录"})
    row = db.session.scalar(select(CycleScore).where(CycleScore.employee_id == a.id))
    assert (row.adjustment, row.total) == (5.0, 53.57)
    employee = client.get(f"/appraisal/{cycle.id}/employees/{a.id}").get_data(as_text=True)
    assert "补录" in employee and "+5.0" in employee

    assert client.get(f"/appraisal/{cycle.id}/edit").status_code == 302  # closed: no editing
    client.post(f"/appraisal/{cycle.id}/reopen", data={"reason": ""})
    db.session.refresh(cycle)
    assert not cycle.is_open
    client.post(f"/appraisal/{cycle.id}/reopen", data={"reason": "补录测验"})
    db.session.refresh(cycle)
    assert cycle.is_open
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for action in ("appraisal.cycle_create", "appraisal.cycle_update", "appraisal.cycle_close",
                   "appraisal.adjust", "appraisal.cycle_reopen"):
        assert action in actions


def test_bad_cycle_input_shows_a_message(client, login_as, db):
    login_as("hr")
    response = client.post("/appraisal/new", data=dict(FORM, weight_theory="50"))
    assert response.status_code == 200
    assert "100" in response.get_data(as_text=True)
    response = client.post("/appraisal/new", data=dict(FORM, weight_theory="abc", starts_on="2026-13-01"))
    assert response.status_code == 200
    assert db.session.scalar(select(Cycle)) is None


def test_chosen_departments_scope(client, login_as, db, scored_org, frozen_today):
    login_as("admin")
    data = dict(FORM, scope="departments", department_ids=[str(scored_org["d2"].id)])
    assert client.post("/appraisal/new", data=data).status_code == 302
    cycle = db.session.scalar(select(Cycle))
    assert [d.name for d in cycle.departments] == ["工程部"]
    page = client.get(f"/appraisal/{cycle.id}").get_data(as_text=True)
    assert "F001" in page and "A001" not in page


@pytest.mark.parametrize("role", ["trainee", "supervisor"])
def test_pages_are_hr_and_admin_only(client, login_as, db, make_cycle, role):
    cycle = make_cycle()
    login_as(role)
    for url in ("/appraisal/", f"/appraisal/{cycle.id}", f"/appraisal/{cycle.id}/departments", "/appraisal/new"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/appraisal/{cycle.id}/close").status_code == 403
    db.session.refresh(cycle)
    assert cycle.is_open


def test_unknown_cycle_is_404(client, login_as, db):
    login_as("hr")
    assert client.get("/appraisal/999").status_code == 404
    assert client.post("/appraisal/999/close").status_code == 404


def test_navigation_links(client, login_as, db):
    login_as("hr")
    page = client.get("/appraisal/").get_data(as_text=True)
    assert 'href="/appraisal/tokens"' in page and 'href="/people/import/"' in page
