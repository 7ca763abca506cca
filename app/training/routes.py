"""Training pages: my training, notifications, the team dashboard, assigning, onboarding plans.

Thin views: parse input, call a service, commit once, render. Every page that shows or changes
another employee's work goes through the permission layer (``can_view``,
``can_manage_team_member`` and the batch check in ``assignments``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.people.models import Employee, Role, Team
from app.people.permissions import can_manage_team_member, get_visible_employee, role_required
from app.routing import query_int
from app.timeutil import local_today, utcnow
from app.training import activities, assignments, dashboard, notifications, onboarding, panels
from app.training.forms import AssignForm, ConfirmForm, DueDateForm, MarkReadForm, PlanItemForm, RefresherForm
from app.training.models import Assignment, AssignmentSource
from app.training.mytraining import employee_items
from app.training.mytraining import my_training as my_training_data

bp = Blueprint("training", __name__, url_prefix="/training")

STAFF = (Role.SUPERVISOR, Role.HR, Role.ADMIN)
#: the due date the assign form proposes
DEFAULT_DUE_DAYS = 7


def activity_choices() -> dict[str, list[tuple[str, str]]]:
    """``kind:id`` choices grouped by kind (rendered as <optgroup>s)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in activities.catalog():
        groups.setdefault(item.kind_label, []).append((item.key, item.title))
    return groups


@bp.route("/")
@login_required
def my_training():
    data = my_training_data(current_user.id, local_today())
    return render_template("training/my_training.html", data=data, today=local_today(),
                           read_form=MarkReadForm(), panels=panels.for_employee(current_user.id, local_today()))


# --- notifications ---------------------------------------------------------------------------

@bp.route("/notifications")
@login_required
def notification_list():
    items = notifications.recent(current_user.id, limit=100)
    return render_template("training/notifications.html", items=items, form=MarkReadForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    form = MarkReadForm()
    if not form.validate_on_submit():
        flash(_("The form has expired or was changed. Please try again."), "warning")
        return redirect(url_for("training.notification_list"))
    count = notifications.mark_read(current_user.id, form.notification_id.data)
    db.session.commit()
    if form.notification_id.data is None:
        flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count),
              "success")
    return redirect(_back(url_for("training.notification_list")))


def _back(default: str) -> str:
    """The form's ``next`` when it is a same-site path (never an open redirect), else ``default``."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and not urlsplit(target).netloc:
        return target
    return default


# --- team dashboard, assigning, refresher ------------------------------------------------------

def _team_for(viewer: Employee, team_id: int | None) -> tuple[Team | None, list[Team]]:
    teams = assignments.manageable_teams(viewer)
    if team_id is None:
        return (teams[0] if teams else None), teams
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    if team.id not in {t.id for t in teams}:
        abort(403)
    return team, teams


@bp.route("/team")
@role_required(*STAFF)
def team_dashboard():
    team, teams = _team_for(current_user, query_int("team"))
    kind = request.args.get("kind")
    data, shown = None, []
    if team is not None:
        data = dashboard.team_dashboard(team, local_today(), utcnow(),
                                        kind=kind if kind in activities.kind_keys() else None)
        shown = panels.for_team([m.id for m in data.members], local_today())
    return render_template("training/team_dashboard.html", team=team, teams=teams, data=data, panels=shown,
                           refresher_form=RefresherForm(), today=local_today(), kind_label=activities.kind_label,
                           window_days=dashboard.WINDOW_DAYS, matrix_days=dashboard.MATRIX_DAYS)


@bp.route("/assign", methods=["GET", "POST"])
@role_required(*STAFF)
def assign():
    form = AssignForm()
    form.activity.choices = activity_choices()
    teams = assignments.manageable_teams(current_user)
    people = assignments.manageable_employees(current_user)
    form.teams.choices = [(t.id, t.name) for t in teams]
    form.employees.choices = [(e.id, f"{e.employee_no} {e.name}") for e in people]
    if request.method == "GET":
        form.activity.data = request.args.get("activity")
        form.due_date.data = local_today() + dt.timedelta(days=DEFAULT_DUE_DAYS)
        form.teams.data = [t for t in [query_int("team")] if t in {t.id for t in teams}]
        form.employees.data = [e for e in [query_int("employee")] if e in {e.id for e in people}]
    if form.validate_on_submit():
        parsed = activities.parse_key(form.activity.data)
        try:
            if parsed is None:
                raise assignments.AssignmentError(_("This activity is not in the catalog."))
            targets = assignments.resolve_targets(current_user, employee_ids=form.employees.data,
                                                  team_ids=form.teams.data)
            if not targets:
                raise assignments.AssignmentError(_("The chosen teams have no members to assign to."))
            outcome = assignments.assign(current_user, targets, parsed[0], parsed[1], form.due_date.data,
                                         note=form.note.data or "")
        except assignments.NotAllowed:
            db.session.rollback()
            abort(403)
        except assignments.AssignmentError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            _flash_outcome(outcome)
            back = form.teams.data[0] if len(form.teams.data) == 1 else None
            return redirect(url_for("training.team_dashboard", team=back) if back else
                            url_for("training.team_dashboard"))
    by_team: dict[int | None, list[Employee]] = {}
    for person in people:
        by_team.setdefault(person.team_id, []).append(person)
    return render_template("training/assign.html", form=form, teams=teams, by_team=by_team,
                           team_names={t.id: t.name for t in db.session.scalars(select(Team))})


def _flash_outcome(outcome: assignments.AssignOutcome) -> None:
    if outcome.created:
        flash(ngettext("Assigned to %(num)d person.", "Assigned to %(num)d people.", len(outcome.created)),
              "success")
    if outcome.skipped:
        names = "、".join(e.name for e in outcome.skipped[:10])
        flash(_("Already assigned and still open, not added again: %(names)s", names=names), "info")


@bp.route("/teams/<int:team_id>/refresher", methods=["POST"])
@role_required(*STAFF)
def refresher(team_id: int):
    team, _teams = _team_for(current_user, team_id)
    form = RefresherForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            flash(_("The form has expired or was changed. Please try again."), "warning")
        else:
            flash(_("Choose the topic the refresher is for."), "warning")
        return redirect(url_for("training.team_dashboard", team=team_id))
    threshold = form.threshold.data or dashboard.DEFAULT_THRESHOLD
    try:
        result = dashboard.assign_refresher(current_user, team, form.lesson_id.data, local_today(), utcnow(),
                                            threshold=threshold)
    except assignments.NotAllowed:
        db.session.rollback()
        abort(403)
    except assignments.AssignmentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("training.team_dashboard", team=team_id))
    db.session.commit()
    if result.target is None:
        flash(_("There is no quiz or course to assign for this topic."), "warning")
    elif not result.weak:
        flash(_("Nobody in the team is below %(n)d on this topic.", n=threshold), "info")
    else:
        flash(_("Refresher “%(title)s” for %(topic)s:", title=result.target.title, topic=result.lesson.title),
              "success")
        _flash_outcome(result.outcome)
    return redirect(url_for("training.team_dashboard", team=team_id))


# --- one employee's training and onboarding plan ------------------------------------------------

def _managed_employee(employee_id: int) -> Employee:
    employee = get_visible_employee(current_user, employee_id)
    if not can_manage_team_member(current_user, employee):
        abort(403)
    return employee


@bp.route("/employees/<int:employee_id>")
@login_required
def employee_training(employee_id: int):
    employee = get_visible_employee(current_user, employee_id)
    if employee.id == current_user.id:
        return redirect(url_for("training.my_training"))
    if not can_manage_team_member(current_user, employee):
        abort(403)
    items = employee_items(employee.id, local_today())
    add_form = PlanItemForm()
    add_form.activity.choices = activity_choices()
    return render_template("training/employee.html", employee=employee, items=items,
                           plan=onboarding.plan_of(employee.id), add_form=add_form, due_form=DueDateForm(),
                           confirm_form=ConfirmForm(), today=local_today())


@bp.route("/employees/<int:employee_id>/plan", methods=["POST"])
@login_required
def plan_create(employee_id: int):
    employee = _managed_employee(employee_id)
    if ConfirmForm().validate_on_submit():
        if employee.hire_date is None:
            flash(_("Set the hire date first: the plan's due dates count from it."), "warning")
        else:
            try:
                onboarding.create_plan(employee, actor=current_user)
            except onboarding.TemplateError:
                db.session.rollback()
                flash(_("The onboarding plan template has problems; ask the training manager to run "
                        "“flask content check”."), "danger")
            else:
                db.session.commit()
                flash(_("Onboarding plan created."), "success")
    return redirect(url_for("training.employee_training", employee_id=employee.id))


@bp.route("/employees/<int:employee_id>/plan/items", methods=["POST"])
@login_required
def plan_add(employee_id: int):
    employee = _managed_employee(employee_id)
    form = PlanItemForm()
    form.activity.choices = activity_choices()
    if form.validate_on_submit():
        parsed = activities.parse_key(form.activity.data)
        try:
            if parsed is None:
                raise assignments.AssignmentError(_("This activity is not in the catalog."))
            outcome = assignments.assign(current_user, [employee], parsed[0], parsed[1], form.due_date.data,
                                         note=form.note.data or "", source=AssignmentSource.ONBOARDING,
                                         plan_change=True)
        except assignments.AssignmentError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            _flash_outcome(outcome)
    else:
        for errors in form.errors.values():
            flash("; ".join(str(e) for e in errors), "danger")
    return redirect(url_for("training.employee_training", employee_id=employee.id))


def _managed_assignment(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    if not can_manage_team_member(current_user, assignment.employee):
        abort(403)
    return assignment


@bp.route("/assignments/<int:assignment_id>/due", methods=["POST"])
@login_required
def assignment_due(assignment_id: int):
    assignment = _managed_assignment(assignment_id)
    form = DueDateForm()
    if form.validate_on_submit():
        try:
            assignments.change_due_date(current_user, assignment, form.due_date.data)
        except assignments.AssignmentError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Due date changed."), "success")
    else:
        flash(_("Please give a valid date."), "danger")
    return redirect(url_for("training.employee_training", employee_id=assignment.employee_id))


@bp.route("/assignments/<int:assignment_id>/fresh-attempts", methods=["POST"])
@login_required
def assignment_fresh_attempts(assignment_id: int):
    assignment = _managed_assignment(assignment_id)
    if ConfirmForm().validate_on_submit():
        try:
            assignments.give_fresh_attempts(current_user, assignment)
        except assignments.AssignmentError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Earlier attempts no longer count against the limit: %(name)s can try again.",
                    name=assignment.employee.name), "success")
    return redirect(url_for("training.employee_training", employee_id=assignment.employee_id))


@bp.route("/assignments/<int:assignment_id>/cancel", methods=["POST"])
@login_required
def assignment_cancel(assignment_id: int):
    assignment = _managed_assignment(assignment_id)
    if ConfirmForm().validate_on_submit():
        assignments.cancel(current_user, assignment)
        db.session.commit()
        flash(_("Assignment withdrawn."), "success")
    return redirect(url_for("training.employee_training", employee_id=assignment.employee_id))
