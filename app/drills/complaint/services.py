"""Submit a filled-in complaint form: the complaint kind's part of the shared exercise skeleton."""

from __future__ import annotations

import datetime as dt

from app.people.models import Employee

from ..exercise.base import ExerciseType
from ..exercise.services import submit
from . import grading
from .models import ComplaintExercise, ComplaintSubmission
from .rules import FIELD_CODES, SELECT_CODES

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
    """Grade and store one filled-in complaint form (unknown keys in ``answers`` are dropped)."""
    kept = {code: str(answers.get(code) or "").strip()[:grading.MAX_FIELD_LENGTH]
            for code in (*FIELD_CODES, *SELECT_CODES)}
    return submit(COMPLAINT, employee, exercise_id, kept, token, now)
