"""The drills home page: every kind and item, with the user's last score per item."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.results.models import Result

from .blueprint import bp
from .kinds import DRILL_KINDS
from .observation.models import Observation
from .observation.services import can_observe
from .scenario.kind import ScenarioKind
from .scenario.models import RunState, ScenarioRun

#: the kinds in page order (the kind objects hold no state)
KINDS = tuple(cls() for cls in DRILL_KINDS)


def last_results(employee_id: int) -> dict[tuple[str, str], Result]:
    """The employee's latest result per (kind, activity)."""
    kinds = [kind.key for kind in KINDS]
    rows = db.session.scalars(select(Result).where(Result.employee_id == employee_id, Result.kind.in_(kinds))
                              .order_by(Result.finished_at.desc(), Result.id.desc()))
    latest: dict[tuple[str, str], Result] = {}
    for row in rows:
        latest.setdefault((row.kind, row.activity_id), row)
    return latest


@bp.route("/")
@login_required
def drill_list():
    latest = last_results(current_user.id)
    open_runs = {run.scenario_id: run for run in db.session.scalars(select(ScenarioRun).where(
        ScenarioRun.employee_id == current_user.id, ScenarioRun.state == RunState.IN_PROGRESS.value))}
    sections = []
    for kind in KINDS:
        rows = []
        for item in kind.active_items():
            result = latest.get((kind.key, item.id))
            rows.append({"item": item, "result": result, "start_url": kind.start_url(item.id),
                         "review_url": kind.review_url(result.source_id) if result else None,
                         "open_run": open_runs.get(item.id) if kind.key == ScenarioKind.key else None})
        sections.append({"kind": kind, "label": kind.label, "rows": rows})
    my_observations = db.session.scalars(select(Observation).where(Observation.employee_id == current_user.id)
                                         .order_by(Observation.observed_at.desc()).limit(5)).all()
    return render_template("drills/list.html", sections=sections, can_observe=can_observe(current_user),
                           my_observations=my_observations)
