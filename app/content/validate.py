"""Cross-reference checks over a loaded ContentSet, plus plug-in checkers from higher layers.

The loader reports what is wrong inside one file; this module reports what is wrong *between*
files (a question citing a clause that does not exist, a course listing a missing lesson, a quiz
that cannot draw enough questions). It stays generic about question types: it only checks the
meta keys every question has (:data:`COMMON_META_KEYS`); the quiz layer passes its own checker
(``app.quizzes.question_types.check_questions``) to cover type-specific keys and unknown types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .documents import ClauseDoc, ContentSet, DrawRule, LessonDoc, Problem, QuestionDoc, QuizDoc
from .render import clause_resolver, render_lesson, rendered_clause_ids

Checker = Callable[[ContentSet], Iterable[Problem]]

#: Meta keys every question may carry, whatever its type.
COMMON_META_KEYS = ("type", "cites", "difficulty", "tags")
DIFFICULTIES = (1, 2, 3)


def validate(content: ContentSet, checkers: Iterable[Checker] = ()) -> list[Problem]:
    """All problems (load problems, core checks, then each checker's), deduplicated and sorted
    by path and line so the report reads file by file."""
    problems: set[Problem] = set(content.problems)
    for check in (*CORE_CHECKS, *checkers):
        problems.update(check(content))
    return sorted(problems)


# --- lessons -------------------------------------------------------------------------------


def check_lessons(content: ContentSet) -> Iterator[Problem]:
    """Clause ids start with their lesson id; every ``](#…)`` link names a known clause."""
    known = content.clause_index()
    for lesson in content.lessons.values():
        for clause in lesson.clauses:
            if not clause.id.startswith(lesson.id + "."):
                yield Problem(lesson.path, clause.line,
                              f"clause id {clause.id!r} must start with the lesson id: {lesson.id}.…")
        for target, line in lesson.links:
            if target not in known:
                yield Problem(lesson.path, line, f"link to unknown clause '#{target}'")


def check_rendered_clauses(content: ContentSet) -> Iterator[Problem]:
    """Every clause the loader found must also be an anchor in the rendered page, and every
    ``#fragment`` link in the rendered page must resolve to a clause (in whichever lesson).

    The classic miss: a list written right under a paragraph, without a blank line, is not a
    list for python-markdown, so its ``{#id}`` would show as text and links to it would break.
    Links are checked on the rendered tree too, so a link the line scanner cannot see (a
    reference-style ``[text][ref]`` whose ``[ref]: #x`` is unknown) is still reported.
    """
    clause_lessons = content.clause_lessons()
    for lesson in content.lessons.values():
        rendered = render_lesson(lesson.body, clause_resolver(clause_lessons, lesson.id))
        scanned = {target for target, _line in lesson.links}
        for fragment in dict.fromkeys(rendered.unresolved):
            if fragment not in scanned:  # those are reported by check_lessons, with their line
                yield Problem(lesson.path, _line_of(lesson, "#" + fragment),
                              f"link to unknown clause '#{fragment}'")
        if not lesson.clauses:
            continue
        anchors = rendered_clause_ids(rendered)
        for clause in lesson.clauses:
            if clause.id not in anchors:
                yield Problem(lesson.path, clause.line, f"clause {clause.id!r} does not render as an anchor: "
                              "leave a blank line before a list and keep the marker at the end of the line")


def _line_of(lesson: LessonDoc, needle: str) -> int:
    """The file line of the first body line containing ``needle`` (the lesson's line if none)."""
    for offset, text in enumerate(lesson.body.splitlines()):
        if needle in text:
            return lesson.body_line + offset
    return lesson.line


# --- questions -----------------------------------------------------------------------------


def check_question_refs(content: ContentSet) -> Iterator[Problem]:
    """The generic part of every question: id, lesson, type present, cites, difficulty, explanation."""
    known = content.clause_index()
    for question in content.questions.values():
        yield from _question_identity(content, question)
        yield from _question_cites(question, known)
        yield from _question_basics(question)


def _question_identity(content: ContentSet, question: QuestionDoc) -> Iterator[Problem]:
    if question.lesson_id not in content.lessons:
        yield Problem(question.path, question.lesson_line, f"unknown lesson {question.lesson_id!r}")
    if not question.id.startswith(question.lesson_id + "-"):
        yield Problem(question.path, question.line,
                      f"question id {question.id!r} must start with the lesson id: {question.lesson_id}-…")


def _question_cites(question: QuestionDoc, known: dict[str, ClauseDoc]) -> Iterator[Problem]:
    if not question.cites:
        yield Problem(question.path, question.line, "missing 'cites:' (the clause ids this question tests)")
    for clause_id in question.cites:
        if clause_id not in known:
            yield Problem(question.path, question.meta_line("cites"), f"cites unknown clause {clause_id!r}")


def _question_basics(question: QuestionDoc) -> Iterator[Problem]:
    if not question.type:
        yield Problem(question.path, question.line, "missing 'type:'")
    if "difficulty" not in question.meta:
        yield Problem(question.path, question.line, "missing 'difficulty:' (1 easy, 2 medium, 3 hard)")
    elif question.difficulty not in DIFFICULTIES:
        yield Problem(question.path, question.meta_line("difficulty"),
                      f"difficulty must be 1, 2 or 3, not {question.meta['difficulty']!r}")
    if not question.explanation:
        yield Problem(question.path, question.line, "missing explanation: end the question with a '> 解析：…' quote")


# --- courses -------------------------------------------------------------------------------


def check_courses(content: ContentSet) -> Iterator[Problem]:
    """Courses list known lessons, each once; every lesson is in at least one course."""
    listed: set[str] = set()
    for course in content.courses.values():
        if not course.lessons:
            yield Problem(course.path, course.line, f"course {course.id!r} has no lessons")
        seen: set[str] = set()
        for lesson_id, line in zip(course.lessons, course.lesson_lines, strict=False):
            if lesson_id not in content.lessons:
                yield Problem(course.path, line, f"course {course.id!r} lists unknown lesson {lesson_id!r}")
            elif lesson_id in seen:
                yield Problem(course.path, line, f"course {course.id!r} lists lesson {lesson_id!r} twice")
            seen.add(lesson_id)
        listed |= seen
    for lesson in content.lessons.values():
        if lesson.id not in listed:
            yield Problem(lesson.path, lesson.line, f"lesson {lesson.id!r} is not listed in any course")


# --- quizzes -------------------------------------------------------------------------------


def rule_scope(content: ContentSet, quiz: QuizDoc, rule: DrawRule) -> set[str]:
    """The lessons a rule draws from: its own lesson, else the quiz course's, else all."""
    if rule.lesson is not None:
        return {rule.lesson}
    course = content.courses.get(quiz.course or "")
    return set(course.lessons) if course is not None else set(content.lessons)


def rule_pool(content: ContentSet, quiz: QuizDoc, rule: DrawRule) -> list[QuestionDoc]:
    """The questions a draw rule may pick: in scope, with the rule's tag and difficulty.

    This is the contract the quiz engine draws by; keep the two in step.
    """
    scope = rule_scope(content, quiz, rule)
    return [
        q for q in content.questions.values()
        if q.lesson_id in scope
        and (rule.tag is None or rule.tag in q.tags)
        and (rule.difficulty is None or q.difficulty == rule.difficulty)
    ]


def check_quizzes(content: ContentSet) -> Iterator[Problem]:
    for quiz in content.quizzes.values():
        yield from _quiz_settings(content, quiz)
        yield from _quiz_rules(content, quiz)


def _quiz_settings(content: ContentSet, quiz: QuizDoc) -> Iterator[Problem]:
    line = quiz.key_lines.get
    if quiz.course is not None and quiz.course not in content.courses:
        yield Problem(quiz.path, line("course", quiz.line), f"quiz {quiz.id!r} uses unknown course {quiz.course!r}")
    if not 0 <= quiz.pass_mark <= 100:
        yield Problem(quiz.path, line("pass_mark", quiz.line), f"pass_mark must be between 0 and 100, not {quiz.pass_mark}")
    if quiz.time_limit_minutes is not None and quiz.time_limit_minutes < 1:
        yield Problem(quiz.path, line("time_limit_minutes", quiz.line), "time_limit_minutes must be at least 1")
    if quiz.max_attempts is not None and quiz.max_attempts < 1:
        yield Problem(quiz.path, line("max_attempts", quiz.line), "max_attempts must be at least 1")
    if not quiz.draw and "draw" in quiz.key_lines:
        yield Problem(quiz.path, line("draw", quiz.line), f"quiz {quiz.id!r} has no draw rules")


def _quiz_rules(content: ContentSet, quiz: QuizDoc) -> Iterator[Problem]:
    """Each rule on its own, then (only if all are fine) whether they can be met together."""
    course = content.courses.get(quiz.course or "")
    pools: list[tuple[int, list[QuestionDoc]]] = []
    for rule in quiz.draw:
        rule_problems = list(_rule_problems(content, quiz, rule, course.lessons if course else None))
        yield from rule_problems
        pool = rule_pool(content, quiz, rule)
        if not rule_problems and len(pool) < rule.count:
            rule_problems.append(Problem(quiz.path, rule.line,
                                         f"draw rule needs {rule.count} questions but only {len(pool)} match"))
            yield rule_problems[-1]
        if not rule_problems:
            pools.append((rule.count, pool))
    if not pools or len(pools) < len(quiz.draw):
        return
    wanted = sum(count for count, _ in pools)
    union = {q.id for _, pool in pools for q in pool}
    drawable = _max_draw(pools) if wanted <= len(union) else len(union)
    if drawable < wanted:
        yield Problem(quiz.path, quiz.line, f"quiz {quiz.id!r} draws {wanted} different questions "
                      f"but its rules overlap: at most {drawable} can be drawn")


def _rule_problems(content: ContentSet, quiz: QuizDoc, rule: DrawRule,
                   course_lessons: list[str] | None) -> Iterator[Problem]:
    if rule.count < 1:
        yield Problem(quiz.path, rule.line, "a draw rule's count must be at least 1")
    if rule.difficulty is not None and rule.difficulty not in DIFFICULTIES:
        yield Problem(quiz.path, rule.line, f"a draw rule's difficulty must be 1, 2 or 3, not {rule.difficulty}")
    if rule.lesson is None:
        return
    if rule.lesson not in content.lessons:
        yield Problem(quiz.path, rule.line, f"draw rule uses unknown lesson {rule.lesson!r}")
    elif course_lessons is not None and rule.lesson not in course_lessons:
        yield Problem(quiz.path, rule.line, f"lesson {rule.lesson!r} is not part of course {quiz.course!r}")


def _max_draw(rules: list[tuple[int, list[QuestionDoc]]]) -> int:
    """How many distinct questions the rules can draw together (bipartite matching of rule
    slots to questions, Kuhn's algorithm). Each rule alone may be satisfiable while overlapping
    rules are not: ``{lesson: phone, count: 5}`` + ``{tag: 数字, count: 3}`` with 6 phone
    questions, all tagged 数字."""
    slots = [[q.id for q in pool] for count, pool in rules for _ in range(count)]
    owner: dict[str, int] = {}

    def assign(slot: int, visited: set[str]) -> bool:
        for qid in slots[slot]:
            if qid in visited:
                continue
            visited.add(qid)
            if qid not in owner or assign(owner[qid], visited):
                owner[qid] = slot
                return True
        return False

    return sum(1 for slot in range(len(slots)) if assign(slot, set()))


# --- coverage ------------------------------------------------------------------------------


def uncited_clauses(content: ContentSet, extra_citations: Iterable[str] = ()) -> list[str]:
    """List-item clause ids (headings excluded) that no question and no extra citation (drills,
    checklists) cites: the parts of the standard nobody is tested on. Document order."""
    cited = set(extra_citations)
    for question in content.questions.values():
        cited.update(question.cites)
    return [clause.id for lesson in _lessons_in_order(content) for clause in lesson.clauses
            if clause.level == 0 and clause.id not in cited]


def _lessons_in_order(content: ContentSet) -> list[LessonDoc]:
    return sorted(content.lessons.values(), key=lambda lesson: lesson.id)


CORE_CHECKS: tuple[Checker, ...] = (
    check_lessons, check_rendered_clauses, check_question_refs, check_courses, check_quizzes,
)
