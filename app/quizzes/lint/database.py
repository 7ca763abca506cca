"""Findings from real answers: questions whose discrimination is negative (the better trainees
do worse on them than the weaker ones: often a wrong key or a misleading wording)."""

from __future__ import annotations

from sqlalchemy import inspect

from app.content.documents import ContentSet
from app.content.plugins import WARNING, LintFinding
from app.extensions import db

from ..item_stats import item_analysis
from ..models import AttemptItem
from .config import LintConfig


def discrimination_findings(content: ContentSet, config: LintConfig) -> list[LintFinding]:
    """Warnings for questions with D < 0 over at least ``min_responses`` responses; nothing when
    the database has no quiz tables yet (not migrated)."""
    if not inspect(db.engine).has_table(AttemptItem.__tablename__):
        return []
    findings = []
    for stats in item_analysis().items:
        if not stats.negative_discrimination or stats.responses < config.min_responses:
            continue
        doc = content.questions.get(stats.question_id)
        question = stats.question
        path = doc.path if doc else (question.source_path if question else "?")
        line = doc.line if doc else (question.source_line if question else 0)
        findings.append(LintFinding(path, line, WARNING, "negative-discrimination",
                                    f"{stats.question_id}: discrimination {stats.discrimination:.2f} over "
                                    f"{stats.responses} responses (facility {stats.facility:.0%}): check the key "
                                    "and the wording"))
    return findings
