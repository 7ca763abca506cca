"""Import the question bank and the quizzes into the database (``flask content sync``).

Runs inside ``app.content.sync.sync_content`` after lessons and clauses, in the caller's
transaction. Idempotent (one content hash per row), non-destructive (a question or quiz that
left the content is retired; attempts keep their frozen copies), and the Markdown of prompts,
options and explanations is rendered here, once, never per request (DESIGN §8).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from app.content.documents import ContentSet, QuestionDoc, QuizDoc
from app.content.plugins import SyncReport
from app.content.render import render_inline
from app.content.sync import digest
from app.extensions import db

from .models import Question, QuestionCitation, Quiz
from .question_types import get_type

logger = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def question_hash(doc: QuestionDoc) -> str:
    return digest("question", doc.id, doc.lesson_id, doc.type, sorted(doc.meta.items()), doc.prompt,
                  [(o.text, o.checked) for o in doc.options], doc.numbered, doc.explanation)


def quiz_hash(doc: QuizDoc, position: int) -> str:
    return digest("quiz", doc.id, doc.title, doc.title_en, doc.course, doc.pass_mark, doc.time_limit_minutes,
                  doc.max_attempts, doc.shuffle, draw_rules(doc), position)


def draw_rules(doc: QuizDoc) -> list[dict]:
    return [{"count": r.count, "lesson": r.lesson, "tag": r.tag, "difficulty": r.difficulty} for r in doc.draw]


def _fill_question(row: Question, doc: QuestionDoc) -> None:
    qtype = get_type(doc.type)
    spec = qtype.parse(doc)
    row.lesson_id, row.type, row.difficulty = doc.lesson_id, doc.type, doc.difficulty or 1
    row.tags, row.spec = doc.tags, spec
    row.prompt_html = render_inline(doc.prompt)
    row.options_html = [render_inline(text) for text in qtype.choice_labels(spec) or spec.get("options", [])]
    row.explanation_html = render_inline(doc.explanation)
    row.answer_html = render_inline(qtype.correct_answer_display(spec))
    row.source_path, row.source_line = doc.path, doc.line
    row.retired, row.synced_at = False, _now()
    wanted = list(dict.fromkeys(doc.cites))
    for citation in list(row.citations):
        if citation.clause_id not in wanted:
            row.citations.remove(citation)
    have = {c.clause_id: c for c in row.citations}
    for position, clause_id in enumerate(wanted):
        if clause_id in have:
            have[clause_id].position = position
        else:
            row.citations.append(QuestionCitation(clause_id=clause_id, position=position))


def sync_questions(content: ContentSet, report: SyncReport) -> None:
    existing = {row.id: row for row in db.session.scalars(select(Question))}
    for doc in content.questions.values():
        new_hash = question_hash(doc)
        row = existing.get(doc.id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note("question", "unchanged", doc.id)
            continue
        if row is None:
            row = Question(id=doc.id, version=1)
            db.session.add(row)
            report.note("question", "added", doc.id)
        else:
            row.version = (row.version or 0) + 1
            report.note("question", "changed", doc.id)
        row.content_hash = new_hash
        _fill_question(row, doc)
    for question_id, row in existing.items():
        if question_id not in content.questions and not row.retired:
            row.retired = True
            report.note("question", "retired", question_id)
    db.session.flush()


def sync_quizzes(content: ContentSet, report: SyncReport) -> None:
    existing = {row.id: row for row in db.session.scalars(select(Quiz))}
    for position, doc in enumerate(content.quizzes.values()):
        new_hash = quiz_hash(doc, position)
        row = existing.get(doc.id)
        if row is not None and row.content_hash == new_hash and not row.retired:
            report.note("quiz", "unchanged", doc.id)
            continue
        if row is None:
            row = Quiz(id=doc.id)
            db.session.add(row)
            report.note("quiz", "added", doc.id)
        else:
            report.note("quiz", "changed", doc.id)
        row.title, row.title_en, row.course_id = doc.title, doc.title_en, doc.course
        row.pass_mark, row.time_limit_minutes, row.max_attempts = doc.pass_mark, doc.time_limit_minutes, doc.max_attempts
        row.shuffle, row.draw, row.position = doc.shuffle, draw_rules(doc), position
        row.content_hash, row.retired, row.synced_at = new_hash, False, _now()
    for quiz_id, row in existing.items():
        if quiz_id not in content.quizzes and not row.retired:
            row.retired = True
            report.note("quiz", "retired", quiz_id)
    db.session.flush()


def sync_bank(content: ContentSet, report: SyncReport) -> None:
    """The plugin's ``sync``: questions first (quizzes draw from them), then quizzes."""
    sync_questions(content, report)
    sync_quizzes(content, report)
    logger.info("question bank synced: %d questions, %d quizzes", len(content.questions), len(content.quizzes))
