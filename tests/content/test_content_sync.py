"""Sync: idempotent, non-destructive, hashes per lesson and clause; CLI check/sync/stats."""

import json
import re
import shutil
from pathlib import Path

from sqlalchemy import func, select

from app.content.loader import load_content
from app.content.models import Clause, Course, Lesson, LessonProgress
from app.content.sync import sync_content

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"


def test_shipped_content_checks_clean(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_check_reports_path_and_line_and_exits_1(runner):
    broken = FIXTURES / "broken" / "link_unknown_clause"
    result = runner.invoke(args=["content", "check", str(broken)])
    assert result.exit_code == 1
    assert ("tests/fixtures/content/broken/link_unknown_clause/lessons/greet.md:15: "
            "link to unknown clause '#phone.answer.nope'") in result.output.splitlines()


def test_sync_then_resync_changes_nothing(db, synced, shipped_content):
    assert synced.added["lesson"] and len(synced.added["lesson"]) == len(shipped_content.lessons)
    lesson = db.session.get(Lesson, "phone")
    assert lesson.content_hash and "phone.answer.rings" in lesson.html
    assert db.session.get(Clause, "phone.answer.rings").content_hash
    again = sync_content(shipped_content)
    db.session.commit()
    assert again.is_noop
    assert again.unchanged["lesson"] == len(shipped_content.lessons)


def test_lesson_html_is_rendered_at_sync_with_anchors(db, synced):
    html = db.session.get(Lesson, "phone").html
    assert 'id="phone.answer.rings"' in html
    assert 'class="clause"' in html
    assert "<script" not in html


def _copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content" / "standards", root)
    return root


def test_removed_lesson_and_clause_are_retired_not_deleted(db, tmp_path, make_employee):
    root = _copy_content(tmp_path)
    sync_content(load_content(root))
    db.session.commit()
    reader = make_employee()
    db.session.add(LessonProgress(employee_id=reader.id, lesson_id="desk-ops", content_hash="x",
                                  read_at=db.func.now()))
    db.session.commit()
    # edit one clause's text, drop another clause, and drop the whole desk-ops lesson
    phone = root / "lessons" / "phone.md"
    text = phone.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.rstrip().endswith("{#phone.answer.rings}"))
    lines[target] = lines[target].replace("{#phone.answer.rings}", "（已修订） {#phone.answer.rings}")
    phone.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "lessons" / "desk-ops.md").unlink()
    (root / "questions" / "desk-ops.md").unlink()
    courses = (root / "courses.yml").read_text(encoding="utf-8").replace("desk-service, desk-ops,", "desk-service,")
    (root / "courses.yml").write_text(courses, encoding="utf-8")
    report = sync_content(load_content(root))
    db.session.commit()
    assert report.retired["lesson"] == ["desk-ops"]
    assert "phone.answer.rings" in report.changed["clause"]
    assert "phone" in report.changed["lesson"]
    retired = db.session.get(Lesson, "desk-ops")
    assert retired is not None and retired.retired is True
    assert db.session.scalar(select(func.count()).select_from(Clause).where(
        Clause.lesson_id == "desk-ops", Clause.retired.is_(False))) == 0
    assert db.session.scalar(select(func.count()).select_from(Clause).where(Clause.lesson_id == "desk-ops")) > 0
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    assert "已修订" in db.session.get(Clause, "phone.answer.rings").text


def test_sync_cli_refuses_broken_content_and_writes_nothing(runner, db):
    broken = FIXTURES / "broken" / "link_unknown_clause"
    result = runner.invoke(args=["content", "sync", str(broken)])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_sync_cli_reports_added_then_up_to_date(runner, db):
    first = runner.invoke(args=["content", "sync"])
    assert first.exit_code == 0, first.output
    assert "lesson: 9 added" in first.output
    second = runner.invoke(args=["content", "sync"])
    assert second.exit_code == 0
    assert "already up to date" in second.output
    assert db.session.scalar(select(func.count()).select_from(Course)) == 5


def test_stats_json(runner):
    result = runner.invoke(args=["content", "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lessons"] == 9 and data["courses"] >= 5
    assert data["clauses"] > 400
    assert data["questions"] >= 150
    assert set(data["questions_by_type"]) >= {"single", "multiple", "truefalse", "ordering", "numeric", "phrase"}
    assert data["uncited_clauses"] == []


_HREF_RE = re.compile(r'href="([^"]*)"')


def test_every_lesson_link_lands_on_an_existing_anchor(db, synced):
    """Issue 17 item 6: cross-lesson references point at the other lesson's page, not this one."""
    lessons = {lesson.id: lesson.html for lesson in db.session.scalars(select(Lesson))}
    phone = lessons["phone"]
    assert 'href="/lessons/language#language.tone"' in phone
    assert 'href="#language.tone"' not in phone
    checked = 0
    for lesson_id, html in lessons.items():
        for href in _HREF_RE.findall(html):
            if href.startswith("#"):
                target_lesson, anchor = lesson_id, href[1:]
            elif href.startswith("/lessons/"):
                target_lesson, _, anchor = href.removeprefix("/lessons/").partition("#")
            else:
                continue
            assert f'id="{anchor}"' in lessons[target_lesson], f"{lesson_id}: dead link {href}"
            checked += 1
    assert checked > 23


def test_resync_repairs_stale_lesson_html_without_marking_it_changed(db, synced, shipped_content):
    lesson = db.session.get(Lesson, "phone")
    content_hash = lesson.content_hash
    lesson.html = lesson.html.replace("/lessons/language#language.tone", "#language.tone")
    db.session.commit()
    again = sync_content(shipped_content)
    db.session.commit()
    assert again.is_noop
    lesson = db.session.get(Lesson, "phone")
    assert 'href="/lessons/language#language.tone"' in lesson.html
    assert lesson.content_hash == content_hash
