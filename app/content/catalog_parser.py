"""Parse ``courses.yml`` and ``quizzes.yml`` into CourseDoc / QuizDoc with line numbers.

Both files are a list of entries, either at the top level or under a ``courses:`` / ``quizzes:``
key; an id-keyed mapping (``new-hire: {title: …}``) is accepted too, so an author's natural
choice of shape is not an error. Types are checked here; ranges and cross-references are the
job of ``validate.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .documents import SLUG_RE, CourseDoc, DrawRule, Problem, QuizDoc
from .fields import Fields
from .yaml_lines import LineDict, LineList, YamlProblem, load_yaml

COURSE_KEYS = ("id", "title", "title_en", "description", "lessons", "certificate")
QUIZ_KEYS = ("id", "title", "title_en", "description", "course", "pass_mark", "time_limit_minutes",
             "max_attempts", "shuffle", "draw")
DRAW_KEYS = ("count", "lesson", "tag", "difficulty")
#: Used when a quiz does not say: a clear majority, the usual bar for a service standard.
DEFAULT_PASS_MARK = 80


def _entries(data: object, wrapper: str, display: str,
             problems: list[Problem]) -> Iterator[LineDict]:
    """Yield each entry mapping, whatever of the accepted shapes the file uses."""
    if data is None:
        return
    if isinstance(data, LineDict) and wrapper in data:
        for key in data:
            if key != wrapper:
                problems.append(Problem(display, data.line_of(key), f"unknown top-level key {key!r}"))
        data = data[wrapper]
        if data is None:
            return
    if isinstance(data, LineDict):
        for key, value in data.items():
            if isinstance(value, LineDict):
                value.setdefault("id", key)
                value.key_lines.setdefault("id", data.line_of(key))
                yield value
            else:
                problems.append(Problem(display, data.line_of(key), f"entry {key!r} must be a mapping of keys"))
        return
    if not isinstance(data, LineList):
        problems.append(Problem(display, 1, f"expected a list of {wrapper}"))
        return
    for index, item in enumerate(data):
        if isinstance(item, LineDict):
            yield item
        else:
            problems.append(Problem(display, data.line_of(index), "each entry must be a mapping of keys (id: …)"))


def _load(lines: list[str], display: str, problems: list[Problem]) -> object:
    try:
        data, warnings = load_yaml("\n".join(lines))
    except YamlProblem as exc:
        problems.append(Problem(display, exc.line, exc.message))
        return None
    problems.extend(Problem(display, line, message) for line, message in warnings)
    return data


def _entry_id(fields: Fields, what: str, seen: dict[str, int]) -> str | None:
    """The entry's id if present, well-formed and not a duplicate (each case reported)."""
    entry_id = fields.text("id", required=True)
    if entry_id is None:
        return None
    if not SLUG_RE.match(entry_id):
        fields.report("id", f"invalid {what} id {entry_id!r}: use lowercase letters, digits and '-'")
        return None
    if entry_id in seen:
        fields.report("id", f"duplicate {what} id {entry_id!r} (first on line {seen[entry_id]})")
        return None
    seen[entry_id] = fields.line("id")
    return entry_id


def parse_courses(lines: list[str], display: str) -> tuple[list[CourseDoc], list[Problem]]:
    problems: list[Problem] = []
    courses: list[CourseDoc] = []
    seen: dict[str, int] = {}
    for entry in _entries(_load(lines, display, problems), "courses", display, problems):
        fields = Fields(entry, display, problems)
        fields.check_keys(COURSE_KEYS, "a course")
        course_id = _entry_id(fields, "course", seen)
        lessons, lesson_lines = fields.text_list("lessons", required=True)
        if course_id is None:
            continue
        courses.append(CourseDoc(
            id=course_id, title=fields.text("title", required=True) or "", title_en=fields.text("title_en"),
            description=fields.text("description") or "", lessons=lessons, path=display,
            line=fields.line("id"), lesson_lines=lesson_lines,
            #: read by the certificates layer (its content plugin checks and syncs it)
            certificate=entry.get("certificate"), certificate_line=fields.line("certificate"),
        ))
    return courses, problems


def _draw_rules(fields: Fields) -> list[DrawRule]:
    value = fields.data.get("draw")
    if value is None:
        fields.missing("draw")
        return []
    if not isinstance(value, LineList):
        fields.report("draw", "'draw' must be a list of rules such as '- {lesson: phone, count: 5}'")
        return []
    rules: list[DrawRule] = []
    for index, item in enumerate(value):
        if not isinstance(item, LineDict):
            fields.problems.append(Problem(fields.path, value.line_of(index), "a draw rule must be a mapping"))
            continue
        rule = Fields(item, fields.path, fields.problems)
        rule.check_keys(DRAW_KEYS, "a draw rule")
        rules.append(DrawRule(
            count=rule.integer("count", required=True, default=0) or 0, lesson=rule.text("lesson"),
            tag=rule.text("tag"), difficulty=rule.integer("difficulty"), line=item.line,
        ))
    return rules


def parse_quizzes(lines: list[str], display: str) -> tuple[list[QuizDoc], list[Problem]]:
    problems: list[Problem] = []
    quizzes: list[QuizDoc] = []
    seen: dict[str, int] = {}
    for entry in _entries(_load(lines, display, problems), "quizzes", display, problems):
        fields = Fields(entry, display, problems)
        fields.check_keys(QUIZ_KEYS, "a quiz")
        quiz_id = _entry_id(fields, "quiz", seen)
        draw = _draw_rules(fields)
        if quiz_id is None:
            continue
        quizzes.append(QuizDoc(
            id=quiz_id, title=fields.text("title", required=True) or "", title_en=fields.text("title_en"),
            course=fields.text("course"), pass_mark=fields.integer("pass_mark", default=DEFAULT_PASS_MARK) or 0,
            time_limit_minutes=fields.integer("time_limit_minutes"),
            max_attempts=fields.integer("max_attempts"), shuffle=fields.boolean("shuffle", default=True),
            draw=draw, path=display, line=fields.line("id"), key_lines=dict(entry.key_lines),
        ))
    return quizzes, problems
