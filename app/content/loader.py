"""Load a content root (``content/standards``) into a :class:`ContentSet` — never raising.

Authors will save broken files; ``flask content check`` must list every problem at once as
``path:line: message`` rather than stop at the first traceback. So each file is parsed on its
own, a :class:`ContentError` abandons only that file, and identity checks that need all files
(duplicate lesson, clause and question ids) are done here while merging.

The documents and helpers are re-exported so callers can import everything from this module.
"""

from __future__ import annotations

from pathlib import Path

from .catalog_parser import parse_courses, parse_quizzes
from .documents import (
    CLAUSE_ID_RE,
    SLUG_RE,
    ClauseDoc,
    ContentError,
    ContentSet,
    CourseDoc,
    DrawRule,
    LessonDoc,
    OptionDoc,
    Problem,
    QuestionDoc,
    QuizDoc,
    split_list,
)
from .lesson_parser import parse_lesson
from .question_parser import parse_question_file
from .source import read_lines
from .yaml_lines import LineDict, LineList, LineLoader, YamlProblem, load_yaml

__all__ = [
    "CLAUSE_ID_RE", "SLUG_RE", "ClauseDoc", "ContentError", "ContentSet", "CourseDoc", "DrawRule",
    "LessonDoc", "LineDict", "LineList", "LineLoader", "OptionDoc", "Problem", "QuestionDoc", "QuizDoc",
    "YamlProblem", "load_content", "load_yaml", "split_list",
]

LESSONS_DIR = "lessons"
QUESTIONS_DIR = "questions"
COURSES_FILE = "courses.yml"
QUIZZES_FILE = "quizzes.yml"


def default_display_base(root: Path) -> Path:
    """Where problem paths are relative to: the working directory when the root is inside it
    (so ``flask content check`` prints ``content/standards/lessons/phone.md``), else the root's
    parent."""
    root = root.resolve()
    cwd = Path.cwd().resolve()
    return cwd if root.is_relative_to(cwd) else root.parent


class _Loader:
    """Collects documents and problems for one root; one method per kind of file."""

    def __init__(self, root: Path, base: Path) -> None:
        self.base = base.resolve()
        self.content = ContentSet(root=root)
        #: First location of every clause id, for "duplicate clause id" messages.
        self.clause_sites: dict[str, str] = {}

    def display(self, path: Path) -> str:
        resolved = path.resolve()
        if resolved.is_relative_to(self.base):
            return resolved.relative_to(self.base).as_posix()
        return path.as_posix()

    def report(self, problems: list[Problem]) -> None:
        self.content.problems.extend(problems)

    def read(self, path: Path) -> list[str] | None:
        try:
            return read_lines(path, self.display(path))
        except ContentError as exc:
            self.report([exc.problem])
            return None

    def parse_lesson(self, path: Path) -> LessonDoc | None:
        lines = self.read(path)
        if lines is None:
            return None
        try:
            lesson, problems = parse_lesson(lines, self.display(path), path.stem)
        except ContentError as exc:
            self.report([exc.problem])
            return None
        self.report(problems)
        return lesson

    def load_lessons(self, paths: list[Path]) -> None:
        """Parse every lesson, then merge; when two claim one id, the file named after the id
        wins (``greet.md`` over ``greet-copy.md``), whatever the alphabetical order."""
        parsed = [(lesson, path) for path in paths if (lesson := self.parse_lesson(path)) is not None]
        parsed.sort(key=lambda item: (item[0].id != item[1].stem, item[1].name))
        for lesson, _path in parsed:
            self.add_lesson(lesson)

    def add_lesson(self, lesson: LessonDoc) -> None:
        first = self.content.lessons.get(lesson.id)
        if first is not None:
            self.report([Problem(lesson.path, lesson.line, f"duplicate lesson id {lesson.id!r} "
                                 f"(first in {first.path}:{first.line})")])
            return
        lesson.clauses = [c for c in lesson.clauses if self.claim_clause(c, lesson.path)]
        self.content.lessons[lesson.id] = lesson

    def claim_clause(self, clause: ClauseDoc, display: str) -> bool:
        """Register a clause id; a repeat (in any lesson) is reported and dropped."""
        site = self.clause_sites.get(clause.id)
        if site is not None:
            self.report([Problem(display, clause.line, f"duplicate clause id {clause.id!r} (first at {site})")])
            return False
        self.clause_sites[clause.id] = f"{display}:{clause.line}"
        return True

    def load_question_file(self, path: Path) -> None:
        lines = self.read(path)
        if lines is None:
            return
        try:
            questions, problems = parse_question_file(lines, self.display(path), path.stem)
        except ContentError as exc:
            self.report([exc.problem])
            return
        self.report(problems)
        for question in questions:
            first = self.content.questions.get(question.id)
            if first is not None:
                self.report([Problem(question.path, question.line, f"duplicate question id {question.id!r} "
                                     f"(first at {first.path}:{first.line})")])
            else:
                self.content.questions[question.id] = question

    def load_catalog(self, path: Path, required: bool) -> None:
        display = self.display(path)
        if not path.exists():
            if required:
                self.report([Problem(display, 1, f"{path.name} is missing")])
            return
        lines = self.read(path)
        if lines is None:
            return
        if path.name == COURSES_FILE:
            courses, problems = parse_courses(lines, display)
            self.content.courses.update((course.id, course) for course in courses)
        else:
            quizzes, problems = parse_quizzes(lines, display)
            self.content.quizzes.update((quiz.id, quiz) for quiz in quizzes)
        self.report(problems)


def _markdown_files(folder: Path) -> list[Path]:
    """The ``*.md`` files of a folder in a stable order (README.md is documentation, not content)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file() and p.name.lower() != "readme.md")


def load_content(root: Path, display_base: Path | None = None) -> ContentSet:
    """Load lessons, questions, courses and quizzes under ``root``; never raises on bad content.

    Every problem found is in ``ContentSet.problems`` with a path relative to ``display_base``
    (see :func:`default_display_base`). Only the first of two documents with the same id is kept.
    """
    root = Path(root)
    loader = _Loader(root, display_base or default_display_base(root))
    loader.load_lessons(_markdown_files(root / LESSONS_DIR))
    for path in _markdown_files(root / QUESTIONS_DIR):
        loader.load_question_file(path)
    loader.load_catalog(root / COURSES_FILE, required=True)
    loader.load_catalog(root / QUIZZES_FILE, required=False)
    return loader.content
