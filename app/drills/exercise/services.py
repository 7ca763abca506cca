"""Submit a complaint form or a polite-language answer: grade, store, record the result.

Both are single-POST activities. The form carries a one-time token (:func:`new_token`); a
second POST with the same token returns the submission already made instead of adding one.
:func:`submit` is the one skeleton; each kind's ``services.py`` cleans its input and calls it
with its :class:`ExerciseType`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.people.models import Employee
from app.results.services import record_result
from app.timeutil import utcnow

from ..common.errors import DrillError, NotAllowed
from ..common.policy import attempt_state, check_can_attempt
from ..common.tokens import TOKEN_RE, new_token
from .base import ExerciseType
from .models import DrillClauseMiss

logger = logging.getLogger(__name__)

__all__ = ["new_token", "submit"]


def _check_token(token: str) -> None:
    if not TOKEN_RE.match(token or ""):
        raise DrillError(_l("This form has expired. Please open it again."))


def _by_token(model, token: str, employee: Employee):
    row = db.session.scalar(select(model).where(model.token == token))
    if row is not None and row.employee_id != employee.id:
        raise NotAllowed(_l("This form was not yours."))
    return row


def _store(model, row, token: str, employee: Employee) -> Any:
    """Insert ``row``; if a concurrent double submit got there first, return that one."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = _by_token(model, token, employee)
        if existing is None:
            raise
        return existing
    return row


def _misses(kind: str, source_id: int, employee_id: int, clause_ids: list[str], now: dt.datetime) -> None:
    db.session.add_all(DrillClauseMiss(kind=kind, source_id=source_id, employee_id=employee_id,
                                       clause_id=clause_id, recorded_at=now) for clause_id in clause_ids)


def submit(exercise: ExerciseType, employee: Employee, item_id: str, answer: Any, token: str,
           now: dt.datetime | None = None) -> Any:
    """Grade ``answer`` (already cleaned by the kind) against the item, store it, record the result.

    A new attempt must be allowed by the item's attempt rules (``common/policy.py``: attempts
    left, cool-down); the result passed when its score reaches the item's pass mark.
    """
    model, kind = exercise.submission, exercise.kind_key
    _check_token(token)
    existing = _by_token(model, token, employee)
    if existing is not None:
        return existing
    item = db.session.get(exercise.catalog, item_id)
    if item is None or item.retired:
        raise DrillError(_l("This exercise is not available."))
    now = now or utcnow()
    state = attempt_state(kind, employee.id, item.id, item.spec, now)
    check_can_attempt(state)
    grading = exercise.grade(item.spec, answer)
    score = grading["score"]
    row = model(employee_id=employee.id, content_hash=item.content_hash, token=token, grading=grading, score=score,
                submitted_at=now, **{exercise.item_column: item.id, exercise.answer_column: answer})
    stored = _store(model, row, token, employee)
    if stored is not row:
        return stored
    _misses(kind, row.id, employee.id, exercise.missed(grading), now)
    record_result(employee_id=employee.id, kind=kind, activity_id=item.id, source_id=row.id, score=score,
                  finished_at=now, passed=state.policy.passed(score))
    logger.info("%s %s submitted by %s: %.1f", kind, item.id, employee.employee_no, score)
    return row
