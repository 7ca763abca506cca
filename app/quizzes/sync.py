"""Import the question bank and the quizzes into the database (``flask content sync``).

Runs inside ``app.content.sync.sync_content`` after lessons and clauses, in the caller's
transaction. Idempotent (one content hash per row), non-destructive (a question or quiz that
left the content is retired; attempts keep their frozen copies), and the Markdown of prompts,
options and explanations is rendered here, once, never per request (DESIGN §8).
"""

from __future__ import annotations

import logging

from app.content.documents import ContentSet, QuestionDoc, QuizDoc
from app.content.models import RETEST_PREFIX
from app.content.plugins import SyncReport
from app.content.render import render_inline
from app.content.sync import digest, upsert_catalog
from app.timeutil import utcnow as _now

from .models import Question, QuestionCitation, Quiz
from .question_types import get_type

logger = logging.getLogger(__name__)



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


def _fill_question_version(row: Question, doc: QuestionDoc, _position: int, is_new: bool) -> None:
    """A changed question gets a new version number; attempts keep the frozen copy they used."""
    row.version = 1 if is_new else (row.version or 0) + 1
    _fill_question(row, doc)


def sync_questions(content: ContentSet, report: SyncReport) -> None:
    upsert_catalog(Question, "question", content.questions, hash_of=lambda doc, _pos: question_hash(doc),
                   fill=_fill_question_version, report=report)


def _fill_quiz(row: Quiz, doc: QuizDoc, position: int, _is_new: bool) -> None:
    row.title, row.title_en, row.course_id = doc.title, doc.title_en, doc.course
    row.pass_mark, row.time_limit_minutes, row.max_attempts = doc.pass_mark, doc.time_limit_minutes, doc.max_attempts
    row.shuffle, row.draw, row.position, row.synced_at = doc.shuffle, draw_rules(doc), position, _now()


def sync_quizzes(content: ContentSet, report: SyncReport) -> None:
    # refresher quizzes (``retest-N``) are made by the app, not the content: never retire them
    upsert_catalog(Quiz, "quiz", content.quizzes, hash_of=quiz_hash, fill=_fill_quiz, report=report,
                   keep_out=(~Quiz.id.startswith(RETEST_PREFIX),))


def sync_bank(content: ContentSet, report: SyncReport) -> None:
    """The plugin's ``sync``: questions first (quizzes draw from them), then quizzes."""
    sync_questions(content, report)
    sync_quizzes(content, report)
    logger.info("question bank synced: %d questions, %d quizzes", len(content.questions), len(content.quizzes))
