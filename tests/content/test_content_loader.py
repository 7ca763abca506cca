"""load_content(): files → documents with line numbers; any bytes → Problems, never exceptions."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.loader import (
    ContentError,
    LineDict,
    Problem,
    YamlProblem,
    load_content,
    load_yaml,
    split_list,
)
from app.content.validate import validate

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "valid"

LESSON_HEAD = "---\nid: demo\ntitle: 演示\nsummary: 演示课。\n---\n"
COURSES = "courses:\n  - id: c\n    title: 课程\n    lessons: [demo]\n"


def tree(tmp_path: Path, lesson_body: str = "", questions: str | None = None, courses: str = COURSES,
         quizzes: str | None = None) -> Path:
    """A one-lesson content root; lines of ``lesson_body`` start at line 6 of demo.md."""
    root = tmp_path / "standards"
    (root / "lessons").mkdir(parents=True)
    (root / "questions").mkdir()
    (root / "lessons" / "demo.md").write_text(LESSON_HEAD + lesson_body, encoding="utf-8")
    if questions is not None:
        (root / "questions" / "demo.md").write_text(questions, encoding="utf-8")
    (root / "courses.yml").write_text(courses, encoding="utf-8")
    if quizzes is not None:
        (root / "quizzes.yml").write_text(quizzes, encoding="utf-8")
    return root


def load(root: Path):
    return load_content(root, display_base=root)


# --- the valid fixture ---------------------------------------------------------------------------


def test_valid_fixture_loads_every_document_kind():
    content = load(VALID)
    assert content.problems == []
    assert sorted(content.lessons) == ["greet", "phone"]
    assert len(content.questions) == 8
    assert list(content.courses) == ["new-hire"]
    assert list(content.quizzes) == ["new-hire-check"]


def test_lesson_front_matter_and_body():
    phone = load(VALID).lessons["phone"]
    assert (phone.title, phone.title_en, phone.summary) == ("电话礼仪", "Telephone etiquette", "接听、转接和结束通话的规范。")
    assert phone.sources == ["篇1 第5-6条", "篇3 3.4.1"]
    assert (phone.path, phone.line, phone.body_line) == ("lessons/phone.md", 2, 8)
    assert phone.body.splitlines()[0] == "开场段落，不是条款。"


def test_clauses_have_level_parent_order_line_and_plain_text():
    clauses = {c.id: c for c in load(VALID).lessons["phone"].clauses}
    heading, item, sub, sub_item = (clauses[i] for i in (
        "phone.answer", "phone.answer.rings", "phone.answer.transfer", "phone.answer.transfer.tell"))
    assert (heading.level, heading.parent_id, heading.order, heading.line, heading.text) == (2, None, 1, 10, "接听电话")
    assert (item.level, item.parent_id, item.line) == (0, "phone.answer", 12)
    assert item.text == "电话铃响后，三声之内必须拿起听筒。"
    assert (sub.level, sub.parent_id) == (3, "phone.answer")
    assert (sub_item.level, sub_item.parent_id) == (0, "phone.answer.transfer")
    assert clauses["phone.end.hangup"].parent_id == "phone.end"  # ## resets the ### parent


def test_wrapped_item_text_is_joined_without_markdown():
    smile = {c.id: c for c in load(VALID).lessons["phone"].clauses}["phone.answer.smile"]
    assert smile.line == 14
    assert smile.text == "通话时面带微笑，语速适中。"


def test_links_are_collected_with_lines():
    assert load(VALID).lessons["phone"].links == [("phone.answer.greeting", 27), ("greet.look.badge", 27)]


def test_question_block_fields():
    question = load(VALID).questions["phone-rings"]
    assert (question.type, question.lesson_id, question.path, question.line) == ("single", "phone", "questions/phone.md", 4)
    assert question.meta_lines == {"type": 5, "cites": 6, "difficulty": 7, "tags": 8}
    assert (question.cites, question.tags, question.difficulty) == (["phone.answer.rings"], ["数字"], 1)
    assert question.prompt == "电话铃响后，最迟应在第几声之内接起？"
    assert [(o.text, o.checked, o.line) for o in question.options] == [
        ("第一声", False, 12), ("第三声", True, 13), ("第五声", False, 14)]
    assert question.numbered is False
    assert question.explanation == "解析：铃响三声之内必须接听，让来电者少等。"


def test_numbered_options_have_no_checkbox():
    question = load(VALID).questions["phone-transfer-steps"]
    assert question.numbered is True
    assert [o.checked for o in question.options] == [None, None, None]


def test_course_and_quiz_documents():
    content = load(VALID)
    course, quiz = content.courses["new-hire"], content.quizzes["new-hire-check"]
    assert (course.lessons, course.line, course.title_en) == (["greet", "phone"], 3, "New-hire basics")
    assert (quiz.course, quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts, quiz.shuffle) == (
        "new-hire", 80, 20, 3, True)
    assert [(r.count, r.lesson, r.tag, r.difficulty, r.line) for r in quiz.draw] == [
        (3, "phone", None, None, 11), (1, "greet", None, None, 12), (1, None, "数字", 1, 13)]


# --- lesson scanning details -----------------------------------------------------------------------


def test_nested_and_loose_items_and_admonition_items(tmp_path: Path):
    body = ("## 甲 {#demo.a}\n\n- 松散一 {#demo.a.one}\n\n- 松散二 {#demo.a.two}\n    - 嵌套 {#demo.a.two.x}\n\n"
            "!!! note \"说明\"\n\n    - 说明里的列表项不需要编号\n")
    content = load(tree(tmp_path, body))
    assert content.problems == []
    clauses = content.lessons["demo"].clauses
    assert [(c.id, c.line, c.parent_id) for c in clauses] == [
        ("demo.a", 6, None), ("demo.a.one", 8, "demo.a"), ("demo.a.two", 10, "demo.a"), ("demo.a.two.x", 11, "demo.a")]


def test_item_under_unmarked_heading_takes_nearest_clause_heading(tmp_path: Path):
    body = "## 甲 {#demo.a}\n\n### 没有编号\n\n- 项 {#demo.a.item}\n"
    clause = load(tree(tmp_path, body)).lessons["demo"].clauses[-1]
    assert clause.parent_id == "demo.a"


def test_crlf_and_bom_keep_line_numbers(tmp_path: Path):
    root = tree(tmp_path)
    text = "\ufeff" + LESSON_HEAD + "## 甲 {#demo.a}\n\n- 项 {#demo.a.b}\n"
    (root / "lessons" / "demo.md").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    lesson = load(root).lessons["demo"]
    assert [(c.id, c.line) for c in lesson.clauses] == [("demo.a", 6), ("demo.a.b", 8)]


def test_readme_in_lessons_folder_is_not_a_lesson(tmp_path: Path):
    root = tree(tmp_path)
    (root / "lessons" / "README.md").write_text("# notes\n", encoding="utf-8")
    assert list(load(root).lessons) == ["demo"]


# --- question parsing details ----------------------------------------------------------------------


def test_question_parsing_tolerates_full_width_colon_and_multi_paragraph_parts(tmp_path: Path):
    questions = ("---\nlesson: demo\n---\n## demo-q\ntype：single\nCites: demo.a.b\ndifficulty: 1\n\n"
                 "第一段。\n\n第二段。\n\n- [X] 对\n- [ ] 错\n  续行\n\n> 解析：一。\n>\n> 二。\n\n> 三。\n")
    question = load(tree(tmp_path, "## 甲 {#demo.a}\n\n- 项 {#demo.a.b}\n", questions)).questions["demo-q"]
    assert question.meta == {"type": "single", "cites": "demo.a.b", "difficulty": "1"}
    assert question.prompt == "第一段。\n\n第二段。"
    assert [(o.text, o.checked) for o in question.options] == [("对", True), ("错 续行", False)]
    assert question.explanation == "解析：一。\n\n二。\n\n三。"


def test_question_file_without_blocks_is_reported(tmp_path: Path):
    content = load(tree(tmp_path, questions="---\nlesson: demo\n---\n\n"))
    assert [str(p) for p in content.problems] == ["questions/demo.md:4: no questions: add '## question-id' blocks"]


# --- courses.yml / quizzes.yml shapes ------------------------------------------------------------------


def test_courses_may_be_a_top_level_list_or_an_id_keyed_mapping(tmp_path: Path):
    listed = load(tree(tmp_path / "a", courses="- id: c\n  title: 课程\n  lessons: [demo]\n"))
    keyed = load(tree(tmp_path / "b", courses="c:\n  title: 课程\n  lessons: [demo]\n"))
    for content in (listed, keyed):
        assert content.problems == []
        assert content.courses["c"].lessons == ["demo"]
        assert content.courses["c"].line == 1


def test_quiz_defaults_and_type_errors(tmp_path: Path):
    quizzes = "quizzes:\n  - id: q\n    title: 测验\n    shuffle: maybe\n    draw:\n      - {count: two}\n      - 3\n"
    content = load(tree(tmp_path, quizzes=quizzes))
    quiz = content.quizzes["q"]
    assert (quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts, quiz.shuffle) == (80, None, None, True)
    assert [str(p) for p in sorted(content.problems)] == [
        "quizzes.yml:4: 'shuffle' must be true or false",
        "quizzes.yml:6: 'count' must be a whole number",
        "quizzes.yml:7: a draw rule must be a mapping",
    ]


def test_missing_quizzes_file_is_fine_but_missing_courses_file_is_not(tmp_path: Path):
    root = tree(tmp_path)
    (root / "courses.yml").unlink()
    assert [str(p) for p in load(root).problems] == ["courses.yml:1: courses.yml is missing"]


def test_default_display_path_is_relative_to_the_working_directory(tmp_path: Path, monkeypatch):
    root = tree(tmp_path, "- 没有编号\n")
    monkeypatch.chdir(tmp_path)
    assert [p.path for p in load_content(root).problems] == ["standards/lessons/demo.md"]
    monkeypatch.chdir(root / "lessons")  # root not under cwd: relative to the root's parent
    assert [p.path for p in load_content(root).problems] == ["standards/lessons/demo.md"]


# --- small helpers ----------------------------------------------------------------------------------


def test_problem_and_content_error_print_as_path_line_message():
    problem = Problem("content/standards/lessons/phone.md", 7, "duplicate clause id")
    assert str(problem) == "content/standards/lessons/phone.md:7: duplicate clause id"
    assert ContentError(problem).problem is problem
    assert str(ContentError(problem)) == str(problem)


def test_yaml_with_lines_records_mapping_key_and_item_lines():
    data, warnings = load_yaml("a: 1\nb:\n  - x\n  - {c: 2}\na: 3\n", line_offset=10)
    assert isinstance(data, LineDict)
    assert (data.line, data.key_lines, data["b"].item_lines, data["b"][1].line) == (11, {"a": 15, "b": 12}, [13, 14], 14)
    assert warnings == [(15, "duplicate key 'a'")]


def test_yaml_errors_carry_the_line():
    try:
        load_yaml("a: 1\nb: [x\nc: 2\n")
    except YamlProblem as exc:
        assert exc.line == 3 and exc.message.startswith("invalid YAML")
    else:  # pragma: no cover
        raise AssertionError("no YamlProblem")


def test_split_list_accepts_chinese_commas():
    assert split_list("a, b，c、 d,,") == ["a", "b", "c", "d"]
    assert split_list(None) == []


# --- robustness ----------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "---", "...", "id: demo", "lesson: demo", "title: 标题", "summary: x", "sources: [a, b]", "id: [1, {a: b}]",
    "## 标题 {#demo.a}", "### 小节 {#demo.a.b}", "# h1 {#demo.h}", "#### {#x", "- 项 {#demo.a.c}", "- [x] 对",
    "- [ ] 错", "1. 第一", "  - 嵌套 {#demo.a.c.d}", "> 解析", "type: single", "cites: demo.a.c", "difficulty: 9",
    "!!! note \"n\"", "    - 内 {#demo.n}", "| a | b {#t.t} |", "[x](#nowhere)", "{#", "}", "&a [*a]", "\t", "",
    "## demo-q", "## ", "accept: |", "\x00", "\u2028", "\r", "： ", "key:: value", "? [x]\n: y",
])
STRUCTURED = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=30).map("\n".join)
ANY_BYTES = st.one_of(st.binary(max_size=300), STRUCTURED.map(lambda t: t.encode("utf-8", "surrogatepass")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lesson=ANY_BYTES, questions=ANY_BYTES, catalog=st.one_of(STRUCTURED, st.just(COURSES)))
def test_load_and_validate_never_raise_on_any_bytes(lesson: bytes, questions: bytes, catalog: str):
    with tempfile.TemporaryDirectory() as folder:
        root = tree(Path(folder))
        (root / "lessons" / "demo.md").write_bytes(lesson)
        (root / "questions" / "demo.md").write_bytes(questions)
        (root / "courses.yml").write_text(catalog, encoding="utf-8", errors="surrogatepass")
        (root / "quizzes.yml").write_text(catalog.replace("courses", "quizzes"), encoding="utf-8", errors="surrogatepass")
        content = load_content(root, display_base=root)
        problems = validate(content)
    assert all(isinstance(p, Problem) and p.line >= 1 and p.path for p in problems)
