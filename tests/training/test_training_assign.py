"""Assigning work: who may assign to whom, teams and several people, no duplicates, audit."""

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from training_builders import COURSE, QUIZ, SCENARIO, add_result, make_catalog

from app.audit.models import AuditEvent
from app.people.models import Role
from app.timeutil import local_today, utcnow
from app.training.assignments import AssignmentError, NotAllowed, assign, cancel, resolve_targets
from app.training.models import Assignment, Notification

DUE = (dt.date.today() + dt.timedelta(days=7)).isoformat()


@pytest.fixture()
def org(db, make_department, make_team, make_employee):
    """Two departments; 孙 leads team A (3 members), 宋 leads team B (1 member)."""
    make_catalog()
    d1, d2 = make_department(), make_department()
    sun = make_employee(role=Role.SUPERVISOR, department=d1, name="孙主管")
    song = make_employee(role=Role.SUPERVISOR, department=d2, name="宋主管")
    team_a = make_team(department=d1, leader=sun)
    team_b = make_team(department=d2, leader=song)
    a_members = [make_employee(team=team_a) for _ in range(3)]
    b_member = make_employee(team=team_b)
    return {"sun": sun, "song": song, "team_a": team_a, "team_b": team_b, "a": a_members, "b": b_member}


def count(db, *criteria) -> int:
    return db.session.scalar(select(func.count()).select_from(Assignment).where(*criteria))


# --- permissions -----------------------------------------------------------------------------------

def test_supervisor_assigns_only_to_own_team_members(db, org):
    with pytest.raises(NotAllowed):
        assign(org["sun"], [org["b"]], "quiz", QUIZ, local_today())
    with pytest.raises(NotAllowed):
        resolve_targets(org["sun"], team_ids=[org["team_b"].id])
    with pytest.raises(NotAllowed):
        resolve_targets(org["sun"], employee_ids=[org["a"][0].id, org["b"].id])
    with pytest.raises(NotAllowed):  # not to themselves either
        assign(org["sun"], [org["sun"]], "quiz", QUIZ, local_today())
    db.session.rollback()
    assert count(db) == 0
    outcome = assign(org["sun"], org["a"], "quiz", QUIZ, local_today())
    db.session.commit()
    assert len(outcome.created) == 3


def test_supervisor_form_refuses_another_teams_member_and_team(client, db, org, login):
    login(org["sun"])
    page = client.get("/training/assign").get_data(as_text=True)
    assert org["a"][0].name in page and org["b"].name not in page
    for field, value in (("employees", org["b"].id), ("teams", org["team_b"].id)):
        response = client.post("/training/assign", data={"activity": f"quiz:{QUIZ}", field: value, "due_date": DUE})
        assert response.status_code == 200
        assert f"&#39;{value}&#39; is not a valid choice" in response.get_data(as_text=True)
    assert count(db) == 0


def test_trainee_cannot_reach_assigning_pages(client, db, org, login):
    login(org["a"][0])
    assert client.get("/training/assign").status_code == 403
    assert client.post("/training/assign", data={"activity": f"quiz:{QUIZ}", "employees": org["a"][1].id,
                                                 "due_date": DUE}).status_code == 403
    assert client.get("/training/team").status_code == 403
    assert count(db) == 0


def test_hr_assigns_across_departments(client, db, org, login_as):
    login_as(Role.HR)
    response = client.post("/training/assign", data={
        "activity": f"course:{COURSE}", "teams": [org["team_a"].id, org["team_b"].id], "due_date": DUE,
        "note": "月底前完成"})
    assert response.status_code == 302
    rows = db.session.scalars(select(Assignment)).all()
    assert {r.employee_id for r in rows} == {e.id for e in org["a"]} | {org["b"].id}
    assert {r.note for r in rows} == {"月底前完成"}
    assert {r.due_date.isoformat() for r in rows} == {DUE}


# --- targets ------------------------------------------------------------------------------------

def test_whole_team_plus_one_person_each_once_and_inactive_skipped(client, db, org, login):
    org["a"][2].active = False
    db.session.commit()
    login(org["sun"])
    response = client.post("/training/assign", data={
        "activity": f"scenario:{SCENARIO}", "teams": org["team_a"].id, "employees": [org["a"][0].id],
        "due_date": DUE})
    assert response.status_code == 302
    assert sorted(db.session.scalars(select(Assignment.employee_id))) == sorted([org["a"][0].id, org["a"][1].id])
    assigned = db.session.scalars(select(Assignment)).all()
    assert {a.assigned_by_id for a in assigned} == {org["sun"].id}
    assert {a.source for a in assigned} == {"manual"}


def test_several_employees(client, db, org, login):
    login(org["sun"])
    response = client.post("/training/assign", data={
        "activity": f"quiz:{QUIZ}", "employees": [org["a"][0].id, org["a"][1].id], "due_date": DUE})
    assert response.status_code == 302
    assert count(db) == 2


def test_form_problems_are_messages_not_errors(client, db, org, login):
    login(org["sun"])
    past = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    cases = [
        {"activity": f"quiz:{QUIZ}", "employees": org["a"][0].id, "due_date": past},
        {"activity": f"quiz:{QUIZ}", "due_date": DUE},  # nobody chosen
        {"activity": "quiz:no-such-quiz", "employees": org["a"][0].id, "due_date": DUE},
        {"activity": f"quiz:{QUIZ}", "employees": "abc", "due_date": DUE},
        {"activity": f"quiz:{QUIZ}", "employees": org["a"][0].id, "due_date": "not a date"},
        {"activity": f"quiz:{QUIZ}", "employees": org["a"][0].id, "due_date": DUE, "note": "x" * 600},
    ]
    for data in cases:
        response = client.post("/training/assign", data=data)
        assert response.status_code == 200, data
        assert "invalid-feedback" in response.get_data(as_text=True), data
    assert count(db) == 0


def test_unknown_activity_is_refused_by_the_service(db, org):
    with pytest.raises(AssignmentError):
        assign(org["sun"], org["a"], "quiz", "missing", local_today())
    with pytest.raises(AssignmentError):
        assign(org["sun"], org["a"], "homework", QUIZ, local_today())


# --- no duplicates --------------------------------------------------------------------------------

def test_same_activity_twice_while_open_is_not_duplicated(client, db, org, login):
    login(org["sun"])
    data = {"activity": f"quiz:{QUIZ}", "teams": org["team_a"].id, "due_date": DUE}
    assert client.post("/training/assign", data=data).status_code == 302
    response = client.post("/training/assign", data=data, follow_redirects=True)
    assert "未重复布置" in response.get_data(as_text=True)
    assert count(db) == 3
    # once completed, the same quiz may be assigned again (e.g. a refresher); cancelled ones do not block
    add_result(org["a"][0].id, "quiz", QUIZ, 90, utcnow() + dt.timedelta(seconds=1))
    cancel(org["sun"], db.session.scalar(select(Assignment).where(Assignment.employee_id == org["a"][1].id)))
    db.session.commit()
    outcome = assign(org["sun"], org["a"], "quiz", QUIZ, local_today(), now=utcnow() + dt.timedelta(seconds=2))
    db.session.commit()
    assert sorted(e.id for e in outcome.skipped) == [org["a"][2].id]
    assert sorted(a.employee_id for a in outcome.created) == sorted([org["a"][0].id, org["a"][1].id])


def test_two_supervisors_at_once_create_one_assignment(app, db, org, make_employee):
    """Real threads with their own app contexts; the employee row lock / BEGIN IMMEDIATE serialise them."""
    hr = make_employee(role=Role.HR)
    target_id, actors = org["a"][0].id, [org["sun"].id, hr.id]
    db.session.commit()  # hold no read snapshot while the threads write
    barrier = threading.Barrier(2)
    errors = []

    def work(actor_id):
        from app.extensions import db as _db
        from app.people.models import Employee

        with app.app_context():
            try:
                barrier.wait()
                actor = _db.session.get(Employee, actor_id)
                assign(actor, [_db.session.get(Employee, target_id)], "quiz", QUIZ, local_today())
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                _db.session.rollback()
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=work, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    db.session.rollback()  # a fresh snapshot
    assert count(db, Assignment.employee_id == target_id) == 1


# --- audit and notifications -------------------------------------------------------------------------

def test_creation_and_cancellation_are_audited_and_notified(client, db, org, login):
    login(org["sun"])
    client.post("/training/assign", data={"activity": f"quiz:{QUIZ}", "employees": org["a"][0].id, "due_date": DUE})
    assignment = db.session.scalar(select(Assignment))
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "training.assignment_created"))
    assert created.actor_id == org["sun"].id and created.target == f"assignment:{assignment.id}"
    assert created.details["activity_id"] == QUIZ
    note = db.session.scalar(select(Notification))
    assert (note.employee_id, note.assignment_id, note.kind) == (org["a"][0].id, assignment.id, "new")

    response = client.post(f"/training/assignments/{assignment.id}/cancel")
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.cancelled_at is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "training.assignment_cancelled")) == 1


def test_other_supervisor_cannot_cancel_or_move(client, db, org, login):
    assign(org["sun"], [org["a"][0]], "quiz", QUIZ, local_today())
    db.session.commit()
    assignment = db.session.scalar(select(Assignment))
    login(org["song"])
    assert client.post(f"/training/assignments/{assignment.id}/cancel").status_code == 403
    assert client.post(f"/training/assignments/{assignment.id}/due", data={"due_date": DUE}).status_code == 403
    assert client.post("/training/assignments/999999/cancel").status_code == 404
    db.session.refresh(assignment)
    assert assignment.cancelled_at is None and assignment.due_date == local_today()
