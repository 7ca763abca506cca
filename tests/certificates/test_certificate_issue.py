"""Issuing: a certificate when (and only when) the rule is met, once, in the result's transaction."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from sqlalchemy import func, select

from app.certificates import services
from app.certificates.models import Certificate, CertificationRule
from app.results.models import Result
from app.timeutil import to_site_time


def _certs(db, employee=None) -> list[Certificate]:
    db.session.expire_all()
    stmt = select(Certificate).order_by(Certificate.id)
    if employee is not None:
        stmt = stmt.where(Certificate.employee_id == employee.id)
    return list(db.session.scalars(stmt))


def test_shipped_rules_are_synced(db, synced):
    rules = {r.id: r for r in db.session.scalars(select(CertificationRule))}
    assert rules["new-hire"].activities == [["quiz", "new-hire-final"]]  # the default: the course's quiz
    assert (rules["new-hire"].min_score, rules["new-hire"].valid_months) == (80, 12)
    assert rules["communication"].activities == [["quiz", "communication-quiz"], ["language", "phone-answer"]]
    assert rules["communication"].valid_months == 24
    assert "appearance" not in rules


def test_passing_the_final_quiz_issues_the_new_hire_certificate(db, synced, make_employee, pass_activity):
    trainee = make_employee()
    pass_activity(trainee, "quiz", "new-hire-final", 92.0)
    [cert] = _certs(db, trainee)
    assert cert.course_id == "new-hire" and cert.score == 92.0 and cert.current_slot == 1
    assert re.fullmatch(r"EA-\d{4}-\d{6}", cert.number) and cert.number.endswith(f"{cert.id:06d}")
    assert len(cert.verification_code) >= 22  # ≥ 128 bits of token_urlsafe
    assert cert.content_hash == cert.course.content_hash and len(cert.content_hash) == 64
    assert cert.expires_on == services.add_months(to_site_time(cert.issued_at).date(), 12)
    assert services.status_of(cert) == services.CertStatus.VALID


def test_a_failed_quiz_does_not_count(db, synced, make_employee, pass_activity):
    trainee = make_employee()
    pass_activity(trainee, "quiz", "new-hire-final", 95.0, passed=False)
    assert _certs(db, trainee) == []


def test_every_activity_of_the_rule_is_needed_and_the_mean_must_reach_min_score(db, synced, make_employee,
                                                                                 pass_activity):
    trainee, other = make_employee(), make_employee()
    pass_activity(trainee, "quiz", "communication-quiz", 85.0)
    assert _certs(db, trainee) == []  # the language drill is still missing
    pass_activity(trainee, "language", "phone-answer", 70.0)  # passed, but the mean is 77.5 < 80
    assert _certs(db, trainee) == []
    pass_activity(trainee, "language", "phone-answer", 96.0)  # best scores: 85 and 96 → 90.5
    [cert] = _certs(db, trainee)
    assert (cert.course_id, cert.score) == ("communication", 90.5)
    pass_activity(other, "language", "phone-answer", 99.0)
    assert _certs(db, other) == []


def test_no_duplicate_while_valid_even_with_more_results(db, synced, make_employee, pass_activity):
    trainee = make_employee()
    pass_activity(trainee, "quiz", "new-hire-final", 85.0)
    pass_activity(trainee, "quiz", "new-hire-final", 99.0)
    assert services.issue_if_met(trainee.id, "new-hire") is None
    assert len(_certs(db, trainee)) == 1 and _certs(db, trainee)[0].score == 85.0


def test_double_submit_of_the_real_quiz_gives_one_certificate(client, db, synced, login_as):
    from app.quizzes.models import Attempt
    from tests.quizzes.quiz_helpers import post_data, right_answer

    trainee = login_as("trainee")
    start = client.post("/quizzes/new-hire-final/start")
    attempt_id = int(re.search(r"/attempts/(\d+)$", start.headers["Location"]).group(1))
    db.session.expire_all()
    items = db.session.get(Attempt, attempt_id).items
    client.post(f"/quizzes/attempts/{attempt_id}/save", data=post_data(*[(i, right_answer(i)) for i in items]))
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 302
    client.post(f"/quizzes/attempts/{attempt_id}/submit")
    [cert] = _certs(db, trainee)
    assert cert.score == 100.0
    result = db.session.scalar(select(Result).where(Result.employee_id == trainee.id))
    assert cert.issued_at == result.finished_at  # written in the result's own transaction


def test_concurrent_duplicate_is_stopped_by_the_constraint(db, synced, make_employee, pass_activity):
    trainee = make_employee()
    pass_activity(trainee, "quiz", "new-hire-final", 90.0)
    first = _certs(db, trainee)[0]
    # a second transaction that did not see the first certificate would insert another current one
    db.session.add(Certificate(number="EA-dup", verification_code="dup-code-xxxxxxxxxxxx", employee_id=trainee.id,
                               course_id="new-hire", score=1.0, issued_at=first.issued_at,
                               expires_on=first.expires_on, content_hash="x", current_slot=1))
    try:
        db.session.flush()
        raised = False
    except Exception:  # noqa: BLE001 - IntegrityError from either driver
        raised = True
    db.session.rollback()
    assert raised and len(_certs(db, trainee)) == 1


def test_expiry_and_recertification_supersedes(app, db, synced, make_employee, pass_activity):
    trainee = make_employee()
    with time_machine.travel(dt.datetime(2026, 1, 10, 4, 0, tzinfo=dt.UTC), tick=False):
        pass_activity(trainee, "quiz", "new-hire-final", 88.0)
        [old] = _certs(db, trainee)
        assert old.expires_on == dt.date(2027, 1, 10)
    assert services.status_of(old, dt.date(2027, 1, 10)) == services.CertStatus.VALID
    assert services.status_of(old, dt.date(2027, 1, 11)) == services.CertStatus.EXPIRED
    with time_machine.travel(dt.datetime(2027, 2, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        # results from before the old certificate do not re-certify: a new pass is needed
        assert services.issue_if_met(trainee.id, "new-hire") is None
        pass_activity(trainee, "quiz", "new-hire-final", 91.0)
        old_row, new = _certs(db, trainee)
        assert old_row.current_slot is None and old_row.superseded_by_id == new.id
        assert new.current_slot == 1 and new.expires_on == dt.date(2028, 2, 1) and new.score == 91.0
        assert services.status_of(new) == services.CertStatus.VALID


def test_add_months_clamps_to_the_end_of_month():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert services.add_months(dt.date(2026, 12, 4), 24) == dt.date(2028, 12, 4)


def test_no_rule_no_certificate(db, synced, make_employee, pass_activity):
    trainee = make_employee()
    pass_activity(trainee, "quiz", "appearance-quiz", 100.0)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
