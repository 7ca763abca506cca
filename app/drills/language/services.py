"""Submit a typed answer to a language prompt: the language kind's part of the shared exercise skeleton."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from app.people.models import Employee

from ..common.errors import DrillError
from ..exercise.base import ExerciseType
from ..exercise.services import submit
from . import grading
from .models import LanguageAnswer, LanguagePrompt

LANGUAGE = ExerciseType(
    kind_key="language", catalog=LanguagePrompt, submission=LanguageAnswer,
    item_column="prompt_id", answer_column="answer", grade=grading.grade_answer, missed=grading.missed_clauses,
    item_name="prompt", record_name="answer",
    form_endpoint="drills.language_form", form_arg="prompt_id",
    result_endpoint="drills.language_result", result_arg="answer_id",
    form_template="drills/language/form.html", result_template="drills/language/result.html",
)


def submit_language(employee: Employee, prompt_id: str, answer: str, token: str,
                    now: dt.datetime | None = None) -> LanguageAnswer:
    """Grade and store one typed answer to a language prompt."""
    text = (answer or "").strip()[:grading.MAX_ANSWER_LENGTH]
    if not text:
        raise DrillError(_l("Type what you would say first."))
    return submit(LANGUAGE, employee, prompt_id, text, token, now)
