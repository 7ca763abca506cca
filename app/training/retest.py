"""Re-test only what changed: who learned the old version of a changed clause, and their refresher.

``flask content sync`` records a change set (``app.content.changes``) when clauses change in
substance. This module answers the training questions about it:

* **affected employees** — those with a *passing* Result (``Result.passed`` true, or NULL for kinds
  without a pass mark: the rule of ``status.py``) recorded before the change set, for an activity
  that covers a changed clause: its kind's ``cited_clauses`` hook names one (a quiz whose questions
  cite it, a drill citing it), or it belongs to a course containing a changed lesson (the kinds'
  ``course_items`` hook). Other features add people through :func:`register_holder_source` (the
  certificate holders of those courses), wired in ``app/blueprints.py``;
* **the preview** HR confirms: clauses old → new, the sections to reread, the questions citing them;
* **confirming** gives each affected employee ONE assignment (source ``retest``) due in
  ``RETEST_DUE_DAYS``: the refresher quiz ``retest-N`` drawing only the citing questions (made by
  whichever kind's ``make_retest`` hook can), or, with no citing question, the reading kind
  ``reread`` (completed when every changed lesson is marked read again);
* **the outcome** — completing it sends ``retest_passed``, an overdue one ``retest_missed``
  (``app.training.signals``), once each: see ``app/training/retest_outcome.py``.

Functions flush, never commit: the route or command owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from app.audit.services import record_event
from app.content.activity_kind import RereadKind
from app.content.models import (
    ChangeKind,
    ChangeSetState,
    Clause,
    ContentChange,
    ContentChangeSet,
    Course,
    CourseLesson,
    Lesson,
)
from app.extensions import db
from app.people.models import Employee
from app.results.kinds import CitingQuestion, all_kinds, get_kind
from app.results.models import Result
from app.timeutil import local_today, utcnow
from app.training.assignments import assign
from app.training.models import Assignment, AssignmentSource, RetestAssignment

logger = logging.getLogger(__name__)

HOLDERS_KEY = "retest_holder_sources"
#: ``fn(course_ids, before) -> employee ids``: people who hold something for these courses
#: (a certificate) obtained before ``before``; they are re-tested too
HolderSource = Callable[[list[str], dt.datetime], Iterable[int]]


class RetestError(ValueError):
    """A request HR cannot make on this change set; the message is shown."""


def register_holder_source(app: Flask, source: HolderSource) -> None:
    """Let a feature add affected employees (``app/blueprints.py`` wires it; certificates will)."""
    app.extensions.setdefault(HOLDERS_KEY, []).append(source)


def _holder_sources() -> list[HolderSource]:
    return list(current_app.extensions.get(HOLDERS_KEY, []))


def _passing():
    return or_(Result.passed.is_(None), Result.passed.is_(True))


# --- what changed ------------------------------------------------------------------------------


def get_change_set(change_set_id: int, *, lock: bool = False) -> ContentChangeSet | None:
    stmt = select(ContentChangeSet).where(ContentChangeSet.id == change_set_id)
    if lock:
        stmt = stmt.with_for_update()
    return db.session.scalars(stmt).first()


def live_changes(change_set: ContentChangeSet) -> list[ContentChange]:
    """The changed and added clauses (what people must re-learn), in display order."""
    return [c for c in change_set.changes if c.kind != ChangeKind.REMOVED.value]


def changed_lesson_ids(change_set: ContentChangeSet) -> list[str]:
    return list(dict.fromkeys(c.lesson_id for c in live_changes(change_set)))


def course_ids_of(lesson_ids: list[str]) -> list[str]:
    if not lesson_ids:
        return []
    return list(db.session.scalars(
        select(Course.id).join(CourseLesson, CourseLesson.course_id == Course.id)
        .where(CourseLesson.lesson_id.in_(lesson_ids), Course.retired.is_(False))
        .group_by(Course.id, Course.position).order_by(Course.position, Course.id)))


def citing_questions(change_set: ContentChangeSet) -> tuple[str | None, list[CitingQuestion]]:
    """(the kind that owns them, the active questions citing a changed or added clause)."""
    clause_ids = [c.clause_id for c in live_changes(change_set)]
    for kind in all_kinds():
        found = kind.questions_citing(clause_ids)
        if found:
            return kind.key, found
    return None, []


# --- who is affected ---------------------------------------------------------------------------


def covering_activities(change_set: ContentChangeSet) -> set[tuple[str, str]]:
    """(kind, activity id) of every activity covering a changed clause that someone passed before."""
    clause_ids = {c.clause_id for c in live_changes(change_set)}
    found: set[tuple[str, str]] = set()
    passed = db.session.execute(select(Result.kind, Result.activity_id).where(
        _passing(), Result.finished_at < change_set.synced_at).distinct())
    for kind_key, activity_id in passed:
        kind = get_kind(kind_key)
        if kind is not None and clause_ids & set(kind.cited_clauses(activity_id)):
            found.add((kind_key, activity_id))
    course_ids = course_ids_of(changed_lesson_ids(change_set))
    if course_ids:
        for kind in all_kinds():
            stmt = kind.course_items(course_ids)
            if stmt is not None:
                found.update((kind.key, row.id) for row in db.session.execute(stmt))
    return found


def affected_employee_ids(change_set: ContentChangeSet) -> list[int]:
    """Active employees who learned the old version (see the module docstring), sorted by id."""
    ids: set[int] = set()
    pairs = sorted(covering_activities(change_set))
    if pairs:
        ids.update(db.session.scalars(select(Result.employee_id).where(
            _passing(), Result.finished_at < change_set.synced_at,
            or_(*[and_(Result.kind == k, Result.activity_id == a) for k, a in pairs])).distinct()))
    course_ids = course_ids_of(changed_lesson_ids(change_set))
    if course_ids:
        for source in _holder_sources():
            ids.update(source(course_ids, change_set.synced_at))
    if not ids:
        return []
    return list(db.session.scalars(select(Employee.id).where(Employee.id.in_(sorted(ids)),
                                                             Employee.active.is_(True)).order_by(Employee.id)))


def affected_employees_page(employee_ids: list[int], page: int, per_page: int) -> list[Employee]:
    chunk = employee_ids[(page - 1) * per_page: page * per_page]
    if not chunk:
        return []
    return list(db.session.scalars(select(Employee).where(Employee.id.in_(chunk)).order_by(Employee.employee_no)))


# --- the preview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffPart:
    #: "same", "del" or "ins"
    op: str
    text: str


def text_diff(old: str | None, new: str | None) -> list[DiffPart]:
    """Character-level diff (Chinese has no word spaces): runs of kept, deleted and inserted text."""
    old, new = old or "", new or ""
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(DiffPart("del", old[i1:i2]))
        if j2 > j1:
            parts.append(DiffPart("ins", new[j1:j2]))
    return parts


@dataclass(frozen=True)
class ChangeView:
    change: ContentChange
    diff: list[DiffPart]


@dataclass(frozen=True)
class Section:
    lesson_id: str
    anchor: str
    title: str


@dataclass
class LessonChanges:
    lesson_id: str
    title: str
    changes: list[ChangeView] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Preview:
    change_set: ContentChangeSet
    lessons: list[LessonChanges]
    removed: list[ContentChange]
    questions: list[CitingQuestion]
    question_kind: str | None
    employee_ids: list[int]
    course_ids: list[str]

    @property
    def clause_count(self) -> int:
        return sum(len(lesson.changes) for lesson in self.lessons)

    @property
    def reading_only(self) -> bool:
        return not self.questions


def sections_of(change_set: ContentChangeSet) -> list[Section]:
    """The sections to reread (a changed clause's heading, or the clause itself), in lesson order."""
    changes = live_changes(change_set)
    anchors = list(dict.fromkeys((c.lesson_id, c.section_id) for c in changes))
    ids = [a for _l, a in anchors]
    clauses = {c.id: c for c in db.session.scalars(select(Clause).where(Clause.id.in_(ids)))} if ids else {}
    lessons = _lesson_titles({lid for lid, _a in anchors})
    out = []
    for lesson_id, anchor in anchors:
        clause = clauses.get(anchor)
        title = clause.text if clause is not None and clause.level else lessons.get(lesson_id, lesson_id)
        out.append(Section(lesson_id, anchor, title))
    return out


def _lesson_titles(lesson_ids: set[str]) -> dict[str, str]:
    if not lesson_ids:
        return {}
    return dict(db.session.execute(select(Lesson.id, Lesson.title).where(Lesson.id.in_(sorted(lesson_ids)))).all())


def preview(change_set: ContentChangeSet) -> Preview:
    changes = live_changes(change_set)
    titles = _lesson_titles({c.lesson_id for c in change_set.changes})
    lessons: dict[str, LessonChanges] = {}
    for change in changes:
        entry = lessons.setdefault(change.lesson_id,
                                   LessonChanges(change.lesson_id, titles.get(change.lesson_id, change.lesson_id)))
        entry.changes.append(ChangeView(change, text_diff(change.old_text, change.new_text)))
    for section in sections_of(change_set):
        lessons[section.lesson_id].sections.append(section)
    kind_key, questions = citing_questions(change_set)
    return Preview(change_set=change_set, lessons=list(lessons.values()),
                   removed=[c for c in change_set.changes if c.kind == ChangeKind.REMOVED.value],
                   questions=questions, question_kind=kind_key,
                   employee_ids=affected_employee_ids(change_set),
                   course_ids=course_ids_of(changed_lesson_ids(change_set)))


def summary(p: Preview) -> str:
    """"38 名员工，电话礼仪 中 2 条条款有变动，5 道题" (translated)."""
    where = "、".join(_("%(lesson)s: %(n)d clause(s)", lesson=lesson.title, n=len(lesson.changes))
                     for lesson in p.lessons)
    if p.reading_only:
        return _("%(employees)d employee(s); changed clauses in %(where)s; no question cites them "
                 "(the refresher is reading only)", employees=len(p.employee_ids), where=where)
    return _("%(employees)d employee(s); changed clauses in %(where)s; %(questions)d question(s)",
             employees=len(p.employee_ids), where=where, questions=len(p.questions))


# --- confirm / dismiss -------------------------------------------------------------------------


@dataclass
class ConfirmOutcome:
    change_set: ContentChangeSet
    created: int = 0
    #: the change set had been decided already: nothing was done
    already: bool = False


def refresher_title(change_set: ContentChangeSet, lessons: list[str]) -> str:
    return _("Updated standard: %(lessons)s", lessons="、".join(lessons))[:200]


def confirm(actor: Employee, change_set_id: int, *, now: dt.datetime | None = None,
            today: dt.date | None = None) -> ConfirmOutcome:
    """Give every affected employee one refresher; confirming twice (or twice at once) adds nothing.

    The change set row is locked (``FOR UPDATE`` on PostgreSQL; SQLite writers are serialised by
    ``BEGIN IMMEDIATE``), its state checked, and ``retest_assignment`` is unique per change set
    and employee as a last guard.
    """
    now, today = now or utcnow(), today or local_today()
    change_set = get_change_set(change_set_id, lock=True)
    if change_set is None:
        raise RetestError(_("Unknown change."))
    if change_set.state != ChangeSetState.PENDING.value:
        return ConfirmOutcome(change_set, already=True)
    p = preview(change_set)
    due = today + dt.timedelta(days=int(current_app.config.get("RETEST_DUE_DAYS", 14)))
    created: list[Assignment] = []
    if p.employee_ids:
        kind_key = RereadKind.key
        if p.questions:
            kind = get_kind(p.question_kind or "")
            title = refresher_title(change_set, [lesson.title for lesson in p.lessons])
            pass_mark = int(current_app.config.get("RETEST_PASS_MARK", 80))
            if kind is not None and kind.make_retest(change_set.activity_id, title, [q.id for q in p.questions],
                                                     pass_mark):
                kind_key = kind.key
        employees = list(db.session.scalars(select(Employee).where(Employee.id.in_(p.employee_ids))))
        note = _("The standard was updated: reread the changed sections.")
        outcome = assign(actor, employees, kind_key, change_set.activity_id, due, note=note,
                         source=AssignmentSource.RETEST, today=today, now=now)
        created = outcome.created
        for assignment in created:
            db.session.add(RetestAssignment(change_set_id=change_set.id, employee_id=assignment.employee_id,
                                            assignment_id=assignment.id, course_ids=p.course_ids, created_at=now))
    change_set.state, change_set.decided_by_id, change_set.decided_at = ChangeSetState.CONFIRMED.value, actor.id, now
    db.session.flush()
    record_event("retest.confirmed", actor_id=actor.id, target=f"change_set:{change_set.id}",
                 details={"employees": len(created), "clauses": p.clause_count, "questions": len(p.questions),
                          "due_date": due.isoformat()}, at=now)
    logger.info("change set %s confirmed by %s: %d refresher(s)", change_set.id, actor.employee_no, len(created))
    return ConfirmOutcome(change_set, created=len(created))


def dismiss(actor: Employee, change_set_id: int, *, now: dt.datetime | None = None) -> ConfirmOutcome:
    """Nobody is re-tested on this change (a typo fix HR judges harmless). Twice: no-op."""
    now = now or utcnow()
    change_set = get_change_set(change_set_id, lock=True)
    if change_set is None:
        raise RetestError(_("Unknown change."))
    if change_set.state != ChangeSetState.PENDING.value:
        return ConfirmOutcome(change_set, already=True)
    change_set.state, change_set.decided_by_id, change_set.decided_at = ChangeSetState.DISMISSED.value, actor.id, now
    db.session.flush()
    record_event("retest.dismissed", actor_id=actor.id, target=f"change_set:{change_set.id}",
                 details={"clauses": len(live_changes(change_set))}, at=now)
    return ConfirmOutcome(change_set)
