"""Small builders for the training tests: a tiny catalog, results, attempts, reading progress.

Plain functions (not fixtures) so test modules can import them by name; they add rows through
the models and flush or commit like the other builders in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from sqlalchemy import func, select

from app.content.models import Clause, Course, CourseLesson, Lesson, LessonProgress
from app.drills.models import (
    Checklist,
    ComplaintExercise,
    DrillClauseMiss,
    LanguagePrompt,
    RunState,
    Scenario,
    ScenarioRun,
    ScenarioVersion,
)
from app.extensions import db
from app.quizzes.models import Attempt, AttemptItem, AttemptState, Question, QuestionCitation, Quiz
from app.results.models import Result

_source = itertools.count(1000)

COURSE = "c-basic"
LESSONS = ("l-one", "l-two")
QUIZ = "q-basic"
SCENARIO = "s-basic"
CHECKLIST = "k-basic"
COMPLAINT = "x-basic"
LANGUAGE = "p-basic"


def make_catalog() -> None:
    """Course c-basic (lessons l-one, l-two), quiz q-basic on it, one drill of each kind, clauses."""
    for position, lesson_id in enumerate(LESSONS):
        db.session.add(Lesson(id=lesson_id, title=f"课{position + 1}", content_hash="h"))
    db.session.flush()
    for lesson_id in LESSONS:
        for suffix in ("a", "b"):
            db.session.add(Clause(id=f"{lesson_id}.{suffix}", lesson_id=lesson_id, text=f"条款 {lesson_id}.{suffix}",
                                  content_hash="h", level=0))
    course = Course(id=COURSE, title="基础课程", content_hash="h")
    course.lesson_links = [CourseLesson(course_id=COURSE, lesson_id=lid, position=i) for i, lid in enumerate(LESSONS)]
    db.session.add(course)
    db.session.flush()
    db.session.add(Quiz(id=QUIZ, title="基础测验", course_id=COURSE, pass_mark=80, content_hash="h", draw=[]))
    db.session.add(Scenario(id=SCENARIO, title="情景一", spec={}, content_hash="h"))
    db.session.add(Checklist(id=CHECKLIST, title="仪容检查", spec={}, content_hash="h"))
    db.session.add(ComplaintExercise(id=COMPLAINT, title="投诉记录", spec={}, content_hash="h"))
    db.session.add(LanguagePrompt(id=LANGUAGE, title="礼貌用语", spec={}, content_hash="h"))
    db.session.flush()
    for lesson_id in LESSONS:
        add_question(f"{lesson_id}-q", lesson_id, [f"{lesson_id}.a"])
    db.session.commit()


def add_question(question_id: str, lesson_id: str, clause_ids: list[str]) -> Question:
    question = Question(id=question_id, lesson_id=lesson_id, type="single", difficulty=1, spec={},
                        prompt_html="<p>?</p>", content_hash="h")
    question.citations = [QuestionCitation(clause_id=c, position=i) for i, c in enumerate(clause_ids)]
    db.session.add(question)
    db.session.flush()
    return question


def add_result(employee_id: int, kind: str, activity_id: str, score: float, finished_at: dt.datetime,
               passed: bool | None = None) -> Result:
    result = Result(employee_id=employee_id, kind=kind, activity_id=activity_id, source_id=next(_source),
                    score=score, passed=passed, finished_at=finished_at)
    db.session.add(result)
    db.session.commit()
    return result


def add_attempt(employee_id: int, quiz_id: str, *, started_at: dt.datetime, finished_at: dt.datetime | None = None,
                items: list[tuple[str, float | None]] = (), number: int | None = None) -> Attempt:
    """An attempt: in progress when ``finished_at`` is None, else submitted with ``items`` graded."""
    if number is None:
        number = 1 + db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.employee_id == employee_id, Attempt.quiz_id == quiz_id))
    attempt = Attempt(employee_id=employee_id, quiz_id=quiz_id, number=number, started_at=started_at,
                      state=AttemptState.SUBMITTED.value if finished_at else AttemptState.IN_PROGRESS.value,
                      finished_at=finished_at, pass_mark=80)
    attempt.items = [AttemptItem(position=i + 1, question_id=qid, question_version=1, qtype="single", spec={},
                                 prompt_html="<p>?</p>", fraction=fraction)
                     for i, (qid, fraction) in enumerate(items)]
    if finished_at and items:
        attempt.score = round(100 * sum(f or 0 for _, f in items) / len(items), 2)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def start_scenario(employee_id: int, scenario_id: str, at: dt.datetime) -> ScenarioRun:
    version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario_id))
    if version is None:
        version = ScenarioVersion(scenario_id=scenario_id, content_hash="h", spec={})
        db.session.add(version)
        db.session.flush()
    run = ScenarioRun(employee_id=employee_id, scenario_id=scenario_id, version_id=version.id,
                      state=RunState.IN_PROGRESS.value, current_node="start", started_at=at, updated_at=at)
    db.session.add(run)
    db.session.commit()
    return run


def add_drill_miss(employee_id: int, clause_id: str, at: dt.datetime, kind: str = "complaint") -> None:
    db.session.add(DrillClauseMiss(kind=kind, source_id=next(_source), employee_id=employee_id, clause_id=clause_id,
                                   recorded_at=at))
    db.session.commit()


def read_lesson(employee_id: int, lesson_id: str, at: dt.datetime) -> None:
    db.session.add(LessonProgress(employee_id=employee_id, lesson_id=lesson_id, content_hash="h", read_at=at))
    db.session.commit()


def write_plan(directory: Path, text: str) -> Path:
    """An onboarding.yml in ``directory`` (point CONTENT_DIR at it)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "onboarding.yml"
    path.write_text(text, encoding="utf-8")
    return path


PLAN_YAML = f"""\
roles: [trainee]
max_days_since_hire: 60
items:
  - {{kind: course, id: {COURSE}, due_days: 7, note: 第一周读完}}
  - {{kind: quiz, id: {QUIZ}, due_days: 10}}
  - {{kind: scenario, id: {SCENARIO}, due_days: 14}}
  - {{kind: observation, id: {CHECKLIST}, due_days: 30}}
"""
