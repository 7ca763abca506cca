"""Submit a complaint form or a polite-language answer: grade, store, record the result.

Both are single-POST activities. The form carries a one-time token (:func:`new_token`); a
second POST with the same token returns the submission already made instead of adding one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.people.models import Employee
from app.results.models import ResultKind
from app.results.services import record_result
from app.timeutil import utcnow

from . import complaint_grading, language_grading
from .complaint_rules import FIELD_CODES, SELECT_CODES
from .errors import DrillError, NotAllowed
from .models_catalog import ComplaintExercise, LanguagePrompt
from .models_exercises import ComplaintSubmission, DrillClauseMiss, LanguageAnswer

logger = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"[0-9a-f]{32}\Z")


def new_token() -> str:
    return secrets.token_hex(16)


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


def _misses(kind: ResultKind, source_id: int, employee_id: int, clause_ids: list[str], now: dt.datetime) -> None:
    db.session.add_all(DrillClauseMiss(kind=kind.value, source_id=source_id, employee_id=employee_id,
                                       clause_id=clause_id, recorded_at=now) for clause_id in clause_ids)


def _submit(model, catalog_model, kind: ResultKind, employee: Employee, item_id: str, token: str,
            build: Callable[[Any], tuple[dict[str, Any], float, dict[str, Any]]],
            missed: Callable[[dict[str, Any]], list[str]], now: dt.datetime | None) -> Any:
    _check_token(token)
    existing = _by_token(model, token, employee)
    if existing is not None:
        return existing
    item = db.session.get(catalog_model, item_id)
    if item is None or item.retired:
        raise DrillError(_l("This exercise is not available."))
    now = now or utcnow()
    fields, score, grading = build(item)
    row = model(employee_id=employee.id, content_hash=item.content_hash, token=token, grading=grading, score=score,
                submitted_at=now, **fields)
    stored = _store(model, row, token, employee)
    if stored is not row:
        return stored
    _misses(kind, row.id, employee.id, missed(grading), now)
    record_result(employee_id=employee.id, kind=kind, activity_id=item.id, source_id=row.id, score=score,
                  finished_at=now)
    logger.info("%s %s submitted by %s: %.1f", kind.value, item.id, employee.employee_no, score)
    return row


def submit_complaint(employee: Employee, exercise_id: str, answers: dict[str, str], token: str,
                     now: dt.datetime | None = None) -> ComplaintSubmission:
    """Grade and store one filled-in complaint form (unknown keys in ``answers`` are dropped)."""
    kept = {code: str(answers.get(code) or "").strip()[:complaint_grading.MAX_FIELD_LENGTH]
            for code in (*FIELD_CODES, *SELECT_CODES)}

    def build(exercise: ComplaintExercise):
        grading = complaint_grading.grade_complaint(exercise.spec, kept)
        return {"exercise_id": exercise.id, "answers": kept}, grading["score"], grading

    return _submit(ComplaintSubmission, ComplaintExercise, ResultKind.COMPLAINT, employee, exercise_id, token,
                   build, complaint_grading.missed_clauses, now)


def submit_language(employee: Employee, prompt_id: str, answer: str, token: str,
                    now: dt.datetime | None = None) -> LanguageAnswer:
    """Grade and store one typed answer to a language prompt."""
    text = (answer or "").strip()[:language_grading.MAX_ANSWER_LENGTH]
    if not text:
        raise DrillError(_l("Type what you would say first."))

    def build(prompt: LanguagePrompt):
        grading = language_grading.grade_answer(prompt.spec, text)
        return {"prompt_id": prompt.id, "answer": text}, grading["score"], grading

    return _submit(LanguageAnswer, LanguagePrompt, ResultKind.LANGUAGE, employee, prompt_id, token, build,
                   language_grading.missed_clauses, now)
