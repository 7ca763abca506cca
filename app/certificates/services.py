"""Certificates: issue on meeting a rule, derive status, revoke, renew, and the re-test hooks.

Plain functions; they flush, the caller commits (a route, a CLI command, or the transaction of the
result that triggered an issue). See README "Certificates" for the rule and the life cycle.

Status (derived, never stored): **revoked** once ``revoked_at`` is set; else **expired** after
``expires_on``; else **valid**. A valid certificate is *due for renewal* from
``expires_on - CERTIFICATE_RENEWAL_DAYS`` or once flagged by :func:`mark_needs_renewal`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record_event
from app.certificates.models import Certificate, CertificationRule
from app.certificates.rules import rule_for, rules_counting
from app.content.models import Course
from app.extensions import db
from app.people.models import Employee
from app.results.models import Result
from app.timeutil import local_today, to_site_time, utcnow
from app.training import assignments
from app.training.models import Assignment, AssignmentSource
from app.training.status import open_criteria

logger = logging.getLogger(__name__)

#: bytes of randomness in a verification code (token_urlsafe: 32 characters, 192 bits)
CODE_BYTES = 24
MAX_REASON = 500


class CertStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class CertificateError(ValueError):
    """A request that breaks a certificate rule; the message is shown to the user."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_days() -> int:
    return int(current_app.config.get("CERTIFICATE_RENEWAL_DAYS", 30))


def status_of(cert: Certificate, today: dt.date | None = None) -> CertStatus:
    if cert.revoked_at is not None:
        return CertStatus.REVOKED
    if (today or local_today()) > cert.expires_on:
        return CertStatus.EXPIRED
    return CertStatus.VALID


def renewal_from(cert: Certificate) -> dt.date:
    """The first day the certificate is due for renewal."""
    return cert.expires_on - dt.timedelta(days=renewal_days())


def due_for_renewal(cert: Certificate, today: dt.date | None = None) -> bool:
    """Valid, and in its renewal window or flagged as needing renewal."""
    today = today or local_today()
    return status_of(cert, today) == CertStatus.VALID and (
        today >= renewal_from(cert) or cert.needs_renewal_since is not None)


# --- the rule ----------------------------------------------------------------------------------


@dataclass
class Evaluation:
    """How far an employee is with a rule: the best passing score per activity (None: not yet)."""

    rule: CertificationRule
    best: dict[tuple[str, str], float | None] = field(default_factory=dict)

    @property
    def missing(self) -> list[tuple[str, str]]:
        return [pair for pair, score in self.best.items() if score is None]

    @property
    def score(self) -> float | None:
        """The combined score: the mean of the best passing scores, one decimal (None until all pass)."""
        if self.missing or not self.best:
            return None
        return round(sum(s for s in self.best.values() if s is not None) / len(self.best), 1)

    @property
    def met(self) -> bool:
        return self.score is not None and self.score >= self.rule.min_score


def evaluate(employee_id: int, rule: CertificationRule, since: dt.datetime | None = None) -> Evaluation:
    """The employee's best *passing* Result of each of the rule's activities, finished after ``since``.

    A Result passes unless ``passed`` is false (a failed quiz never counts); kinds without a pass
    mark leave it NULL, as in the assignment status.
    """
    pairs = [tuple(pair) for pair in rule.activities]
    evaluation = Evaluation(rule, {pair: None for pair in pairs})
    if not pairs:
        return evaluation
    stmt = (select(Result.kind, Result.activity_id, func.max(Result.score))
            .where(Result.employee_id == employee_id, or_(Result.passed.is_(None), Result.passed.is_(True)),
                   or_(*[and_(Result.kind == kind, Result.activity_id == activity_id) for kind, activity_id in pairs]))
            .group_by(Result.kind, Result.activity_id))
    if since is not None:
        stmt = stmt.where(Result.finished_at > since)
    for kind, activity_id, best in db.session.execute(stmt):
        evaluation.best[(kind, activity_id)] = float(best)
    return evaluation


# --- issuing -----------------------------------------------------------------------------------


def current_certificate(employee_id: int, course_id: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.employee_id == employee_id, Certificate.course_id == course_id, Certificate.current_slot == 1))


def _may_issue_over(current: Certificate | None, today: dt.date) -> bool:
    """A new certificate replaces the current one only when that one is not simply valid."""
    return current is None or status_of(current, today) != CertStatus.VALID or due_for_renewal(current, today)


def issue_if_met(employee_id: int, course_id: str, now: dt.datetime | None = None) -> Certificate | None:
    """Issue the course's certificate when the employee meets its rule; None when nothing was issued.

    Idempotent: while the current certificate is valid (and not due for renewal) nothing happens; a
    concurrent duplicate is stopped by ``uq_certificate_current`` and the winner's row is kept. A
    re-certification counts only Results finished after the previous certificate was issued, and
    supersedes it.
    """
    rule = rule_for(course_id)
    if rule is None:
        return None
    now = now or utcnow()
    today = to_site_time(now).date()
    current = current_certificate(employee_id, course_id)
    if not _may_issue_over(current, today):
        return None
    evaluation = evaluate(employee_id, rule, since=current.issued_at if current is not None else None)
    if not evaluation.met:
        return None
    return _issue(employee_id, course_id, rule, evaluation.score, now, current)


def issue(employee_id: int, course_id: str, *, score: float, now: dt.datetime | None = None) -> Certificate | None:
    """Issue without evaluating the rule (demo data, an import of certificates earned elsewhere);
    the current certificate, if any, is superseded. None when the course has no rule."""
    rule = rule_for(course_id)
    if rule is None:
        return None
    return _issue(employee_id, course_id, rule, round(score, 1), now or utcnow(),
                  current_certificate(employee_id, course_id))


def _issue(employee_id: int, course_id: str, rule: CertificationRule, score: float, now: dt.datetime,
           current: Certificate | None) -> Certificate | None:
    today = to_site_time(now).date()
    course = db.session.get(Course, course_id)
    if course is None:
        return None
    code = secrets.token_urlsafe(CODE_BYTES)
    try:
        with db.session.begin_nested():
            if current is not None:
                current.current_slot, current.superseded_at = None, now
                db.session.flush()
            cert = Certificate(number=f"pending-{code[:24]}", verification_code=code, employee_id=employee_id,
                               course_id=course_id, score=score, issued_at=now,
                               expires_on=add_months(today, rule.valid_months), content_hash=course.content_hash,
                               current_slot=1)
            db.session.add(cert)
            db.session.flush()
            cert.number = f"EA-{today.year}-{cert.id:06d}"
            if current is not None:
                current.superseded_by_id = cert.id
            db.session.flush()
    except IntegrityError:
        logger.info("certificate of %s for employee %s already issued concurrently", course_id, employee_id)
        return None
    logger.info("certificate %s issued to employee %s for %s (score %.1f, until %s)", cert.number, employee_id,
                course_id, cert.score, cert.expires_on)
    return cert


def on_result_recorded(_sender, result: Result, **_extra) -> None:
    """``result_recorded`` → issue every certificate whose rule this passing result completes."""
    if result.passed is False:
        return
    for rule in rules_counting(result.kind, result.activity_id):
        issue_if_met(result.employee_id, rule.id, now=result.finished_at if result.finished_at else None)


# --- revocation --------------------------------------------------------------------------------


def revoke(cert: Certificate, actor: Employee, reason: str, *, ip: str = "",
           now: dt.datetime | None = None) -> Certificate:
    """Revoke with a reason (audited). Revoking twice is refused: the first reason stays."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("A reason is required."))
    if len(reason) > MAX_REASON:
        raise CertificateError(_("The reason is too long (at most %(n)d characters).", n=MAX_REASON))
    if cert.revoked_at is not None:
        raise CertificateError(_("This certificate is already revoked."))
    now = now or utcnow()
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = now, actor.id, reason
    db.session.flush()
    record_event("certificates.revoke", actor_id=actor.id, target=f"certificate:{cert.id}", ip=ip,
                 details={"number": cert.number, "employee_id": cert.employee_id, "course_id": cert.course_id,
                          "reason": reason}, at=now)
    logger.info("certificate %s revoked by %s", cert.number, actor.employee_no)
    return cert


# --- the re-test hooks (issue 16 item 2 wires its outcome here) ---------------------------------


def mark_needs_renewal(employee_id: int, course_id: str, reason: str,
                       now: dt.datetime | None = None) -> Certificate | None:
    """Flag the employee's current, unrevoked certificate of the course as needing renewal.

    For the "re-test only what changed" refresher: a missed due date calls this. The certificate
    stays valid until its expiry date, but ``renew-due`` treats it as due now (a renewal
    assignment and notification follow). No certificate, or already flagged: nothing changes
    (the first flag's time and reason stay). Returns the certificate or None. Caller commits.
    """
    cert = current_certificate(employee_id, course_id)
    if cert is None or cert.revoked_at is not None:
        return None
    if cert.needs_renewal_since is None:
        cert.needs_renewal_since, cert.needs_renewal_reason = now or utcnow(), (reason or "")[:MAX_REASON]
        db.session.flush()
        logger.info("certificate %s needs renewal: %s", cert.number, reason)
    return cert


def keep_valid(employee_id: int, course_id: str, now: dt.datetime | None = None) -> Certificate | None:
    """The refresher was passed: clear a needs-renewal flag. Safe to call in every case (no
    certificate, revoked, not flagged: nothing changes). The expiry date is not extended."""
    cert = current_certificate(employee_id, course_id)
    if cert is None or cert.revoked_at is not None or cert.needs_renewal_since is None:
        return cert
    cert.needs_renewal_since, cert.needs_renewal_reason = None, ""
    db.session.flush()
    logger.info("certificate %s kept valid", cert.number)
    return cert


# --- renewal -----------------------------------------------------------------------------------


def _renewal_candidates(today: dt.date, employee_id: int | None = None):
    horizon = today + dt.timedelta(days=renewal_days())
    stmt = (select(Certificate).join(Employee, Employee.id == Certificate.employee_id)
            .join(CertificationRule, and_(CertificationRule.id == Certificate.course_id,
                                          CertificationRule.retired.is_(False)))
            .where(Certificate.current_slot == 1, Certificate.revoked_at.is_(None),
                   Certificate.renewal_assignment_id.is_(None), Employee.active.is_(True),
                   or_(Certificate.expires_on <= horizon, Certificate.needs_renewal_since.is_not(None)))
            .order_by(Certificate.id))
    if employee_id is not None:
        stmt = stmt.where(Certificate.employee_id == employee_id)
    return stmt


def renewals_pending(employee_id: int, today: dt.date) -> bool:
    """Cheap check for the page-load trigger: does the employee have a renewal to write?"""
    stmt = _renewal_candidates(today, employee_id).with_only_columns(Certificate.id).limit(1)
    return db.session.scalar(stmt) is not None


def renew_due(today: dt.date | None = None, *, employee_id: int | None = None,
              now: dt.datetime | None = None) -> list[Certificate]:
    """Give each certificate in its renewal window one renewal assignment (and its notification).

    The assignment is the rule's last activity (for a default rule, the course's final quiz), due
    on the expiry date (today when it already passed). Idempotent: a certificate that has a renewal
    assignment is never given another (``renewal_assignment_id``); when the employee already has
    that activity open, that assignment is linked instead of adding one. Caller commits.
    """
    today, now = today or local_today(), now or utcnow()
    renewed: list[Certificate] = []
    for cert in db.session.scalars(_renewal_candidates(today, employee_id).with_for_update(of=Certificate)):
        rule = rule_for(cert.course_id)
        if not rule.activities:
            continue
        kind, activity_id = rule.activities[-1]
        due = max(cert.expires_on, today)
        try:
            outcome = assignments.assign(None, [cert.employee], kind, activity_id, due,
                                         note=f"{cert.number}", source=AssignmentSource.RENEWAL, today=today, now=now)
        except assignments.AssignmentError:
            logger.warning("certificate %s: renewal activity %s:%s is not in the catalog", cert.number, kind,
                           activity_id)
            continue
        assignment = outcome.created[0] if outcome.created else db.session.scalar(
            select(Assignment).where(open_criteria(today), Assignment.employee_id == cert.employee_id,
                                     Assignment.activity_kind == kind, Assignment.activity_id == activity_id)
            .order_by(Assignment.id.desc()).limit(1))
        cert.renewal_assignment_id = assignment.id if assignment is not None else None
        renewed.append(cert)
        logger.info("certificate %s: renewal assignment %s due %s", cert.number, cert.renewal_assignment_id, due)
    db.session.flush()
    return renewed
