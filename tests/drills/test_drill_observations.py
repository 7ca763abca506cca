"""Observations: who may observe whom, the score, refusals, concurrency, what the employee sees."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.drills.common.errors import DrillError, NotAllowed
from app.drills.common.tokens import new_token
from app.drills.models import Observation, ObservationMark
from app.drills.observation.services import ItemMark, submit_observation
from app.extensions import db as _db
from app.people.models import Employee, Role
from app.results.models import Result

ITEMS = ("rings", "greeting", "thanks", "apologise")


def marks(*values, notes=None, reason="no_occasion"):
    """Marks for ITEMS; a not-observed item gets ``reason``."""
    notes = notes or {}
    return {item: ItemMark(value, notes.get(item, ""), reason if value == "not_observed" else "")
            for item, value in zip(ITEMS, values, strict=True)}


def form(*values, reason="no_occasion"):
    data = {f"mark-{item}": value for item, value in zip(ITEMS, values, strict=True)}
    data |= {f"reason-{item}": reason for item, value in zip(ITEMS, values, strict=True) if value == "not_observed"}
    data["note-thanks"] = "没有说再见"
    return data


def test_score_is_passed_over_observed(db, drill_catalog, team_setup):
    observation = submit_observation(team_setup["lead"], team_setup["members"][0], "test-grooming",
                                     marks("pass", "fail", "not_observed", "pass"), new_token())
    db.session.commit()
    assert (observation.passed, observation.observed, observation.score) == (2, 3, 66.7)
    result = db.session.scalar(select(Result).where(Result.kind == "observation"))
    assert (result.employee_id, result.activity_id, result.source_id, result.score) == (
        team_setup["members"][0].id, "test-grooming", observation.id, 66.7)


def test_nothing_observed_or_unmarked_is_refused(db, drill_catalog, team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    with pytest.raises(DrillError):
        submit_observation(lead, member, "test-grooming", marks(*["not_observed"] * 4), new_token())
    with pytest.raises(DrillError):
        submit_observation(lead, member, "test-grooming", {"rings": ItemMark("pass")}, new_token())
    with pytest.raises(DrillError):
        submit_observation(lead, member, "test-grooming", marks("pass", "maybe", "pass", "pass"), new_token())
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0


def test_not_observed_items_record_why(db, drill_catalog, team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    for bad in ("", "forgot", "other"):  # no reason, an unknown one, "other" without a note
        with pytest.raises(DrillError) as refused:
            submit_observation(lead, member, "test-grooming", marks("pass", "fail", "not_observed", "pass",
                                                                    reason=bad), new_token())
        message = str(refused.value.message)
        assert message.endswith("道谢再见") and "三声内接起" not in message  # names that item, only that one
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0
    given = marks("pass", "not_observed", "not_observed", "fail", notes={"thanks": "对方先挂断了"})
    given["greeting"].reason = "not_applicable"
    given["thanks"].reason = "other"
    given["rings"].reason = "out_of_view"  # a reason on an observed item is not kept
    observation = submit_observation(lead, member, "test-grooming", given, new_token())
    db.session.commit()
    assert (observation.passed, observation.observed, observation.score) == (1, 2, 50.0)
    reasons = dict(db.session.execute(select(ObservationMark.item_id, ObservationMark.not_observed_reason)).all())
    assert reasons == {"rings": "", "greeting": "not_applicable", "thanks": "other", "apologise": ""}


def test_supervisor_cannot_observe_outside_their_teams(db, drill_catalog, team_setup, make_employee):
    lead = team_setup["lead"]
    for target in (team_setup["outsider"], make_employee(), lead):
        with pytest.raises(NotAllowed):
            submit_observation(lead, target, "test-grooming", marks("pass", "pass", "pass", "pass"), new_token())
    trainee = team_setup["members"][1]
    with pytest.raises(NotAllowed):
        submit_observation(trainee, team_setup["members"][0], "test-grooming", marks(*["pass"] * 4), new_token())


def test_observation_pages_enforce_the_team_rule(db, drill_catalog, client, login, team_setup, make_employee):
    lead, member, outsider = team_setup["lead"], team_setup["members"][0], team_setup["outsider"]
    login(lead)
    pick = client.get("/drills/observations/new").get_data(as_text=True)
    assert member.name in pick and outsider.name not in pick
    page = client.get(f"/drills/observations/new/test-grooming/{member.id}").get_data(as_text=True)
    assert 'type="radio"' in page and 'name="mark-greeting"' in page and 'name="note-greeting"' in page
    assert 'name="viewport"' in page and "btn-lg" in page  # phone-sized, large tap targets
    assert client.get(f"/drills/observations/new/test-grooming/{outsider.id}").status_code == 403
    token = page.split('name="token" type="hidden" value="')[1][:32]
    version = page.split('name="version" type="hidden" value="')[1][:64]
    forged = client.post(f"/drills/observations/new/test-grooming/{outsider.id}",
                         data={**form("pass", "pass", "pass", "pass"), "token": token, "version": version})
    assert forged.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0
    client.post("/logout")
    login(team_setup["members"][1])
    assert client.get("/drills/observations/new").status_code == 403
    assert client.get(f"/drills/observations/new/test-grooming/{member.id}").status_code == 403


def test_supervisor_scores_on_the_phone_form_and_employee_sees_clauses(db, drill_catalog, client, login,
                                                                        team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    login(lead)
    page = client.get(f"/drills/observations/new/test-grooming/{member.id}").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1][:32]
    version = page.split('name="version" type="hidden" value="')[1][:64]
    nothing = client.post(f"/drills/observations/new/test-grooming/{member.id}",
                          data={**form(*["not_observed"] * 4), "token": token, "version": version})
    assert nothing.status_code == 200 and 'value="not_observed" autocomplete="off" checked' in nothing.get_data(
        as_text=True)
    response = client.post(f"/drills/observations/new/test-grooming/{member.id}",
                           data={**form("pass", "pass", "fail", "fail"), "token": token, "version": version})
    observation = db.session.scalar(select(Observation))
    assert response.headers["Location"].endswith(f"/drills/observations/{observation.id}")
    assert observation.score == 50.0 and observation.observer_id == lead.id
    note = db.session.scalar(select(ObservationMark.note).where(ObservationMark.item_id == "thanks"))
    assert note == "没有说再见"
    again = client.post(f"/drills/observations/new/test-grooming/{member.id}",
                        data={**form("pass", "pass", "pass", "pass"), "token": token, "version": version})
    assert again.status_code == 302 and db.session.scalar(select(func.count()).select_from(Observation)) == 1
    client.post("/logout")
    login(member)
    view = client.get(f"/drills/observations/{observation.id}").get_data(as_text=True)
    assert "没有说再见" in view and "说“谢谢，再见！”" in view and "先代表被投诉部门道歉。" in view
    assert "三声之内接起" not in view  # passed items' clauses are not listed to reread
    assert "/lessons/phone#phone.close.thanks" in view
    assert "Not observed because" not in view and "未观察到的原因" not in view  # nothing was left unobserved
    listing = client.get("/drills/observations/").get_data(as_text=True)
    assert f"/drills/observations/{observation.id}" in listing
    client.post("/logout")
    login(team_setup["outsider"])
    assert client.get(f"/drills/observations/{observation.id}").status_code == 403


def test_hr_may_observe_anyone(db, drill_catalog, team_setup, make_employee):
    hr = make_employee(role=Role.HR)
    observation = submit_observation(hr, team_setup["outsider"], "test-grooming", marks(*["pass"] * 4), new_token())
    assert observation.score == 100.0


def test_two_supervisors_scoring_at_the_same_moment_both_keep_their_rows(app, db, drill_catalog, make_employee,
                                                                         make_team):
    lead_a, lead_b = make_employee(role=Role.SUPERVISOR), make_employee(role=Role.SUPERVISOR)
    team_a, team_b = make_team(leader=lead_a), make_team(leader=lead_b)
    member = make_employee(team=team_a)
    member.team_id = team_a.id
    team_b.leader_id = lead_b.id
    hr = make_employee(role=Role.HR)
    _db.session.commit()
    observers, member_id = [lead_a.id, hr.id], member.id
    barrier = threading.Barrier(len(observers))
    errors: list[str] = []

    def observe(observer_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait()  # before any query: on SQLite the first query takes the write lock
                observer = _db.session.get(Employee, observer_id)
                target = _db.session.get(Employee, member_id)
                submit_observation(observer, target, "test-grooming", marks(*["pass"] * 4), new_token())
                _db.session.commit()
            except Exception as exc:  # pragma: no cover - what the test guards against
                _db.session.rollback()
                errors.append(repr(exc))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=observe, args=(observer_id,)) for observer_id in observers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()  # end the test's read snapshot (SQLite WAL) to see the threads' commits
    rows = db.session.scalars(select(Observation.observer_id)).all()
    assert sorted(rows) == sorted(observers)
    assert db.session.scalar(select(func.count()).select_from(Result).where(Result.kind == "observation")) == 2


def test_the_form_asks_why_and_the_view_shows_it(db, drill_catalog, client, login, team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    login(lead)
    url = f"/drills/observations/new/test-grooming/{member.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="reason-thanks"' in page and 'value="not_applicable"' in page
    token = page.split('name="token" type="hidden" value="')[1][:32]
    version = page.split('name="version" type="hidden" value="')[1][:64]
    data = {**form("pass", "fail", "not_observed", "pass"), "token": token, "version": version}
    data.pop("reason-thanks")
    refused = client.post(url, data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "道谢再见" in body
    assert 'name="mark-greeting" id="mark-greeting-fail" value="fail" autocomplete="off" checked' in body  # kept
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0
    saved = client.post(url, data={**data, "reason-thanks": "no_occasion"})
    assert saved.status_code == 302
    observation = db.session.scalar(select(Observation))
    assert (observation.passed, observation.observed) == (2, 3)
    view = client.get(f"/drills/observations/{observation.id}").get_data(as_text=True)
    assert "未观察到的原因" in view and "观察期间没有出现这一情形" in view
