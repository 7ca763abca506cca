"""HR's quality gate from real answers: flag a question for review, clear the flag, and the
item report the content team reads (``flask quizzes item-report --json``).

Services in the DESIGN §2 sense: explicit arguments, ``flush()`` not ``commit()``, audited
through ``app.audit.services.record_event``. Flagging is idempotent: a question holds at most one
flag (a unique row), so a double submit (or two HR officers at once) leaves the first flag and
its reason in place and records nothing more.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit.services import record_event
from app.extensions import db
from app.timeutil import utcnow

from .item_stats import item_analysis
from .models import Question, QuestionFlag

logger = logging.getLogger(__name__)

MAX_REASON = 500


class UnknownQuestion(LookupError):
    pass


def flag_of(question_id: str) -> QuestionFlag | None:
    return db.session.scalar(select(QuestionFlag).where(QuestionFlag.question_id == question_id))


def flag_question(question_id: str, reason: str, *, actor_id: int | None, ip: str = "") -> tuple[QuestionFlag, bool]:
    """Flag a question for review; returns the flag and whether this call created it."""
    if db.session.get(Question, question_id) is None:
        raise UnknownQuestion(question_id)
    reason = " ".join((reason or "").split())[:MAX_REASON]
    if not reason:
        raise ValueError("a flag needs a reason")
    existing = flag_of(question_id)
    if existing is not None:
        return existing, False
    flag = QuestionFlag(question_id=question_id, reason=reason, flagged_by_id=actor_id, flagged_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:  # flagged by a concurrent request in the meantime
        existing = flag_of(question_id)
        if existing is None:
            raise
        return existing, False
    record_event("quizzes.question_flag", actor_id=actor_id, target=f"question:{question_id}", ip=ip,
                 details={"reason": reason})
    logger.info("question %s flagged for review by %s", question_id, actor_id)
    return flag, True


def clear_flag(question_id: str, *, actor_id: int | None, ip: str = "") -> bool:
    """Remove a question's flag (reviewed); False when it had none."""
    flag = flag_of(question_id)
    if flag is None:
        return False
    reason = flag.reason
    db.session.delete(flag)
    db.session.flush()
    record_event("quizzes.question_unflag", actor_id=actor_id, target=f"question:{question_id}", ip=ip,
                 details={"reason": reason})
    logger.info("review flag of question %s cleared by %s", question_id, actor_id)
    return True


def flags_by_question(question_ids: list[str] | None = None) -> dict[str, QuestionFlag]:
    """The review flags (of these questions only, when given), with who flagged them (one query)."""
    stmt = select(QuestionFlag).options(joinedload(QuestionFlag.flagged_by))
    if question_ids is not None:
        stmt = stmt.where(QuestionFlag.question_id.in_(question_ids))
    return {flag.question_id: flag for flag in db.session.scalars(stmt)}


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def item_report(quiz_id: str | None = None) -> list[dict]:
    """One row per question (every active one, and retired ones with answers or a flag):
    facility, discrimination, point-biserial, responses and the review flag."""
    stats = {s.question_id: s for s in item_analysis(quiz_id).items}
    flags = flags_by_question()
    rows = []
    for question in db.session.scalars(select(Question).order_by(Question.id)):
        s = stats.get(question.id)
        flag = flags.get(question.id)
        if question.retired and s is None and flag is None:
            continue
        rows.append({
            "id": question.id, "lesson": question.lesson_id, "type": question.type,
            "difficulty": question.difficulty, "source": f"{question.source_path}:{question.source_line}",
            "retired": question.retired,
            "responses": s.responses if s else 0, "answered": s.answered if s else 0,
            "facility": _rounded(s.facility) if s else None,
            "discrimination": _rounded(s.discrimination) if s else None,
            "point_biserial": _rounded(s.point_biserial) if s else None,
            "too_easy": bool(s and s.too_easy), "too_hard": bool(s and s.too_hard),
            "negative_discrimination": bool(s and s.negative_discrimination),
            "flagged": flag is not None,
            "flag_reason": flag.reason if flag else None,
            "flagged_by": flag.flagged_by.employee_no if flag and flag.flagged_by else None,
            "flagged_at": flag.flagged_at.isoformat() if flag else None,
        })
    return rows
