"""Attempt limits count per attempt window: a new assignment of a used-up item (a refresher) or a
supervisor's reset gives a fresh set of attempts; scores of the earlier attempts stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.drills.common.errors import DrillError
from app.drills.common.tokens import new_token
from app.drills.complaint.services import submit_complaint
from app.extensions import db as _db
from app.quizzes.attempts import NoAttemptsLeft, start_attempt, submit_attempt
from app.quizzes.models import Quiz
from app.results.models import AttemptWindow, Result
from app.training import assignments
from app.training.models import Assignment, AssignmentSource
from tests.drills.test_drill_attempts import WEAK
from tests.quizzes.quiz_helpers import VALID, sync_root

T0 = dt.datetime(2026, 3, 2, 2, 0)


def _use_up_the_complaint_drill(trainee) -> None:
    for minutes in (0, 31, 62):
        submit_complaint(trainee, "test-leak", WEAK, new_token(), now=T0 + dt.timedelta(minutes=minutes))
    with pytest.raises(DrillError):
        submit_complaint(trainee, "test-leak", WEAK, new_token(), now=T0 + dt.timedelta(days=1))


def test_a_refresher_assignment_of_a_used_up_drill_can_be_taken(db, drill_catalog, make_employee):
    trainee = make_employee()
    _use_up_the_complaint_drill(trainee)
    later = T0 + dt.timedelta(days=2)
    assignments.assign(None, [trainee], "complaint", "test-leak", dt.date(2026, 3, 20),
                       source=AssignmentSource.REFRESHER, now=later)
    fresh = submit_complaint(trainee, "test-leak", WEAK, new_token(), now=later + dt.timedelta(minutes=1))
    db.session.commit()
    assert fresh.id is not None
    # every score stays on record (the appraisal reads them all), only the limit restarted
    assert db.session.scalar(select(func.count()).select_from(Result).where(Result.employee_id == trainee.id)) == 4
    window = db.session.scalar(select(AttemptWindow))
    assert (window.reason, window.kind, window.activity_id) == ("assignment", "complaint", "test-leak")


def test_the_new_window_has_the_same_limit(db, drill_catalog, make_employee):
    trainee = make_employee()
    _use_up_the_complaint_drill(trainee)
    later = T0 + dt.timedelta(days=2)
    assignments.assign(None, [trainee], "complaint", "test-leak", dt.date(2026, 3, 20), now=later)
    for minutes in (1, 32, 63):
        submit_complaint(trainee, "test-leak", WEAK, new_token(), now=later + dt.timedelta(minutes=minutes))
    with pytest.raises(DrillError):
        submit_complaint(trainee, "test-leak", WEAK, new_token(), now=later + dt.timedelta(days=1))


def test_a_used_up_quiz_opens_again_with_a_new_assignment(db, make_employee):
    sync_root(VALID, db)
    quiz = db.session.get(Quiz, "new-hire-check")
    quiz.max_attempts = 1
    trainee = make_employee()
    attempt, _ = start_attempt(trainee.id, quiz.id, now=T0)
    submit_attempt(attempt.id, trainee.id, now=T0 + dt.timedelta(minutes=5))
    with pytest.raises(NoAttemptsLeft):
        start_attempt(trainee.id, quiz.id, now=T0 + dt.timedelta(minutes=10))
    assignments.assign(None, [trainee], "quiz", quiz.id, dt.date(2026, 3, 20), now=T0 + dt.timedelta(hours=1))
    again, created = start_attempt(trainee.id, quiz.id, now=T0 + dt.timedelta(hours=2))
    assert created and again.id != attempt.id


def test_supervisor_gives_fresh_attempts_from_the_employee_page(db, drill_catalog, client, login, team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    assignments.assign(None, [member], "complaint", "test-leak", dt.date(2099, 3, 20),
                       now=T0 - dt.timedelta(days=1))
    _use_up_the_complaint_drill(member)
    db.session.commit()
    assignment = db.session.scalar(select(Assignment).where(Assignment.employee_id == member.id))
    login(lead)
    page = client.get(f"/training/employees/{member.id}").get_data(as_text=True)
    action = f"/training/assignments/{assignment.id}/fresh-attempts"
    assert action in page
    assert "重新给予尝试机会" in page or "Give fresh attempts" in page
    response = client.post(action)
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "training.attempts_reset"))
    assert event.actor_id == lead.id and event.target == f"assignment:{assignment.id}"
    window = db.session.scalar(select(AttemptWindow).where(AttemptWindow.reason == "reset"))
    assert window.opened_by_id == lead.id and window.employee_id == member.id
    # the member can attempt again (well after the window opened)
    submit_complaint(member, "test-leak", WEAK, new_token(), now=window.opened_at + dt.timedelta(minutes=1))


def test_a_trainee_cannot_reset_their_own_attempts(db, drill_catalog, client, login, team_setup, make_employee):
    member = team_setup["members"][0]
    assignments.assign(None, [member], "complaint", "test-leak", dt.date(2099, 3, 20))
    db.session.commit()
    assignment = db.session.scalar(select(Assignment))
    login(member)
    response = client.post(f"/training/assignments/{assignment.id}/fresh-attempts")
    assert response.status_code in (403, 404)
    assert _db.session.scalar(select(func.count()).select_from(AttemptWindow).where(
        AttemptWindow.reason == "reset")) == 0
