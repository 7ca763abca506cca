"""The quiz layer's hooks into ``flask content check|sync|stats`` (see ``app.content.plugins``).

* ``check``: the type-specific checks of every question (unknown type, no correct option, an
  ordering question with fewer than two items, a numeric question without a unit …); the generic
  ones (unknown clause, duplicate id, difficulty, explanation) are the core's.
* ``sync``: upsert the Question (+ QuestionCitation) and Quiz rows.
* ``stats``: the bank by difficulty and by lesson, and how many questions the quizzes draw. The
  core already counts questions by type and the clauses questions cite.
* ``lint``: the item-writing linter (``app.quizzes.lint``); the problems of ``lint.yml`` itself
  are part of ``check``.
* ``commands``: ``flask content export-bank`` / ``import-bank`` (Moodle GIFT and XML).
"""

from __future__ import annotations

from collections import Counter

from app.content.documents import ContentSet, Problem
from app.content.models import RETEST_PREFIX
from app.content.plugins import ContentPlugin, StatsContribution

from .interchange_cli import export_bank_command, import_bank_command
from .lint import config_problems, lint_plugin
from .question_types import check_questions
from .sync import sync_bank


def bank_stats(content: ContentSet) -> StatsContribution:
    questions = content.questions.values()
    return StatsContribution(counts={
        "questions_by_difficulty": {str(k): v for k, v in sorted(Counter(q.difficulty for q in questions
                                                                          if q.difficulty).items())},
        "questions_by_lesson": dict(sorted(Counter(q.lesson_id for q in questions).items())),
        "quiz_questions": {quiz.id: sum(rule.count for rule in quiz.draw) for quiz in content.quizzes.values()},
    }, citations=[])


def reserved_quiz_ids(content: ContentSet) -> list[Problem]:
    """``retest-…`` names the refresher quizzes the app makes when a standard changes."""
    return [Problem(quiz.path, quiz.key_lines.get("id", quiz.line),
                    f"quiz id {quiz.id!r}: ids starting with {RETEST_PREFIX!r} are reserved for refresher quizzes")
            for quiz in content.quizzes.values() if quiz.id.startswith(RETEST_PREFIX)]


def check_bank(content: ContentSet) -> list[Problem]:
    return check_questions(content) + config_problems(content) + reserved_quiz_ids(content)


plugin = ContentPlugin(name="quizzes", check=check_bank, sync=sync_bank, stats=bank_stats, lint=lint_plugin,
                       commands=(export_bank_command, import_bank_command))
