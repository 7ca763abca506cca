"""Submit a filled-in complaint form: the complaint kind's part of the shared exercise skeleton."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from app.people.models import Employee

from ..common.errors import DrillError
from ..exercise.base import ExerciseType
from ..exercise.services import submit
from . import grading
from .models import ComplaintExercise, ComplaintSubmission
from .rules import FIELD_CODES, FORM_FIELDS, SELECT_CODES, SELECTS

#: a form field with fewer characters than this (spaces aside) counts as not filled in
MIN_FIELD_CHARS = 2

COMPLAINT = ExerciseType(
    kind_key="complaint", catalog=ComplaintExercise, submission=ComplaintSubmission,
    item_column="exercise_id", answer_column="answers", grade=grading.grade_complaint, missed=grading.missed_clauses,
    item_name="exercise", record_name="submission",
    form_endpoint="drills.complaint_form", form_arg="exercise_id",
    result_endpoint="drills.complaint_result", result_arg="submission_id",
    form_template="drills/complaint/form.html", result_template="drills/complaint/result.html",
)


def submit_complaint(employee: Employee, exercise_id: str, answers: dict[str, str], token: str,
                     now: dt.datetime | None = None) -> ComplaintSubmission:
    """Grade and store one filled-in complaint form (unknown keys in ``answers`` are dropped);
    an incomplete form is refused (:func:`check_complete`)."""
    kept = {code: str(answers.get(code) or "").strip()[:grading.MAX_FIELD_LENGTH]
            for code in (*FIELD_CODES, *SELECT_CODES)}
    check_complete(kept)
    return submit(COMPLAINT, employee, exercise_id, kept, token, now)


def check_complete(answers: dict[str, str]) -> None:
    """Refuse a form with empty parts (nothing is stored): a blank record is not an attempt.

    Every text field needs at least ``MIN_FIELD_CHARS`` characters and every select a choice.
    """
    empty = [str(f.label) for f in FORM_FIELDS if len("".join(answers.get(f.code, "").split())) < MIN_FIELD_CHARS]
    empty += [str(rule.label) for rule in SELECTS if not answers.get(rule.code)]
    if empty:
        raise DrillError(_l("Fill in every part of the form before submitting. Empty: %(fields)s",
                            fields="、".join(empty)))
