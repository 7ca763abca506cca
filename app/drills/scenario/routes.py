"""Role-play pages: intro, play (one node at a time, resumable), review."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db

from ..blueprint import bp
from ..common.errors import DrillError, NotAllowed
from ..common.views_common import load_own, load_visible
from .forms import ChoiceForm
from .models import Scenario, ScenarioRun
from .path import format_clock
from .services import choice_order, choose, current_node, open_run, path_state, review, start_run, timed


@bp.route("/scenarios/<scenario_id>")
@login_required
def scenario_intro(scenario_id: str):
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None or scenario.retired:
        flash(_("This scenario is not available."), "warning")
        return redirect(url_for("drills.drill_list"))
    runs = db.session.scalars(select(ScenarioRun).where(ScenarioRun.employee_id == current_user.id,
                                                        ScenarioRun.scenario_id == scenario.id)
                              .order_by(ScenarioRun.started_at.desc()).limit(10)).all()
    return render_template("drills/scenario/intro.html", scenario=scenario, spec=scenario.spec, runs=runs,
                           open_run=open_run(current_user.id, scenario.id), form=ChoiceForm())


@bp.route("/scenarios/<scenario_id>/start", methods=["POST"])
@login_required
def scenario_start(scenario_id: str):
    try:
        run = start_run(current_user, scenario_id)
    except DrillError as exc:
        db.session.rollback()
        flash(str(exc.message), "warning")
        return redirect(url_for("drills.drill_list"))
    db.session.commit()
    return redirect(url_for("drills.run_play", run_id=run.id))


@bp.route("/runs/<int:run_id>")
@login_required
def run_play(run_id: int):
    run = load_own(ScenarioRun, run_id)
    if run.finished:
        return redirect(url_for("drills.run_review", run_id=run.id))
    spec = run.version.spec
    state = path_state(run)
    last = None
    if spec["feedback"] == "immediate" and run.steps:
        step = run.steps[-1]
        choice = spec["nodes"][step.node_id]["choices"][step.choice_index]
        last = {"step": step, "choice": timed(choice, state, step.position)}
    node = current_node(run)
    clock = format_clock(state.now) if state.now is not None else ""
    return render_template("drills/scenario/play.html", run=run, spec=spec, node=node, last=last, clock=clock,
                           order=choice_order(run, len(node["choices"])), form=ChoiceForm())


@bp.route("/runs/<int:run_id>/choose", methods=["POST"])
@login_required
def run_choose(run_id: int):
    run = load_own(ScenarioRun, run_id)
    form = ChoiceForm()
    if not form.validate_on_submit():
        flash(_("Please pick one of the choices shown."), "warning")
        return redirect(url_for("drills.run_play", run_id=run.id))
    try:
        outcome = choose(run.id, current_user.id, form.position.data, form.node.data, form.choice.data)
        db.session.commit()
    except NotAllowed:
        db.session.rollback()
        return redirect(url_for("drills.drill_list"))
    except DrillError as exc:
        db.session.rollback()
        flash(str(exc.message), "warning")
        return redirect(url_for("drills.run_play", run_id=run_id))
    except IntegrityError:  # the same step recorded by a concurrent request
        db.session.rollback()
        flash(_("That step was already answered; here is where you are now."), "info")
        return redirect(url_for("drills.run_play", run_id=run_id))
    if not outcome.recorded:
        flash(_("That step was already answered; here is where you are now."), "info")
    if outcome.run.finished:
        return redirect(url_for("drills.run_review", run_id=run_id))
    return redirect(url_for("drills.run_play", run_id=run_id))


@bp.route("/runs/<int:run_id>/review")
@login_required
def run_review(run_id: int):
    run = load_visible(ScenarioRun, run_id)
    if not run.finished and run.employee_id == current_user.id:
        return redirect(url_for("drills.run_play", run_id=run.id))
    spec = run.version.spec
    state = path_state(run)
    ending = timed(spec["nodes"][run.current_node], state, run.position).get("ending") if run.finished else None
    return render_template("drills/scenario/review.html", run=run, spec=spec, steps=review(run), ending=ending,
                           mistakes=[m.reason for m in state.mistakes],
                           clock=format_clock(state.now) if state.now is not None else "")
