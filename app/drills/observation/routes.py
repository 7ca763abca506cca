"""Observation pages: pick a team member and a checklist, score on a phone, view the result."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app.extensions import db
from app.people.models import Employee
from app.people.permissions import can_manage_team_member, visible_employees

from ..blueprint import bp
from ..common.errors import DrillError, NotAllowed
from ..common.tokens import new_token
from ..common.views_common import load_visible
from .forms import ObservationForm
from .models import Checklist, Observation
from .services import (
    MARKS,
    REASONS,
    ItemMark,
    can_observe,
    cited_clauses_to_reread,
    clause_texts,
    observable_employees,
    submit_observation,
)


def _require_observer() -> None:
    if not can_observe(current_user):
        abort(403)


def _checklists() -> list[Checklist]:
    return list(db.session.scalars(select(Checklist).where(Checklist.retired.is_(False))
                                   .order_by(Checklist.position, Checklist.id)))


@bp.route("/observations/")
@login_required
def observation_list():
    about_me = db.session.scalars(select(Observation).where(Observation.employee_id == current_user.id)
                                  .order_by(Observation.observed_at.desc()).limit(50)).all()
    by_me: list[Observation] = []
    team: list[Observation] = []
    if can_observe(current_user):
        by_me = db.session.scalars(select(Observation).where(Observation.observer_id == current_user.id)
                                   .order_by(Observation.observed_at.desc()).limit(50)).all()
        visible = visible_employees(current_user).with_only_columns(Employee.id)
        team = db.session.scalars(select(Observation).where(
            Observation.employee_id.in_(visible), Observation.employee_id != current_user.id,
            Observation.observer_id != current_user.id).order_by(Observation.observed_at.desc()).limit(50)).all()
    return render_template("drills/observation/list.html", about_me=about_me, by_me=by_me, team=team,
                           can_observe=can_observe(current_user))


@bp.route("/observations/new")
@login_required
def observation_pick():
    _require_observer()
    checklists = _checklists()
    q = (request.args.get("q") or "").strip()
    stmt = observable_employees(current_user)
    if q:
        stmt = stmt.where(or_(Employee.name.contains(q, autoescape=True),
                              Employee.employee_no.contains(q, autoescape=True)))
    people = db.session.scalars(stmt.order_by(Employee.employee_no).limit(200)).all()
    chosen = request.args.get("checklist") or (checklists[0].id if checklists else "")
    return render_template("drills/observation/pick.html", checklists=checklists, people=people, chosen=chosen, q=q)


@bp.route("/observations/new/<checklist_id>/<int:employee_id>", methods=["GET", "POST"])
@login_required
def observation_form(checklist_id: str, employee_id: int):
    _require_observer()
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    if not can_manage_team_member(current_user, employee):
        abort(403)
    checklist = db.session.get(Checklist, checklist_id)
    if checklist is None or checklist.retired:
        flash(_("This checklist is not available."), "warning")
        return redirect(url_for("drills.observation_pick"))
    form = ObservationForm()
    if not form.is_submitted():
        form.token.data = new_token()
        form.version.data = checklist.content_hash
    given = {item["id"]: ItemMark(request.form.get(f"mark-{item['id']}", ""),
                                  request.form.get(f"note-{item['id']}", ""),
                                  request.form.get(f"reason-{item['id']}", ""))
             for item in checklist.spec["items"]} if form.is_submitted() else {}
    if form.validate_on_submit():
        try:
            observation = submit_observation(current_user, employee, checklist.id, given, form.token.data,
                                             content_hash=form.version.data)
            db.session.commit()
            flash(_("Observation saved: %(passed)s of %(observed)s observed items passed.",
                    passed=observation.passed, observed=observation.observed), "success")
            return redirect(url_for("drills.observation_view", observation_id=observation.id))
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except DrillError as exc:
            db.session.rollback()
            form.version.data = checklist.content_hash
            flash(str(exc.message), "warning")
    elif form.is_submitted():
        flash(_("This form has expired. Please open it again."), "warning")
        form.token.data = new_token()
    clauses = clause_texts([c["id"] for item in checklist.spec["items"] for c in item["cites"]])
    return render_template("drills/observation/form.html", checklist=checklist, employee=employee, form=form,
                           given=given, marks=MARKS, reasons=REASONS, clauses=clauses)


@bp.route("/observations/<int:observation_id>")
@login_required
def observation_view(observation_id: int):
    observation = db.session.get(Observation, observation_id)
    if observation is None:
        abort(404)
    if observation.observer_id != current_user.id:
        observation = load_visible(Observation, observation_id)
    ids = [c.clause_id for mark in observation.marks for c in mark.clauses]
    return render_template("drills/observation/view.html", observation=observation, clauses=clause_texts(ids),
                           reread=cited_clauses_to_reread(observation))
