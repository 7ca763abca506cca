"""The role-play engine: start or resume a run, record each choice as it is made, finish.

Every choice is one POST and one :class:`ScenarioStep`, written at once, so closing the browser
loses nothing and the run resumes at its current node. A POST names the position and node it was
shown for: a repeated or stale POST (double click, back button, second tab) records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.people.models import Employee
from app.results.services import record_result
from app.timeutil import utcnow

from ..common.errors import DrillError, NotAllowed
from ..common.policy import attempt_state, check_can_attempt, policy_of
from .kind import ScenarioKind
from .models import RunState, Scenario, ScenarioRun, ScenarioStep, ScenarioStepClause, ScenarioVersion
from .path import PathState, fill_time, format_clock, replay, resolve_ending
from .scoring import normalised_score

logger = logging.getLogger(__name__)


def open_run(employee_id: int, scenario_id: str) -> ScenarioRun | None:
    return db.session.scalar(select(ScenarioRun).where(
        ScenarioRun.employee_id == employee_id, ScenarioRun.scenario_id == scenario_id,
        ScenarioRun.state == RunState.IN_PROGRESS.value))


def available_scenario(scenario_id: str) -> Scenario:
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None or scenario.retired:
        raise DrillError(_l("This scenario is not available."))
    return scenario


def start_run(employee: Employee, scenario_id: str, now: dt.datetime | None = None) -> ScenarioRun:
    """The employee's open run of this scenario, or a new one on the current version (when the
    scenario's attempt rules allow one more: ``common/policy.py``)."""
    existing = open_run(employee.id, scenario_id)
    if existing is not None:
        return existing
    scenario = available_scenario(scenario_id)
    check_can_attempt(attempt_state(ScenarioKind.key, employee.id, scenario.id, scenario.spec, now))
    version = db.session.scalar(select(ScenarioVersion).where(
        ScenarioVersion.scenario_id == scenario.id, ScenarioVersion.content_hash == scenario.content_hash))
    if version is None:  # synced before versions existed: create it now
        version = ScenarioVersion(scenario_id=scenario.id, content_hash=scenario.content_hash, spec=scenario.spec)
        db.session.add(version)
        db.session.flush()
    now = now or utcnow()
    run = ScenarioRun(employee_id=employee.id, scenario_id=scenario.id, version_id=version.id,
                      state=RunState.IN_PROGRESS.value, open_slot=1, current_node=version.spec["start"],
                      position=0, seed=secrets.randbelow(2**31 - 1) + 1, started_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:  # a concurrent start won: resume that one
        return open_run(employee.id, scenario_id)  # type: ignore[return-value]
    logger.info("scenario run %s of %s started by %s", run.id, scenario.id, employee.employee_no)
    return run


@dataclass
class ChoiceOutcome:
    run: ScenarioRun
    #: the step written, or None when the POST was stale or repeated
    step: ScenarioStep | None

    @property
    def recorded(self) -> bool:
        return self.step is not None


def choose(run_id: int, employee_id: int, position: int, node_id: str, choice_index: int,
           now: dt.datetime | None = None) -> ChoiceOutcome:
    """Record the choice made at ``node_id`` (shown as step ``position``) and move on."""
    run = db.session.scalar(select(ScenarioRun).where(ScenarioRun.id == run_id).with_for_update())
    if run is None:
        raise DrillError(_l("This run does not exist."))
    if run.employee_id != employee_id:
        raise NotAllowed(_l("This is not your run."))
    if run.finished or position != run.position or node_id != run.current_node:
        return ChoiceOutcome(run, None)
    spec = run.version.spec
    node = spec["nodes"].get(node_id) or {}
    choices = node.get("choices") or []
    if not 0 <= choice_index < len(choices):
        raise DrillError(_l("Please pick one of the choices shown."))
    choice = choices[choice_index]
    scores = [c["score"] for c in choices]
    now = now or utcnow()
    step = ScenarioStep(run_id=run.id, position=position, node_id=node_id, choice_index=choice_index,
                        score=choice["score"], best=max(scores), worst=min(scores), created_at=now)
    step.clauses = [ScenarioStepClause(clause_id=cite["id"]) for cite in choice["cites"]]
    run.steps.append(step)
    run.position = position + 1
    run.current_node = choice["next"]
    run.updated_at = now
    db.session.flush()
    if spec["nodes"][run.current_node].get("ending"):
        _finish(run, spec, now)
    logger.info("scenario run %s: step %s at %s chose %s", run.id, position, node_id, choice_index)
    return ChoiceOutcome(run, step)


def _finish(run: ScenarioRun, spec: dict[str, Any], now: dt.datetime) -> None:
    run.state = RunState.FINISHED.value
    run.open_slot = None
    run.finished_at = now
    run.score = normalised_score(run.steps)
    mistakes = path_state(run).mistakes
    run.current_node = resolve_ending(spec["nodes"], run.current_node, run.score, bool(mistakes))
    db.session.flush()
    record_result(employee_id=run.employee_id, kind=ScenarioKind.key, activity_id=run.scenario_id,
                  source_id=run.id, score=run.score, finished_at=now,
                  passed=policy_of(ScenarioKind.key, run.version.spec).passed(run.score))
    logger.info("scenario run %s finished: %.1f", run.id, run.score)


@dataclass
class StepView:
    """One row of the review: where the trainee was, what they chose, what was best."""

    position: int
    node: dict[str, Any]
    choice: dict[str, Any]
    score: int
    best: int
    worst: int
    #: the options that scored best at that node (shown when the trainee missed them)
    best_choices: list[dict[str, Any]]
    #: the clock when the node was reached ("14:20"), or "" without a clock
    clock: str = ""
    #: the critical mistakes made at this step
    mistakes: list[str] = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return self.score < self.best


def path_state(run: ScenarioRun) -> PathState:
    """The clock and the critical mistakes of the run so far."""
    return replay(run.version.spec, [(step.node_id, step.choice_index) for step in run.steps])


def timed(item: dict[str, Any], state: PathState, position: int) -> dict[str, Any]:
    """A node or choice with its clock placeholders filled in for the time reached at ``position``."""
    now = state.clock_at(position)
    filled = dict(item)
    for key in ("situation_html", "says_html", "text_html", "feedback_html"):
        if key in filled:
            filled[key] = fill_time(filled[key], now, state.start)
    if filled.get("choices"):
        filled["choices"] = [timed(c, state, position) for c in filled["choices"]]
    if filled.get("ending"):
        filled["ending"] = timed(filled["ending"], state, position)
    return filled


def review(run: ScenarioRun) -> list[StepView]:
    nodes = run.version.spec["nodes"]
    state = path_state(run)
    views = []
    for step in run.steps:
        node = timed(nodes[step.node_id], state, step.position)
        best = [c for c in node["choices"] if c["score"] == step.best]
        clock = state.clock_at(step.position)
        views.append(StepView(step.position, node, node["choices"][step.choice_index], step.score, step.best,
                              step.worst, best, format_clock(clock) if clock is not None else "",
                              [m.reason for m in state.mistakes if m.position == step.position]))
    return views


def current_node(run: ScenarioRun) -> dict[str, Any]:
    """The node shown now, its texts showing the clock reached on this run's path."""
    state = path_state(run)
    return timed(run.version.spec["nodes"][run.current_node], state, run.position)


def choice_order(run: ScenarioRun, count: int) -> list[int]:
    """The order the choices of the current node are shown in: shuffled per run, stable on reload."""
    order = list(range(count))
    random.Random(f"{run.seed}:{run.id}:{run.position}").shuffle(order)
    return order
