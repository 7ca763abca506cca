"""Read models of the HR pages: band distribution, department comparison, employee detail and trend.

All of them read :func:`snapshots.cycle_scores` (the live rows while a cycle is open, only its
snapshot once closed); the department figures of an open cycle come from the department rows kept
on write (live_departments.py), which equal :func:`computed_breakdown` of the live rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.appraisal import live_departments
from app.appraisal.models import COMPONENTS, NO_DEPARTMENT, Band, Cycle, CycleScore
from app.appraisal.scoring import activity_select
from app.appraisal.snapshots import activity_inputs, cycle_scores
from app.extensions import db
from app.results.kinds import get_kind
from app.timeutil import local_today

BAND_ORDER = (Band.EXCELLENT.value, Band.GOOD.value, Band.PASS.value, Band.FAIL.value)


@dataclass(frozen=True)
class DepartmentRow:
    department_id: int | None
    department: str
    employees: int
    theory: float | None
    practice: float | None
    observation: float | None
    total: float | None
    completion: float | None
    overdue: int
    bands: dict[str, int]


def department_breakdown(cycle: Cycle) -> list[DepartmentRow]:
    """Per department: head count, average components and total, completion, overdue, band counts.

    An open cycle reads its department rows (one query whose cost follows the number of
    departments, not of employees); a closed one aggregates its frozen snapshot.
    """
    if not cycle.is_open:
        return computed_breakdown(cycle)
    out = []
    for d in live_departments.read_rows(cycle):
        out.append(DepartmentRow(
            department_id=None if d.department_key == NO_DEPARTMENT else d.department_key,
            department=d.department, employees=d.employees,
            theory=_avg(d.theory_sum, d.theory_n), practice=_avg(d.practice_sum, d.practice_n),
            observation=_avg(d.observation_sum, d.observation_n), total=_avg(d.total_sum, d.total_n),
            completion=_avg(d.completion_sum, d.completion_n), overdue=int(d.overdue or 0),
            bands={band: int(getattr(d, f"band_{band}") or 0) for band in BAND_ORDER},
        ))
    return out


def computed_breakdown(cycle: Cycle) -> list[DepartmentRow]:
    """:func:`department_breakdown` aggregated from the score rows at read time: what a closed cycle
    shows, and the reference the department rows of an open cycle must equal (tests)."""
    s = cycle_scores(cycle).order_by(None).subquery()
    band_counts = [func.sum(case((s.c.band == band, 1), else_=0)).label(band) for band in BAND_ORDER]
    stmt = (
        select(s.c.department_id, s.c.department, func.count().label("employees"),
               *[func.avg(s.c[c]).label(c) for c in COMPONENTS], func.avg(s.c.total).label("total"),
               func.avg(s.c.completion).label("completion"), func.sum(s.c.overdue).label("overdue"),
               *band_counts)
        .group_by(s.c.department_id, s.c.department)
        .order_by(s.c.department)
    )
    out = []
    for r in db.session.execute(stmt):
        out.append(DepartmentRow(
            department_id=r.department_id, department=r.department, employees=r.employees,
            theory=_f(r.theory), practice=_f(r.practice), observation=_f(r.observation), total=_f(r.total),
            completion=_f(r.completion), overdue=int(r.overdue or 0),
            bands={band: int(getattr(r, band) or 0) for band in BAND_ORDER},
        ))
    return out


def band_distribution(departments: list[DepartmentRow]) -> dict[str | None, int]:
    """Employees per band over the department rows (``None``: no total, nothing was assigned).

    Summing the few department rows saves a second pass of the live scoring over every employee.
    """
    counts: dict[str | None, int] = {band: sum(d.bands[band] for d in departments) for band in BAND_ORDER}
    counts[None] = sum(d.employees for d in departments) - sum(counts.values())
    return counts


def _f(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _avg(total, count: int) -> float | None:
    """SQL AVG from its parts: Σ over the non-null values ÷ their number (None without any)."""
    return _f(float(total) / count) if count else None


def employee_score(cycle: Cycle, employee_id: int):
    return db.session.execute(cycle_scores(cycle, employee_id=employee_id)).first()


def employee_activities(cycle: Cycle, employee_id: int) -> tuple[list[dict], dict | None]:
    """The activities that counted (from the snapshot's inputs once closed) and the inputs dict."""
    if cycle.is_open:
        rows = db.session.execute(activity_select(cycle, as_of=local_today(), employee_ids=[employee_id]))
        return activity_inputs(rows), None
    inputs = db.session.scalar(
        select(CycleScore.inputs).where(CycleScore.cycle_id == cycle.id, CycleScore.version == cycle.version,
                                        CycleScore.superseded.is_(False), CycleScore.employee_id == employee_id))
    return (inputs or {}).get("activities", []), inputs


def activity_titles(activities: list[dict]) -> dict[tuple[str, str], str]:
    """``(kind, activity id) → title`` for the activities of a breakdown: one query per kind,
    through each kind's catalog (retired items keep their title; unknown kinds are left out)."""
    ids: dict[str, set[str]] = {}
    for activity in activities:
        ids.setdefault(activity["kind"], set()).add(activity["activity_id"])
    titles: dict[tuple[str, str], str] = {}
    for key, activity_ids in ids.items():
        kind = get_kind(key)
        if kind is not None:
            titles.update({(key, item_id): title for item_id, title in kind.titles(activity_ids).items()})
    return titles


@dataclass(frozen=True)
class TrendPoint:
    cycle_id: int
    name: str
    total: float | None
    band: str | None
    final: bool


def employee_trend(employee_id: int) -> list[TrendPoint]:
    """The employee's total in every cycle, oldest first: snapshots of closed ones, live for open ones."""
    cycles = db.session.scalars(select(Cycle).order_by(Cycle.starts_on, Cycle.id)).all()
    closed = {
        r.cycle_id: r for r in db.session.execute(
            select(CycleScore.cycle_id, CycleScore.total, CycleScore.band)
            .join(Cycle, Cycle.id == CycleScore.cycle_id)
            .where(CycleScore.employee_id == employee_id, CycleScore.superseded.is_(False),
                   CycleScore.version == Cycle.version))
    }
    points = []
    for cycle in cycles:
        if cycle.is_open:
            row = employee_score(cycle, employee_id)
            if row is not None:
                points.append(TrendPoint(cycle.id, cycle.name, row.total, row.band, False))
        elif cycle.id in closed:
            r = closed[cycle.id]
            points.append(TrendPoint(cycle.id, cycle.name, r.total, r.band, True))
    return points
