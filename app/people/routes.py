"""People pages: employee and team administration, scoped by the permission layer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app.audit.services import record_event
from app.extensions import db
from app.people.forms import ActiveForm, DepartmentForm, EmployeeForm, NewEmployeeForm, RoleForm, TeamForm
from app.people.models import Department, Employee, Role, Team
from app.people.passwords import PasswordPolicyError
from app.people.permissions import (
    can_administer_account,
    get_visible_employee,
    role_required,
    visible_employees,
)
from app.people.services import (
    EmployeeData,
    PeopleError,
    change_role,
    create_employee,
    get_or_create_department,
    save_team,
    set_active,
    update_employee,
)
from app.routing import query_int, query_page
from app.ui.labels import role_label

bp = Blueprint("people", __name__)

MANAGERS = (Role.HR, Role.ADMIN)
PAGE_SIZE = 50


def _fill_choices(form) -> None:
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    teams = db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)).all()
    if hasattr(form, "department_id"):
        form.department_id.choices = [("", "—")] + [(d.id, d.name) for d in departments]
    if hasattr(form, "team_id"):
        form.team_id.choices = [("", "—")] + [(t.id, f"{t.department.name} / {t.name}") for t in teams]


def _data(form) -> EmployeeData:
    return EmployeeData(
        employee_no=form.employee_no.data,
        name=form.name.data,
        department_id=form.department_id.data,
        team_id=form.team_id.data,
        position=form.position.data or "",
        hire_date=form.hire_date.data,
        role=getattr(form, "role", None) and form.role.data or Role.TRAINEE.value,
    )


@bp.route("/people/")
@role_required(Role.SUPERVISOR, Role.HR, Role.ADMIN)
def employee_list():
    stmt = visible_employees(current_user)
    q = (request.args.get("q") or "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Employee.name.like(like), Employee.employee_no.like(like)))
    dept = query_int("department")
    if dept:
        stmt = stmt.where(Employee.department_id == dept)
    if request.args.get("inactive") != "1":
        stmt = stmt.where(Employee.active.is_(True))
    page = db.paginate(stmt.order_by(Employee.employee_no), page=query_page(), per_page=PAGE_SIZE, error_out=False)
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    return render_template("people/list.html", page=page, q=q, departments=departments, dept=dept,
                           show_inactive=request.args.get("inactive") == "1")


@bp.route("/people/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def employee_new():
    form = NewEmployeeForm()
    _fill_choices(form)
    if current_user.role != Role.ADMIN.value:
        form.role.choices = [c for c in form.role.choices if c[0] == Role.TRAINEE.value
                             or c[0] == Role.SUPERVISOR.value]
    if form.validate_on_submit():
        try:
            employee = create_employee(_data(form), form.password.data, must_change_password=True)
        except (PeopleError, PasswordPolicyError) as exc:
            flash(str(exc), "danger")
        else:
            record_event("people.create", actor_id=current_user.id, target=f"employee:{employee.id}",
                         details={"employee_no": employee.employee_no, "role": employee.role})
            db.session.commit()
            flash(_("Account %(no)s created. It must change its password at first login.",
                    no=employee.employee_no), "success")
            return redirect(url_for("people.employee_detail", employee_id=employee.id))
    return render_template("people/form.html", form=form, title=_("New employee"))


@bp.route("/people/<int:employee_id>")
@login_required
def employee_detail(employee_id: int):
    employee = get_visible_employee(current_user, employee_id)
    return render_template("people/detail.html", employee=employee, role_form=RoleForm(role=employee.role),
                           active_form=ActiveForm())


@bp.route("/people/<int:employee_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def employee_edit(employee_id: int):
    employee = _administered_employee(employee_id)
    form = EmployeeForm(obj=employee)
    _fill_choices(form)
    form.employee_no.render_kw = {"readonly": True}
    if form.validate_on_submit():
        form.employee_no.data = employee.employee_no  # the login name never changes here
        try:
            update_employee(employee, _data(form))
        except PeopleError as exc:
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("people.employee_detail", employee_id=employee.id))
    return render_template("people/form.html", form=form, title=_("Edit %(name)s", name=employee.name))


def _administered_employee(employee_id: int):
    """The employee, when the current user may edit or (de)activate that account (HR: not an admin's)."""
    employee = get_visible_employee(current_user, employee_id)
    if not can_administer_account(current_user, employee):
        abort(403)
    return employee


@bp.route("/people/<int:employee_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def employee_role(employee_id: int):
    """Two steps: the first POST shows "old → new" and asks to confirm; only the confirmed POST changes."""
    employee = get_visible_employee(current_user, employee_id)
    form = RoleForm()
    if form.validate_on_submit():
        before = employee.role
        if form.role.data == before:
            flash(_("The role is already %(role)s.", role=role_label(before)), "info")
            return redirect(url_for("people.employee_detail", employee_id=employee.id))
        if form.confirm.data != "yes":
            form.confirm.data = "yes"
            return render_template("people/role_confirm.html", employee=employee, form=form,
                                   old=role_label(before), new=role_label(form.role.data))
        try:
            change_role(current_user, employee, form.role.data)
        except PeopleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            record_event("people.role_change", actor_id=current_user.id, target=f"employee:{employee.id}",
                         details={"from": before, "to": employee.role})
            db.session.commit()
            flash(_("Role changed."), "success")
    return redirect(url_for("people.employee_detail", employee_id=employee.id))


@bp.route("/people/<int:employee_id>/<any(activate, deactivate):action>", methods=["POST"])
@role_required(*MANAGERS)
def employee_active(employee_id: int, action: str):
    employee = _administered_employee(employee_id)
    if employee.id == current_user.id:
        abort(400, _("You cannot deactivate your own account."))
    if ActiveForm().validate_on_submit():
        try:
            set_active(employee, action == "activate")
        except PeopleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            record_event(f"people.{action}", actor_id=current_user.id, target=f"employee:{employee.id}")
            db.session.commit()
            flash(_("Account activated.") if action == "activate" else _("Account deactivated."), "success")
    return redirect(url_for("people.employee_detail", employee_id=employee.id))


@bp.route("/teams/", methods=["GET", "POST"])
@role_required(*MANAGERS)
def team_list():
    dept_form = DepartmentForm()
    if dept_form.validate_on_submit():
        get_or_create_department(dept_form.name.data.strip())
        db.session.commit()
        flash(_("Department saved."), "success")
        return redirect(url_for("people.team_list"))
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    return render_template("people/teams.html", departments=departments, dept_form=dept_form,
                           active_form=ActiveForm())


def _team_form(team: Team | None) -> TeamForm:
    form = TeamForm(obj=team)
    form.department_id.choices = [(d.id, d.name) for d in
                                  db.session.scalars(select(Department).order_by(Department.name))]
    leaders = db.session.scalars(
        select(Employee).where(Employee.role == Role.SUPERVISOR.value, Employee.active.is_(True))
        .order_by(Employee.employee_no)
    )
    form.leader_id.choices = [("", "—")] + [(e.id, f"{e.employee_no} {e.name}") for e in leaders]
    return form


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def team_edit(team_id: int | None):
    team = db.session.get(Team, team_id) if team_id else None
    if team_id and team is None:
        abort(404)
    form = _team_form(team)
    if form.validate_on_submit():
        try:
            save_team(team, name=form.name.data, department_id=form.department_id.data,
                      leader_id=form.leader_id.data)
        except PeopleError as exc:
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Team saved."), "success")
            return redirect(url_for("people.team_list"))
    return render_template("people/team_form.html", form=form, team=team)


@bp.route("/teams/<int:team_id>/<any(activate, deactivate):action>", methods=["POST"])
@role_required(*MANAGERS)
def team_active(team_id: int, action: str):
    team = db.session.get(Team, team_id) or abort(404)
    if ActiveForm().validate_on_submit():
        team.active = action == "activate"
        db.session.commit()
        flash(_("Team saved."), "success")
    return redirect(url_for("people.team_list"))
