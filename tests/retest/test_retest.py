"""Re-test only what changed: change detection at sync, affected employees, HR's preview and
confirmation, the refresher (quiz drawn from citing questions, or reading only) and its outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.content.models import ChangeSetState, Clause, ContentChange, ContentChangeSet, Lesson, LessonProgress
from app.content.normalise import normalised_text, text_hash
from app.content.services import mark_read
from app.extensions import db as _db
from app.people.models import Role
from app.quizzes.attempts import save_answers, start_attempt, submit_attempt
from app.quizzes.models import Attempt, Question, QuestionCitation, Quiz
from app.results.models import Result
from app.timeutil import local_today
from app.training import retest, retest_outcome
from app.training.models import Assignment, AssignmentSource, Notification, RetestAssignment
from app.training.signals import retest_missed, retest_passed
from app.training.status import Status, status_of
from tests.quizzes.quiz_helpers import right_answer
from tests.retest.conftest import edit_clause, pass_activity, sync_root

RINGS, SOFT = "phone.answer.rings", "phone.voice.soft"


def _real_change(root):
    edit_clause(root, RINGS, "最多到第三声", "最多到第二声")
    edit_clause(root, SOFT, "音量柔和，", "音量柔和、语速适中，")


def _citing(*clause_ids):
    return set(_db.session.scalars(select(Question.id).join(QuestionCitation).where(
        QuestionCitation.clause_id.in_(clause_ids), Question.retired.is_(False))))


@pytest.fixture()
def received():
    got = {"passed": [], "missed": []}

    def on_passed(_sender, **kw):
        got["passed"].append(kw)

    def on_missed(_sender, **kw):
        got["missed"].append(kw)

    retest_passed.connect(on_passed)
    retest_missed.connect(on_missed)
    yield got
    retest_passed.disconnect(on_passed)
    retest_missed.disconnect(on_missed)


# --- change detection ------------------------------------------------------------------------


def test_normalised_text_ignores_spacing_punctuation_width_and_emphasis():
    a = "铃声响起后，最多到第三声就必须接起电话。篇1（经营部）"
    b = " 铃声响起后,最多到 **第三声** 就必须接起电话.  篇１(经营部)"
    assert normalised_text(a) == normalised_text(b) == "铃声响起后最多到第三声就必须接起电话篇1经营部"
    assert text_hash(a) == text_hash(b)
    assert text_hash(a) != text_hash(a.replace("第三声", "第二声"))


def test_first_sync_records_no_change_set_and_fills_text_hash(db, standards):
    assert db.session.scalar(select(func.count()).select_from(ContentChangeSet)) == 0
    clause = db.session.get(Clause, RINGS)
    assert clause.text_hash == text_hash(clause.text)


def test_cosmetic_edit_creates_no_change_set(db, standards):
    edit_clause(standards, RINGS, "后，最多到第三声", "后 , 最多到 **第三声** ")
    edit_clause(standards, "phone.answer.greeting-general", "篇1（经营部）", "篇１(经营部)")
    report = sync_root(standards, db)
    assert RINGS in report.changed["clause"]  # the text did change …
    assert report.change_set_id is None  # … but not in substance
    assert db.session.scalar(select(func.count()).select_from(ContentChangeSet)) == 0
    assert "，" not in db.session.get(Clause, RINGS).text.split("后")[1][:3]


def test_backfill_compares_old_rows_without_text_hash(db, standards):
    """A catalog synced before the migration has NULL text_hash: a cosmetic edit still makes nothing."""
    db.session.execute(Clause.__table__.update().values(text_hash=None))
    db.session.commit()
    edit_clause(standards, RINGS, "，最多", ", 最多")
    assert sync_root(standards, db).change_set_id is None
    assert db.session.scalar(select(func.count()).where(Clause.text_hash.is_(None))) == 0


def test_real_change_records_changed_clauses_with_old_and_new_text(db, standards):
    _real_change(standards)
    report = sync_root(standards, db)
    change_set = db.session.get(ContentChangeSet, report.change_set_id)
    assert change_set.state == ChangeSetState.PENDING.value and len(change_set.content_version) == 64
    rows = {c.clause_id: c for c in change_set.changes}
    assert set(rows) == {RINGS, SOFT}
    assert rows[RINGS].kind == "changed" and "第三声" in rows[RINGS].old_text and "第二声" in rows[RINGS].new_text
    assert rows[RINGS].section_id == "phone.answer" and rows[SOFT].section_id == "phone.voice"
    assert rows[RINGS].old_hash != rows[RINGS].new_hash == text_hash(rows[RINGS].new_text)
    assert "change set" in "\n".join(report.lines())
    # the same content again: nothing new
    assert sync_root(standards, db).change_set_id is None


def _add_clause(root, clause_id: str, text: str, *, remove: str | None = None) -> None:
    """Add a list-item clause after phone.answer.rings (and drop the clause ``remove``)."""
    phone = root / "lessons" / "phone.md"
    body = phone.read_text(encoding="utf-8").replace(
        "{#phone.answer.rings}\n", "{#phone.answer.rings}\n- " + text + " {#" + clause_id + "}\n")
    lines = [line for line in body.splitlines() if not (remove and line.rstrip().endswith("{#" + remove + "}"))]
    phone.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_added_and_removed_clauses_are_recorded(db, standards):
    _add_clause(standards, "phone.answer.queue", "来电多时按先后顺序接听。")
    first = sync_root(standards, db).change_set_id
    assert {(c.clause_id, c.kind) for c in db.session.get(ContentChangeSet, first).changes} == {
        ("phone.answer.queue", "added")}
    _add_clause(standards, "phone.answer.hold-music", "需要对方等候时播放等候音乐。", remove="phone.answer.queue")
    second = sync_root(standards, db).change_set_id
    kinds = {c.clause_id: c.kind for c in db.session.get(ContentChangeSet, second).changes}
    assert kinds == {"phone.answer.hold-music": "added", "phone.answer.queue": "removed"}


def test_removing_a_clause_alone_makes_no_change_set(db, standards):
    _add_clause(standards, "phone.answer.queue", "来电多时按先后顺序接听。")
    sync_root(standards, db)
    phone = standards / "lessons" / "phone.md"
    phone.write_text("\n".join(line for line in phone.read_text(encoding="utf-8").splitlines()
                               if not line.rstrip().endswith("{#phone.answer.queue}")) + "\n", encoding="utf-8")
    report = sync_root(standards, db)
    assert report.retired["clause"] == ["phone.answer.queue"] and report.change_set_id is None


# --- who is affected, the preview ----------------------------------------------------------------


def test_affected_employees_sections_and_questions(db, world):
    _real_change(world.root)
    report = sync_root(world.root, db)
    late = world.trainee
    pass_activity(db, late, "quiz", "communication-quiz", at=dt.datetime(2099, 1, 1))  # after the change
    p = retest.preview(db.session.get(ContentChangeSet, report.change_set_id))
    assert p.employee_ids == sorted([world.learned_quiz.id, world.learned_final.id])
    assert [(s.lesson_id, s.anchor) for lesson in p.lessons for s in lesson.sections] == [
        ("phone", "phone.answer"), ("phone", "phone.voice")]
    assert {q.id for q in p.questions} == _citing(RINGS, SOFT) and len(p.questions) >= 2
    assert p.clause_count == 2 and not p.reading_only
    assert set(p.course_ids) >= {"new-hire", "communication"}
    text = retest.summary(p)
    assert "2" in text and str(len(p.questions)) in text and "电话礼仪" in text


def _confirmed(db, world, client, login):
    _real_change(world.root)
    report = sync_root(world.root, db)
    login(world.hr)
    response = client.post(f"/training/standard-changes/{report.change_set_id}/confirm")
    assert response.status_code == 302
    return db.session.get(ContentChangeSet, report.change_set_id)


def test_preview_page_shows_figures_diff_and_people(db, world, client, login):
    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    login(world.hr)
    page = client.get(f"/training/standard-changes/{set_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<del" in html and "三" in html and "<ins" in html and "二" in html
    assert '/lessons/phone#phone.answer' in html and "phone.voice" in html
    assert world.learned_quiz.employee_no in html and world.failed.employee_no not in html
    listing = client.get("/training/standard-changes")
    assert listing.status_code == 200 and f"/training/standard-changes/{set_id}" in listing.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.SUPERVISOR])
def test_trainees_and_supervisors_get_403(db, standards, client, login_as, role):
    _real_change(standards)
    set_id = sync_root(standards, db).change_set_id
    login_as(role)
    assert client.get("/training/standard-changes").status_code == 403
    assert client.get(f"/training/standard-changes/{set_id}").status_code == 403
    assert client.post(f"/training/standard-changes/{set_id}/confirm").status_code == 403
    assert db.session.get(ContentChangeSet, set_id).state == "pending"


# --- confirming ----------------------------------------------------------------------------------


def test_confirm_twice_creates_one_assignment_per_employee(db, world, client, login):
    change_set = _confirmed(db, world, client, login)
    again = client.post(f"/training/standard-changes/{change_set.id}/confirm")
    assert again.status_code == 302
    rows = list(db.session.scalars(select(Assignment).where(Assignment.source == AssignmentSource.RETEST.value)))
    assert sorted(a.employee_id for a in rows) == sorted([world.learned_quiz.id, world.learned_final.id])
    assert {(a.activity_kind, a.activity_id) for a in rows} == {("quiz", f"retest-{change_set.id}")}
    assert all(a.due_date == local_today() + dt.timedelta(days=14) for a in rows)
    assert db.session.scalar(select(func.count()).select_from(RetestAssignment)) == 2
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.assignment_id.in_([a.id for a in rows]), Notification.kind == "new")) == 2
    assert db.session.get(ContentChangeSet, change_set.id).state == "confirmed"
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retest.confirmed")))
    assert len(events) == 1 and events[0].details["employees"] == 2
    # a dismiss after the confirmation changes nothing
    client.post(f"/training/standard-changes/{change_set.id}/dismiss")
    assert db.session.get(ContentChangeSet, change_set.id).state == "confirmed"


def test_confirm_without_csrf_is_refused(db, world, client, login, app):
    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    login(world.hr)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/training/standard-changes/{set_id}/confirm").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(ContentChangeSet, set_id).state == "pending"


def test_dismiss_assigns_nothing_and_is_audited(db, world, client, login):
    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    login(world.hr)
    assert client.post(f"/training/standard-changes/{set_id}/dismiss").status_code == 302
    assert db.session.get(ContentChangeSet, set_id).state == "dismissed"
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "retest.dismissed")) == 1
    from app.admin.events import describe

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retest.dismissed"))
    assert f"忽略了标准变更 {set_id}（2 条条款）：不安排复训" in describe([event])[0].text


def test_refresher_quiz_draws_only_citing_questions_and_passing_fires_retest_passed(db, world, client, login,
                                                                                   received):
    change_set = _confirmed(db, world, client, login)
    quiz = db.session.get(Quiz, f"retest-{change_set.id}")
    citing = _citing(RINGS, SOFT)
    assert quiz is not None and quiz.question_count == len(citing) and quiz.pass_mark == 80
    employee = world.learned_quiz
    attempt, _new = start_attempt(employee.id, quiz.id)
    db.session.commit()
    assert {item.question_id for item in attempt.items} == citing
    save_answers(attempt.id, employee.id, {item.position: right_answer(item) for item in attempt.items})
    submit_attempt(attempt.id, employee.id)
    db.session.commit()
    result = db.session.scalar(select(Result).where(Result.activity_id == quiz.id))
    assert result.passed is True
    assert {(r["employee_id"], r["changeset_id"]) for r in received["passed"]} == {(employee.id, change_set.id)}
    assert {r["course_id"] for r in received["passed"]} >= {"new-hire", "communication"}
    row = db.session.scalar(select(RetestAssignment).where(RetestAssignment.employee_id == employee.id))
    assert row.passed_at is not None
    assert status_of(row.assignment, local_today()).status == Status.COMPLETED
    # a sweep later sends nothing again
    retest_outcome.sweep(local_today())
    db.session.commit()
    assert len([r for r in received["passed"] if r["employee_id"] == employee.id]) == len(received["passed"])
    assert len(received["passed"]) == len({r["course_id"] for r in received["passed"]})


def test_a_refresher_quiz_is_for_its_assignees_only(db, world, client, login, make_employee):
    from app.quizzes.attempts import QuizUnavailable

    change_set = _confirmed(db, world, client, login)
    quiz_id = f"retest-{change_set.id}"
    outsider = make_employee()  # learned nothing, was given no refresher
    with pytest.raises(QuizUnavailable):
        start_attempt(outsider.id, quiz_id)
    db.session.rollback()
    client.post("/logout")
    login(outsider)
    response = client.post(f"/quizzes/{quiz_id}/start", follow_redirects=True)
    assert response.status_code == 200 and "该测验暂不可用" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.employee_id == outsider.id)) == 0
    attempt, created = start_attempt(world.learned_quiz.id, quiz_id)  # an assignee still can
    assert created and attempt.items


def test_missing_the_due_date_fires_retest_missed_once(db, world, client, login, received, runner):
    change_set = _confirmed(db, world, client, login)
    late = local_today() + dt.timedelta(days=15)
    outcome = retest_outcome.sweep(late)
    db.session.commit()
    assert outcome.missed == 2 and outcome.passed == 0
    assert {r["employee_id"] for r in received["missed"]} == {world.learned_quiz.id, world.learned_final.id}
    assert all(r["changeset_id"] == change_set.id for r in received["missed"])
    before = len(received["missed"])
    assert retest_outcome.sweep(late).missed == 0
    result = runner.invoke(args=["retest", "sweep"])
    assert result.exit_code == 0 and "0 missed" in result.output  # not overdue today
    assert len(received["missed"]) == before
    listing = runner.invoke(args=["retest", "list"])
    assert listing.exit_code == 0 and "confirmed" in listing.output


def test_my_training_shows_the_refresher_with_sections_and_quiz(db, world, client, login):
    change_set = _confirmed(db, world, client, login)
    client.post("/logout")
    login(world.learned_final)
    page = client.get("/training/", headers={"Accept-Language": "zh-CN"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "标准已更新：请重读以下章节" in html
    assert 'href="/lessons/phone#phone.answer"' in html and 'href="/lessons/phone#phone.voice"' in html
    assert f'action="/quizzes/retest-{change_set.id}/start"' in html
    # the refresher quiz is not offered on the general quiz list
    assert f"retest-{change_set.id}" not in client.get("/quizzes/").get_data(as_text=True)


def test_reading_only_refresher_is_done_when_the_lesson_is_read_again(db, world, client, login, received):
    _add_clause(world.root, "phone.answer.queue", "来电多时按先后顺序接听，不要让先打来的人久等。")
    set_id = sync_root(world.root, db).change_set_id
    p = retest.preview(db.session.get(ContentChangeSet, set_id))
    assert p.reading_only and p.questions == []
    login(world.hr)
    html = client.get(f"/training/standard-changes/{set_id}").get_data(as_text=True)
    assert "reading only" in html or "仅需重读" in html
    client.post(f"/training/standard-changes/{set_id}/confirm")
    rows = list(db.session.scalars(select(Assignment).where(Assignment.source == "retest")))
    assert rows and {a.activity_kind for a in rows} == {"reread"}
    assert db.session.get(Quiz, f"retest-{set_id}") is None
    reader = world.learned_quiz
    mine = next(a for a in rows if a.employee_id == reader.id)
    assert status_of(mine, local_today()).status == Status.NOT_STARTED
    mark_read(reader.id, db.session.get(Lesson, "phone"), now=mine.created_at + dt.timedelta(minutes=1))
    db.session.commit()
    assert status_of(mine, local_today()).status == Status.COMPLETED
    assert retest_outcome.sweep(local_today()).passed == 1
    db.session.commit()
    assert {r["employee_id"] for r in received["passed"]} == {reader.id}
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) >= 1


def test_holder_sources_add_employees(db, world, app):
    """The hook certificates will use: a registered source adds its holders of the courses."""
    extra = world.trainee
    seen = {}

    def holders(course_ids, before):
        seen["courses"], seen["before"] = course_ids, before
        return [extra.id]

    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    retest.register_holder_source(app, holders)
    try:
        ids = retest.affected_employee_ids(db.session.get(ContentChangeSet, set_id))
    finally:
        app.extensions[retest.HOLDERS_KEY].remove(holders)
    assert extra.id in ids and "communication" in seen["courses"]


def test_quiz_sync_keeps_refresher_quizzes(db, world, client, login):
    change_set = _confirmed(db, world, client, login)
    sync_root(world.root, db)
    assert db.session.get(Quiz, f"retest-{change_set.id}").retired is False
    assert db.session.scalar(select(func.count()).select_from(ContentChange)) == 2


def test_content_check_refuses_a_quiz_id_reserved_for_refreshers(db, standards, runner):
    quizzes = standards / "quizzes.yml"
    quizzes.write_text(quizzes.read_text(encoding="utf-8").replace("id: complaints-quiz", "id: retest-7"),
                       encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(standards)])
    assert result.exit_code == 1
    assert "quizzes.yml:" in result.output and "'retest-7': ids starting with 'retest-' are reserved" in result.output
