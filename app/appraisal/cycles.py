"""Cycle rules: create and edit open cycles (name, window, weights, bands, policy, scope)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.appraisal.live import recompute_or_queue
from app.appraisal.models import AttemptPolicy, Cycle, CycleScope, CycleState
from app.audit.services import record_event
from app.extensions import db
from app.people.models import Department

logger = logging.getLogger(__name__)


class AppraisalError(ValueError):
    """A request that breaks an appraisal rule; the message is shown to the user."""



@dataclass
class CycleData:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    weight_theory: int = 40
    weight_practice: int = 30
    weight_observation: int = 30
    band_excellent: float = 90
    band_good: float = 80
    band_pass: float = 60
    policy: str = AttemptPolicy.BEST.value
    scope: str = CycleScope.COMPANY.value
    department_ids: list[int] = field(default_factory=list)


def _problems(data: CycleData, cycle_id: int | None) -> list[str]:
    problems = []
    name = (data.name or "").strip()
    if not name:
        problems.append(_("A name is required."))
    elif len(name) > 64:
        problems.append(_("The name is too long."))
    else:
        clash = select(func.count()).select_from(Cycle).where(Cycle.name == name)
        if cycle_id is not None:
            clash = clash.where(Cycle.id != cycle_id)
        if db.session.scalar(clash):
            problems.append(_("A cycle named %(name)s already exists.", name=name))
    if data.starts_on is None or data.ends_on is None:
        problems.append(_("The window needs a first and a last day."))
    elif data.ends_on < data.starts_on:
        problems.append(_("The window ends before it starts."))
    weights = (data.weight_theory, data.weight_practice, data.weight_observation)
    if any(w is None or w < 0 or w > 100 for w in weights):
        problems.append(_("Each weight is between 0 and 100."))
    elif sum(weights) != 100:
        problems.append(_("The weights must add up to 100 (they add up to %(sum)s).", sum=sum(weights)))
    bands = (data.band_excellent, data.band_good, data.band_pass)
    if any(b is None or b < 0 or b > 100 for b in bands):
        problems.append(_("Each band limit is between 0 and 100."))
    elif not data.band_excellent >= data.band_good >= data.band_pass:
        problems.append(_("The band limits must descend: excellent ≥ good ≥ pass."))
    if data.policy not in {p.value for p in AttemptPolicy}:
        problems.append(_("Unknown attempt policy."))
    if data.scope not in {s.value for s in CycleScope}:
        problems.append(_("Unknown scope."))
    elif data.scope == CycleScope.DEPARTMENTS.value and not data.department_ids:
        problems.append(_("Choose at least one department."))
    return problems


def _apply(cycle: Cycle, data: CycleData) -> None:
    cycle.name = data.name.strip()
    cycle.starts_on, cycle.ends_on = data.starts_on, data.ends_on
    cycle.weight_theory, cycle.weight_practice = data.weight_theory, data.weight_practice
    cycle.weight_observation = data.weight_observation
    cycle.band_excellent, cycle.band_good, cycle.band_pass = (
        float(data.band_excellent), float(data.band_good), float(data.band_pass))
    cycle.policy, cycle.scope = data.policy, data.scope
    if data.scope == CycleScope.DEPARTMENTS.value:
        ids = sorted(set(data.department_ids))
        departments = list(db.session.scalars(select(Department).where(Department.id.in_(ids))))
        if len(departments) != len(ids):
            raise AppraisalError(_("Unknown department."))
        cycle.departments = departments
    else:
        cycle.departments = []


def _summary(cycle: Cycle) -> dict:
    return {"name": cycle.name, "window": [cycle.starts_on.isoformat(), cycle.ends_on.isoformat()],
            "weights": cycle.weights, "bands": cycle.bands, "policy": cycle.policy, "scope": cycle.scope,
            "departments": [d.id for d in cycle.departments]}


def create_cycle(data: CycleData, *, actor_id: int | None, ip: str = "") -> Cycle:
    problems = _problems(data, None)
    if problems:
        raise AppraisalError(" ".join(problems))
    cycle = Cycle(state=CycleState.OPEN.value, version=0, created_by_id=actor_id)
    _apply(cycle, data)
    db.session.add(cycle)
    db.session.flush()
    recompute_or_queue(cycle, actor_id=actor_id)  # its live scores (read model): now, or a job for a big cycle
    record_event("appraisal.cycle_create", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details=_summary(cycle))
    logger.info("cycle %s %r created", cycle.id, cycle.name)
    return cycle


def update_cycle(cycle: Cycle, data: CycleData, *, actor_id: int | None, ip: str = "") -> Cycle:
    """Edit an open cycle. A closed cycle never changes: reopen it first (with a reason)."""
    cycle = lock_cycle(cycle.id)
    if not cycle.is_open:
        raise AppraisalError(_("A closed cycle cannot be edited; reopen it first."))
    problems = _problems(data, cycle.id)
    if problems:
        raise AppraisalError(" ".join(problems))
    before = _summary(cycle)
    _apply(cycle, data)
    db.session.flush()
    recompute_or_queue(cycle, actor_id=actor_id)  # window, weights, policy or scope may have changed
    record_event("appraisal.cycle_update", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details={"before": before, "after": _summary(cycle)})
    logger.info("cycle %s updated", cycle.id)
    return cycle


def lock_cycle(cycle_id: int) -> Cycle:
    """Load the cycle row FOR UPDATE (PostgreSQL; SQLite writers already hold the write lock)."""
    cycle = db.session.scalar(
        select(Cycle).where(Cycle.id == cycle_id).with_for_update().execution_options(populate_existing=True))
    if cycle is None:
        raise AppraisalError(_("Unknown cycle."))
    return cycle


def list_cycles() -> list[Cycle]:
    return list(db.session.scalars(select(Cycle).order_by(Cycle.starts_on.desc(), Cycle.id.desc())))


def cycle_data(cycle: Cycle) -> CycleData:
    return CycleData(
        name=cycle.name, starts_on=cycle.starts_on, ends_on=cycle.ends_on, weight_theory=cycle.weight_theory,
        weight_practice=cycle.weight_practice, weight_observation=cycle.weight_observation,
        band_excellent=cycle.band_excellent, band_good=cycle.band_good, band_pass=cycle.band_pass,
        policy=cycle.policy, scope=cycle.scope, department_ids=[d.id for d in cycle.departments],
    )
