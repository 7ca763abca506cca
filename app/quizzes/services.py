"""The quiz layer's public functions, for the layers above (training, dashboards, appraisal
reads Results only) and for the demo seed. Import from here rather than from the modules.

Attempts (``attempts``): start_attempt, save_answers, submit_attempt, expire_if_due,
expire_due_attempts; the errors QuizUnavailable, NoAttemptsLeft, AttemptClosed, AttemptNotFound.

Reading (``reports``): quiz_overview(employee_id), attempts_of(employee_id), finished_attempts(
employees_select), latest_attempts(employee_ids), best_scores(employee_ids),
clause_wrong_counts(employee_ids, since=, quiz_id=, limit=) — "the clauses the team gets wrong
most often" — and active_quizzes().

Item analysis (``item_stats``): item_analysis(quiz_id=None).
"""

from __future__ import annotations

from .attempts import (
    AttemptClosed,
    AttemptError,
    AttemptNotFound,
    NoAttemptsLeft,
    QuizUnavailable,
    expire_due_attempts,
    expire_if_due,
    save_answers,
    start_attempt,
    submit_attempt,
)
from .item_stats import item_analysis
from .reports import (
    ClauseMisses,
    QuizOverview,
    active_quizzes,
    attempts_of,
    best_scores,
    clause_wrong_counts,
    finished_attempts,
    latest_attempts,
    quiz_overview,
)

__all__ = [
    "AttemptClosed", "AttemptError", "AttemptNotFound", "ClauseMisses", "NoAttemptsLeft", "QuizOverview",
    "QuizUnavailable", "active_quizzes", "attempts_of", "best_scores", "clause_wrong_counts", "expire_due_attempts",
    "expire_if_due", "finished_attempts", "item_analysis", "latest_attempts", "quiz_overview", "save_answers",
    "start_attempt", "submit_attempt",
]
