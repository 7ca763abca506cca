"""The scoring formula: the one place where an appraisal score is computed.

For one cycle (window ``starts_on``..``ends_on``, site-local days, both inclusive) and one "as of"
day (today for an open cycle, the close day for a snapshot):

1. **Assigned activities.** Every assignment of an employee in the cycle's scope that is not
   cancelled, is of a kind that yields Results (not a course) and is due in the window. Several
   assignments of the same activity to the same employee count once (the latest due date).
2. **Score per activity.** Among the employee's Results of that kind and activity that finished in
   the window: the highest score (policy ``best``) or the score of the last one to finish (policy
   ``latest``). With no such result the activity scores **0 once it is overdue** (its due date is
   before the as-of day) and does not count yet while it is still pending.
3. **Component score.** The plain average of the activity scores of the component each kind
   feeds (``ActivityKind.component``): theory (quizzes), practice (scenario, complaint and
   language drills) and observation (checklists).
   A component with no scored activity drops out.
4. **Total.** ``Σ weight × component / Σ weight`` over the components present: the weights are
   re-normalised over what is left. Rounded to two decimals; no component at all → no total.
5. **Band.** From the rounded total: ≥ excellent → 优秀, ≥ good → 良好, ≥ pass → 合格, else 不合格.
6. **Completion.** Activities with a result in the window ÷ activities assigned; overdue count =
   activities past due without a result.

Everything is SQL (window functions and aggregates over all employees at once): the database does
the work for 10,000 employees in one statement, with no Python loop over result rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, Numeric, Select, and_, case, cast, func, literal, null, or_, select
from sqlalchemy.orm import aliased

from app.appraisal.models import COMPONENTS, AttemptPolicy, Band, Cycle, CycleScope, cycle_department
from app.people.models import Department, Employee, Role, Team
from app.results.kinds import component_of
from app.results.models import Result
from app.timeutil import local_today, site_timezone
from app.training.models import Assignment

#: roles appraised even without assignments (HR and admin accounts appear only when assigned work)
APPRAISED_ROLES = (Role.TRAINEE.value, Role.SUPERVISOR.value)


def window_bounds(cycle: Cycle) -> tuple[dt.datetime, dt.datetime]:
    """The window as naive-UTC datetimes [start, end) to compare with ``Result.finished_at``."""
    tz = site_timezone()

    def utc_midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC).replace(tzinfo=None)

    return utc_midnight(cycle.starts_on), utc_midnight(cycle.ends_on + dt.timedelta(days=1))


def band_for(total: float | None, bands: dict[str, float]) -> str | None:
    """The band of a (rounded) total: the Python twin of :func:`band_sql`, used by adjustments."""
    if total is None:
        return None
    if total >= bands["excellent"]:
        return Band.EXCELLENT.value
    if total >= bands["good"]:
        return Band.GOOD.value
    if total >= bands["pass"]:
        return Band.PASS.value
    return Band.FAIL.value


def band_sql(total, bands: dict[str, float]):
    return case(
        (total >= bands["excellent"], Band.EXCELLENT.value),
        (total >= bands["good"], Band.GOOD.value),
        (total >= bands["pass"], Band.PASS.value),
        (total.is_not(None), Band.FAIL.value),
        else_=null(),
    )


def round2(expr, digits: int = 2):
    """ROUND that behaves the same on SQLite and PostgreSQL (numeric there), returned as a float."""
    return cast(func.round(cast(expr, Numeric(18, 6)), digits), Float)


def effective_weights(cycle: Cycle, present: dict[str, float | None]) -> dict[str, float]:
    """The re-normalised weights (0-1) of the components present; for display and the snapshot."""
    weights = {c: w for c, w in cycle.weights.items() if present.get(c) is not None and w > 0}
    total = sum(weights.values())
    return {c: round(w / total, 4) for c, w in weights.items()} if total else {}


# --- the SQL ---------------------------------------------------------------------------------


def scope_condition(cycle: Cycle, employee=Employee):
    """Employees of the cycle's departments (everyone for a company-wide cycle)."""
    if cycle.scope == CycleScope.DEPARTMENTS.value:
        chosen = select(cycle_department.c.department_id).where(cycle_department.c.cycle_id == cycle.id)
        return employee.department_id.in_(chosen)
    return literal(True)


def _assigned(cycle: Cycle, employee_ids=None):
    """One row per (employee, kind, activity) assigned and due in the window."""
    stmt = (
        select(Assignment.employee_id, Assignment.activity_kind.label("kind"), Assignment.activity_id,
               func.max(Assignment.due_date).label("due_date"))
        .join(Employee, Employee.id == Assignment.employee_id)
        .where(Assignment.cancelled_at.is_(None), Assignment.activity_kind.in_(list(component_of())),
               Assignment.due_date >= cycle.starts_on, Assignment.due_date <= cycle.ends_on,
               scope_condition(cycle))
        .group_by(Assignment.employee_id, Assignment.activity_kind, Assignment.activity_id)
    )
    if employee_ids is not None:
        stmt = stmt.where(Assignment.employee_id.in_(employee_ids))
    return stmt.subquery("assigned")


def _joined(cycle: Cycle, assigned):
    """Every assigned activity LEFT JOINed to its results in the window, ranked by the policy.

    One pass: the join walks the ``result (employee_id, finished_at)`` index once per assigned
    activity, and window functions rank the results (row 1 is the one that counts) and count the
    attempts. An activity without a result keeps one row, with NULL result columns.
    """
    start, end = window_bounds(cycle)
    partition = (assigned.c.employee_id, assigned.c.kind, assigned.c.activity_id)
    if cycle.policy == AttemptPolicy.LATEST.value:
        order = (Result.finished_at.desc(), Result.id.desc())
    else:
        order = (Result.score.desc(), Result.finished_at.desc(), Result.id.desc())
    return (
        select(assigned.c.employee_id, assigned.c.kind, assigned.c.activity_id, assigned.c.due_date,
               Result.id.label("result_id"), Result.score, Result.finished_at,
               func.row_number().over(partition_by=partition, order_by=order).label("rn"),
               func.count(Result.id).over(partition_by=partition).label("attempts"))
        .select_from(assigned)
        .outerjoin(Result, and_(Result.employee_id == assigned.c.employee_id, Result.kind == assigned.c.kind,
                                Result.activity_id == assigned.c.activity_id, Result.finished_at >= start,
                                Result.finished_at < end))
    ).subquery("joined")


def activity_select(cycle: Cycle, *, as_of: dt.date, employee_ids=None) -> Select:
    """Per employee and assigned activity: the result that counted and the score used.

    Columns: employee_id, component, kind, activity_id, due_date, result_id, result_score,
    finished_at, attempts, score (the score used: result, 0 when overdue, null while pending),
    done (0/1), overdue (0/1). Ordered by employee, component (theory, practice, observation), due date.
    """
    j = _joined(cycle, _assigned(cycle, employee_ids))
    component = case(*[(j.c.kind == kind, comp) for kind, comp in component_of().items()])
    has_result = j.c.result_id.is_not(None)
    is_overdue = and_(j.c.result_id.is_(None), j.c.due_date < as_of)
    return (
        select(
            j.c.employee_id, component.label("component"), j.c.kind, j.c.activity_id, j.c.due_date,
            j.c.result_id, j.c.score.label("result_score"), j.c.finished_at, j.c.attempts,
            case((has_result, j.c.score), (is_overdue, literal(0.0)), else_=null()).label("score"),
            case((has_result, 1), else_=0).label("done"),
            case((is_overdue, 1), else_=0).label("overdue"),
        )
        .where(j.c.rn == 1)
        .order_by(j.c.employee_id, case(*[(component == c, i) for i, c in enumerate(COMPONENTS)]),
                  j.c.due_date, j.c.kind, j.c.activity_id)
    )


def _per_employee(cycle: Cycle, as_of: dt.date, employee_ids=None):
    """Component averages, counts and the weighted total per employee, all aggregated in SQL."""
    activities = activity_select(cycle, as_of=as_of, employee_ids=employee_ids).order_by(None).subquery("act")
    averages = {c: func.avg(case((activities.c.component == c, activities.c.score), else_=null()))
                for c in COMPONENTS}
    per = (
        select(activities.c.employee_id,
               *[averages[c].label(c) for c in COMPONENTS],
               func.count().label("assigned"),
               func.sum(activities.c.done).label("completed"),
               func.sum(activities.c.overdue).label("overdue"),
               func.min(case((and_(activities.c.done == 0, activities.c.overdue == 0), activities.c.due_date),
                             else_=null())).label("valid_through"))
        .group_by(activities.c.employee_id)
    ).subquery("per_employee")
    weights = cycle.weights
    numerator = sum((func.coalesce(per.c[c], 0.0) * float(weights[c]) for c in COMPONENTS), literal(0.0))
    denominator = sum((case((per.c[c].is_not(None), float(weights[c])), else_=0.0) for c in COMPONENTS),
                      literal(0.0))
    total = round2(numerator / func.nullif(denominator, 0.0))
    return select(
        per.c.employee_id,
        *[round2(per.c[c]).label(c) for c in COMPONENTS],
        total.label("computed_total"),
        per.c.assigned, per.c.completed, per.c.overdue,
        round2(cast(per.c.completed, Float) / per.c.assigned, 4).label("completion"),
        per.c.valid_through,
    ).subquery("scored")


#: the columns of a per-employee score row (the ``scored`` subqueries: computed, or the live rows)
SCORED_COLUMNS = ("theory", "practice", "observation", "computed_total", "assigned", "completed", "overdue",
                  "completion")


def per_employee_scores(cycle: Cycle, *, as_of: dt.date, employee_ids=None):
    """The per-employee rows of the formula (``SCORED_COLUMNS`` plus employee_id and valid_through):
    what the live read model stores and what the snapshot is computed from."""
    return _per_employee(cycle, as_of, employee_ids)


def score_select(cycle: Cycle, *, as_of: dt.date | None = None, department_id: int | None = None,
                 employee_id: int | None = None) -> Select:
    """Live scores of an (open) cycle: one row per appraised employee, ordered by 工号.

    Employees listed: everyone in scope with an assignment due in the window, plus the active
    trainees and supervisors in scope without one (they show blank scores). Columns: ``SCORE_FIELDS``
    of snapshots.py, the same as the snapshot reader's.
    """
    as_of = as_of or local_today()
    scored = _per_employee(cycle, as_of, [employee_id] if employee_id is not None else None)
    return rows_select(cycle, scored, department_id=department_id, employee_id=employee_id)


def rows_select(cycle: Cycle, scored, *, department_id: int | None = None, employee_id: int | None = None) -> Select:
    """The score rows of ``scored`` (a subquery with employee_id and ``SCORED_COLUMNS``) joined to
    the organisation, with the employees in scope that have no row: shared by the computed live
    scores and the live read model, so both give the same rows."""
    leader = aliased(Employee, name="leader")
    stmt = (
        select(
            Employee.id.label("employee_id"), Employee.employee_no, Employee.name,
            Employee.department_id, func.coalesce(Department.name, "").label("department"),
            func.coalesce(Team.name, "").label("team"), func.coalesce(Employee.position, "").label("position"),
            func.coalesce(leader.name, "").label("supervisor"),
            scored.c.theory, scored.c.practice, scored.c.observation, scored.c.computed_total,
            null().label("adjustment"), literal("").label("adjustment_reason"),
            scored.c.computed_total.label("total"),
            band_sql(scored.c.computed_total, cycle.bands).label("band"),
            scored.c.completion,
            func.coalesce(scored.c.assigned, 0).label("assigned"),
            func.coalesce(scored.c.completed, 0).label("completed"),
            func.coalesce(scored.c.overdue, 0).label("overdue"),
        )
        .select_from(Employee)
        .outerjoin(scored, scored.c.employee_id == Employee.id)
        .outerjoin(Department, Department.id == Employee.department_id)
        .outerjoin(Team, Team.id == Employee.team_id)
        .outerjoin(leader, leader.id == Team.leader_id)
        .where(scope_condition(cycle),
               or_(scored.c.employee_id.is_not(None),
                   and_(Employee.active.is_(True), Employee.role.in_(APPRAISED_ROLES))))
        .order_by(Employee.employee_no)
    )
    if department_id is not None:
        stmt = stmt.where(Employee.department_id == department_id)
    if employee_id is not None:
        stmt = stmt.where(Employee.id == employee_id)
    return stmt
