"""The supervisor's team dashboard, in a fixed number of aggregate queries whatever the team size.

* the matrix: team members × assigned activities, each cell the derived status and score of the
  member's latest live assignment of that activity (one query through ``status.status_select``);
  assignments completed and due more than ``MATRIX_DAYS`` ago are counted but get no column;
* completion rate and overdue items, counted from the same rows (``status.status_counts`` is the
  GROUP BY form of the same count, for callers that need only the numbers);
* the team's average by topic (a lesson): the share of points scored on that lesson's questions
  over all the team's finished answers (every kind's ``lesson_points``, today the quizzes');
  members below the threshold can get a refresher;
* the clauses the team gets wrong most often: every kind's ``wrong_clause_counts`` (quiz answers
  below full marks through the questions' cited clauses, the drills' per-clause misses), summed
  in one ``UNION ALL`` query.

Only finished activity of the last ``WINDOW_DAYS`` days counts for topics and clauses: a team
that has improved should not be told about last year's mistakes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import aliased

from app.content.activity_kind import CourseKind
from app.content.models import Clause, Course, CourseLesson, Lesson
from app.content.services import ClauseWhere
from app.extensions import db
from app.people.models import Employee, Team
from app.results.kinds import all_kinds, kind_keys
from app.training import activities
from app.training.assignments import AssignmentError, AssignOutcome, assign, check_can_manage
from app.training.models import (
    ActivityStatus,
    AssignmentSource,
    EmployeeClauseMisses,
    EmployeeTopicPoints,
)
from app.training.readmodel import ensure_fresh, read_status_rows
from app.training.status import Status

#: topics and clauses look at this many days of finished activity
WINDOW_DAYS = 180
#: members whose average on a topic is below this get the refresher
DEFAULT_THRESHOLD = 80
#: the matrix shows open assignments and those due in the last this many days
MATRIX_DAYS = 30
#: a refresher is due this many days after the click
REFRESHER_DUE_DAYS = 7
#: how many clauses the "most often wrong" list shows
TOP_CLAUSES = 10
#: overdue items listed under the matrix (most late first); the rest are counted, not listed
OVERDUE_SHOWN = 25


@dataclass(frozen=True)
class Column:
    kind: str
    activity_id: str
    title: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.activity_id)


class Cell(NamedTuple):
    """One matrix cell (a NamedTuple: a team's matrix builds a thousand of them per page view)."""

    assignment_id: int
    status: Status
    score: float | None
    due_date: dt.date


@dataclass(frozen=True)
class OverdueItem:
    employee: Employee
    #: the assignment's ``activity_status`` row (``readmodel.read_status_rows``): due_date, activity …
    assignment: object
    title: str
    days_late: int


@dataclass
class TopicAverage:
    lesson_id: str
    title: str
    #: 0-100 over all the team's answers on the lesson's questions
    average: float
    answers: int
    #: member id → that member's average (0-100)
    by_member: dict[int, float] = field(default_factory=dict)
    #: what a refresher assigns: the quiz of the smallest course holding the lesson, else that course
    refresher: activities.Activity | None = None

    def below(self, threshold: float) -> list[int]:
        return sorted(member for member, average in self.by_member.items() if average < threshold)


@dataclass(frozen=True)
class ClauseMiss:
    clause_id: str
    lesson_id: str
    text: str
    count: int
    #: the clause's lesson title and section, in words (read in the same query)
    where: ClauseWhere | None = None


@dataclass
class TeamDashboard:
    team: Team
    members: list[Employee]
    columns: list[Column]
    cells: dict[tuple[int, tuple[str, str]], Cell]
    counts: dict[str, int]
    overdue: list[OverdueItem]
    topics: list[TopicAverage]
    clauses: list[ClauseMiss]
    threshold: float = DEFAULT_THRESHOLD
    #: the activity kinds with a column (for the matrix's filter) and the one shown (None: all)
    kinds: list[str] = field(default_factory=list)
    kind: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def completed(self) -> int:
        return self.counts.get(Status.COMPLETED.value, 0)

    @property
    def not_passed(self) -> int:
        """Attempted and below the pass mark (still open; overdue ones are counted as overdue)."""
        return self.counts.get(Status.NOT_PASSED.value, 0)

    @property
    def completion_rate(self) -> float | None:
        """Completed ÷ live assignments, 0-100 (None when nothing is assigned)."""
        return round(100 * self.completed / self.total, 1) if self.total else None

    @property
    def overdue_shown(self) -> list[OverdueItem]:
        """The most late overdue items (a team far behind would otherwise get a list of hundreds)."""
        return self.overdue[:OVERDUE_SHOWN]

    @property
    def overdue_more(self) -> int:
        return max(0, len(self.overdue) - OVERDUE_SHOWN)

    @cached_property
    def rows(self) -> list[tuple[Employee, list[tuple[Column, Cell | None]]]]:
        """The matrix, member by member, each column with its cell (None: not assigned): the page's
        loops read it instead of calling back once per cell (50 members × 25 columns, twice)."""
        return [(m, [(col, self.cells.get((m.id, col.key))) for col in self.columns]) for m in self.members]

    def cell(self, member: Employee, column: Column) -> Cell | None:
        return self.cells.get((member.id, column.key))


def members_of(team: Team) -> list[Employee]:
    return list(db.session.scalars(select(Employee).where(Employee.team_id == team.id, Employee.active.is_(True))
                                   .order_by(Employee.employee_no)))


def _member_ids(team: Team):
    return select(Employee.id).where(Employee.team_id == team.id, Employee.active.is_(True)).scalar_subquery()


def _union(parts: list):
    return parts[0] if len(parts) == 1 else union_all(*parts)


def topic_averages(employee_ids: list[int], since: dt.datetime, lesson_id: str | None = None) -> list[TopicAverage]:
    """Per lesson: the team's and each member's share of points on that lesson's scored answers.

    Read from the ``employee_topic_points`` read model (every kind's ``lesson_points``, per day),
    the days from ``since`` on.
    """
    if not employee_ids:
        return []
    ensure_fresh()
    scored = EmployeeTopicPoints
    stmt = (select(scored.employee_id, scored.lesson_id, Lesson.title,
                   func.sum(scored.points).label("points"), func.sum(scored.answers).label("answers"))
            .join(Lesson, Lesson.id == scored.lesson_id)
            .where(scored.employee_id.in_(list(employee_ids)), scored.day >= since.date())
            .group_by(scored.employee_id, scored.lesson_id, Lesson.title))
    if lesson_id is not None:
        stmt = stmt.where(scored.lesson_id == lesson_id)
    points: dict[str, float] = defaultdict(float)
    answers: dict[str, int] = defaultdict(int)
    topics: dict[str, TopicAverage] = {}
    for employee_id, lesson, title, scored_points, scored_answers in db.session.execute(stmt):
        topic = topics.get(lesson)
        if topic is None:
            topic = topics[lesson] = TopicAverage(lesson, title, 0.0, 0)
        topic.by_member[employee_id] = round(100 * float(scored_points) / int(scored_answers), 1)
        points[lesson] += float(scored_points)
        answers[lesson] += int(scored_answers)
    for topic in topics.values():
        topic.answers = answers[topic.lesson_id]
        topic.average = round(100 * points[topic.lesson_id] / topic.answers, 1)
    found = sorted(topics.values(), key=lambda t: (t.average, t.lesson_id))
    targets = refresher_targets([t.lesson_id for t in found])
    for topic in found:
        topic.refresher = targets.get(topic.lesson_id)
    return found


def refresher_targets(lesson_ids: list[str]) -> dict[str, activities.Activity]:
    """For each lesson, an item of the smallest active course that holds it (a quiz), else that course.

    The items come from the kinds that belong to courses (``ActivityKind.course_items``), joined to
    the courses in one query.
    """
    if not lesson_ids:
        return {}
    course_ids = select(CourseLesson.course_id).where(CourseLesson.lesson_id.in_(lesson_ids))
    parts = [stmt.add_columns(literal(index).label("kind_rank"), literal(kind.key).label("kind"))
             for index, kind in enumerate(all_kinds()) if (stmt := kind.course_items(course_ids)) is not None]
    size = (select(func.count()).select_from(CourseLesson).where(CourseLesson.course_id == Course.id)
            .correlate(Course).scalar_subquery())
    stmt = (select(CourseLesson.lesson_id, Course.id.label("course_id"), Course.title.label("course_title"))
            .join(Course, Course.id == CourseLesson.course_id)
            .where(CourseLesson.lesson_id.in_(lesson_ids), Course.retired.is_(False)))
    order = [CourseLesson.lesson_id, size, Course.position, Course.id]
    if parts:
        items = _union(parts).subquery("items")
        stmt = (stmt.add_columns(items.c.kind, items.c.id.label("item_id"), items.c.title.label("item_title"))
                .outerjoin(items, items.c.course_id == Course.id))
        order += [items.c.kind_rank, items.c.position, items.c.id]
    found: dict[str, activities.Activity] = {}
    course_for: dict[str, activities.Activity] = {}
    for row in db.session.execute(stmt.order_by(*order)):
        course_for.setdefault(row.lesson_id, activities.Activity(CourseKind.key, row.course_id, row.course_title))
        if parts and row.item_id is not None:  # smallest course first: its first item is the target
            found.setdefault(row.lesson_id, activities.Activity(row.kind, row.item_id, row.item_title))
    return {lesson: found.get(lesson) or course for lesson, course in course_for.items()}


def clause_misses(employee_ids: list[int], since: dt.datetime, limit: int = TOP_CLAUSES) -> list[ClauseMiss]:
    """The clauses most often got wrong by these employees, every kind together (one query on the
    ``employee_clause_misses`` read model, the days from ``since`` on)."""
    if not employee_ids:
        return []
    ensure_fresh()
    misses = (select(EmployeeClauseMisses.clause_id, func.sum(EmployeeClauseMisses.n).label("total"))
              .where(EmployeeClauseMisses.employee_id.in_(list(employee_ids)),
                     EmployeeClauseMisses.day >= since.date())
              .group_by(EmployeeClauseMisses.clause_id).subquery())  # summed first, then joined
    section = aliased(Clause)
    rows = db.session.execute(
        select(misses.c.clause_id, Clause.lesson_id, Clause.text, Lesson.title.label("lesson_title"),
               section.text.label("section"), misses.c.total)
        .join(Clause, Clause.id == misses.c.clause_id)
        .join(Lesson, Lesson.id == Clause.lesson_id)
        .outerjoin(section, section.id == Clause.parent_id)
        .order_by(misses.c.total.desc(), misses.c.clause_id).limit(limit))
    return [ClauseMiss(row.clause_id, row.lesson_id, row.text, int(row.total),
                       ClauseWhere(row.lesson_id, row.lesson_title, row.section)) for row in rows]


def team_dashboard(team: Team, today: dt.date, now: dt.datetime, threshold: float = DEFAULT_THRESHOLD,
                   kind: str | None = None) -> TeamDashboard:
    """Everything the dashboard shows; ``kind`` narrows the matrix's columns to one activity kind."""
    members = members_of(team)
    in_team = ActivityStatus.employee_id.in_(_member_ids(team))
    rows = read_status_rows(today, in_team, order_by=(ActivityStatus.due_date, ActivityStatus.created_at,
                                                      ActivityStatus.assignment_id))
    names = activities.titles({(r.activity_kind, r.activity_id) for r in rows})
    columns: dict[tuple[str, str], Column] = {}
    cells: dict[tuple[int, tuple[str, str]], Cell] = {}
    latest: dict[tuple[int, tuple[str, str]], dt.datetime] = {}
    by_id = {m.id: m for m in members}
    overdue: list[OverdueItem] = []
    shown_from = today - dt.timedelta(days=MATRIX_DAYS)
    kinds: set[str] = set()
    counts: Counter[str] = Counter()
    overdue_value, completed_value = Status.OVERDUE.value, Status.COMPLETED.value
    statuses = {s.value: s for s in Status}
    # tuples unpacked (in read_status_rows' column order) rather than Row attributes read: a 50-member
    # team has 700+ rows (≈ 3× faster)
    for row in rows:
        assignment_id, employee_id, activity_kind, activity_id, created_at, due_date, status, score = row
        counts[status] += 1
        key = (activity_kind, activity_id)
        if status == overdue_value and employee_id in by_id:
            overdue.append(OverdueItem(by_id[employee_id], row, names.get(key, activity_id), (today - due_date).days))
        if status == completed_value and due_date < shown_from:
            continue  # old and done: counted, but no longer a column of the matrix
        kinds.add(activity_kind)
        if kind is not None and activity_kind != kind:
            continue
        if key not in columns:
            columns[key] = Column(activity_kind, activity_id, names.get(key, activity_id))
        cell_key = (employee_id, key)
        seen = latest.get(cell_key)
        if seen is None or created_at >= seen:
            latest[cell_key] = created_at
            cells[cell_key] = Cell(assignment_id, statuses[status], score, due_date)
    since = now - dt.timedelta(days=WINDOW_DAYS)
    ids = [m.id for m in members]
    order = {key: index for index, key in enumerate(kind_keys())}
    ordered = sorted(columns.values(), key=lambda c: (order.get(c.kind, len(order)), c.title))
    return TeamDashboard(
        team=team, members=members, columns=ordered, cells=cells, counts=dict(counts),
        overdue=sorted(overdue, key=lambda o: (o.assignment.due_date, o.employee.employee_no)),
        topics=topic_averages(ids, since), clauses=clause_misses(ids, since), threshold=threshold,
        kinds=[k for k in order if k in kinds], kind=kind)


@dataclass
class RefresherOutcome:
    lesson: Lesson
    target: activities.Activity | None
    #: members below the threshold on the topic
    weak: list[Employee] = field(default_factory=list)
    outcome: AssignOutcome | None = None


def assign_refresher(actor: Employee, team: Team, lesson_id: str, today: dt.date, now: dt.datetime,
                     threshold: float = DEFAULT_THRESHOLD) -> RefresherOutcome:
    """One click: the topic's quiz (or course) for the members below ``threshold`` on it, due in 7 days.

    Members who have it open already are skipped (no duplicates), as with any assignment.
    """
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise AssignmentError(_("Unknown topic."))
    members = members_of(team)
    check_can_manage(actor, members)
    topics = topic_averages([m.id for m in members], now - dt.timedelta(days=WINDOW_DAYS), lesson_id=lesson_id)
    result = RefresherOutcome(lesson=lesson, target=refresher_targets([lesson_id]).get(lesson_id))
    if not topics or result.target is None:
        return result
    weak_ids = set(topics[0].below(threshold))
    result.weak = [m for m in members if m.id in weak_ids]
    if result.weak:
        result.outcome = assign(actor, result.weak, result.target.kind, result.target.id,
                                today + dt.timedelta(days=REFRESHER_DUE_DAYS), note=lesson.title,
                                source=AssignmentSource.REFRESHER, today=today, now=now)
    return result
