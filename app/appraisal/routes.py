"""HR pages of the appraisal layer: cycles, overview, department comparison, employee page, exports.

HR and admin only. The views are thin: parse input, call a service, commit once, render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisal import charts, live, reports
from app.appraisal.adjustments import adjust_score
from app.appraisal.cycles import (
    AppraisalError,
    CycleData,
    create_cycle,
    cycle_data,
    list_cycles,
    update_cycle,
)
from app.appraisal.exports import FORMATS, export_filename, export_stream, record_export
from app.appraisal.forms import AdjustForm, CloseForm, CycleForm, ReopenForm
from app.appraisal.jobs import enqueue_close, enqueue_export, needs_job
from app.appraisal.labels import band_label, component_label
from app.appraisal.models import COMPONENTS, Cycle
from app.appraisal.scoring import effective_weights
from app.appraisal.snapshots import cycle_scores, reopen_cycle
from app.extensions import db
from app.people.models import Department, Employee, Role
from app.people.permissions import role_required
from app.routing import query_int, query_page
from app.timeutil import local_today

bp = Blueprint("appraisal", __name__, url_prefix="/appraisal")

HR_ROLES = (Role.HR, Role.ADMIN)
PAGE_SIZE = 50


def _ip() -> str:
    return request.remote_addr or ""


def _cycle_or_404(cycle_id: int) -> Cycle:
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        abort(404)
    return cycle


def _scored_cycle_or_404(cycle_id: int) -> Cycle:
    """The cycle, with its live rows brought up to today (an open cycle whose due dates passed)."""
    cycle = _cycle_or_404(cycle_id)
    if live.refresh_due(cycle):
        cycle = _cycle_or_404(cycle_id)
    return cycle


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def _form_data(form: CycleForm) -> CycleData:
    return CycleData(
        name=form.name.data or "", starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        weight_theory=form.weight_theory.data, weight_practice=form.weight_practice.data,
        weight_observation=form.weight_observation.data, band_excellent=form.band_excellent.data,
        band_good=form.band_good.data, band_pass=form.band_pass.data, policy=form.policy.data,
        scope=form.scope.data, department_ids=list(form.department_ids.data or []),
    )


@bp.get("/")
@role_required(*HR_ROLES)
def cycle_list():
    return render_template("appraisal/cycles.html", cycles=list_cycles())


@bp.route("/new", methods=["GET", "POST"])
@role_required(*HR_ROLES)
def cycle_new():
    form = CycleForm()
    form.department_ids.choices = [(d.id, d.name) for d in _departments()]
    if form.validate_on_submit():
        try:
            cycle = create_cycle(_form_data(form), actor_id=current_user.id, ip=_ip())
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Cycle %(name)s created.", name=cycle.name), "success")
            return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle.id))
    return render_template("appraisal/cycle_form.html", form=form, cycle=None)


@bp.route("/<int:cycle_id>/edit", methods=["GET", "POST"])
@role_required(*HR_ROLES)
def cycle_edit(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    if not cycle.is_open:
        flash(_("A closed cycle cannot be edited; reopen it first."), "warning")
        return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle.id))
    form = CycleForm(obj=cycle_data(cycle) if request.method == "GET" else None)
    form.department_ids.choices = [(d.id, d.name) for d in _departments()]
    if form.validate_on_submit():
        try:
            update_cycle(cycle, _form_data(form), actor_id=current_user.id, ip=_ip())
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle.id))
    return render_template("appraisal/cycle_form.html", form=form, cycle=cycle)


def _band_chart(counts: dict) -> object:
    items = [(band_label(b), counts.get(b, 0), charts.BAND_COLOURS[b]) for b in reports.BAND_ORDER]
    if counts.get(None):
        items.append((_("No score"), counts[None], charts.BAND_COLOURS[None]))
    return charts.bar_chart(items, title=_("Employees per band"))


@bp.get("/<int:cycle_id>")
@role_required(*HR_ROLES)
def cycle_overview(cycle_id: int):
    cycle = _scored_cycle_or_404(cycle_id)
    department_id = query_int("department")
    page = query_page()
    departments = reports.department_breakdown(cycle)  # one pass of the scoring for all the figures
    counts = reports.band_distribution(departments)
    total = sum(d.employees for d in departments if department_id is None or d.department_id == department_id)
    stmt = cycle_scores(cycle, department_id=department_id)
    rows = db.session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "appraisal/overview.html", cycle=cycle, counts=counts, band_chart=_band_chart(counts),
        departments=departments, all_departments=_departments(), rows=rows,
        department_id=department_id, page=page, pages=max(1, -(-total // PAGE_SIZE)), total=total,
        close_form=CloseForm(), reopen_form=ReopenForm(), formats=FORMATS, today=local_today(),
        recompute=live.pending_recompute(cycle) if cycle.is_open else None,
    )


@bp.post("/<int:cycle_id>/close")
@role_required(*HR_ROLES)
def cycle_close(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    form = CloseForm()
    if form.validate_on_submit() and cycle.ends_on > local_today() and not form.early.data:
        flash(_("This cycle runs until %(day)s. Tick “Close it now” to close it before its end date.",
                day=cycle.ends_on.isoformat()), "warning")
    elif form.is_submitted() and form.errors:
        flash(_("The form has expired or was changed. Please try again."), "warning")
    elif form.validate_on_submit():
        if not cycle.is_open:
            flash(_("This cycle is already closed."), "warning")
        else:  # a background job (app/appraisal/jobs.py); the page shows its progress
            job = enqueue_close(cycle, actor_id=current_user.id, ip=_ip())
            db.session.commit()
            return redirect(url_for("jobs.job_page", job_id=job.id))
    return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle_id))


@bp.post("/<int:cycle_id>/reopen")
@role_required(*HR_ROLES)
def cycle_reopen(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(_("A reason is required to reopen a cycle."), "danger")
        return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle_id))
    try:
        reopen_cycle(cycle, actor_id=current_user.id, reason=form.reason.data, ip=_ip())
    except AppraisalError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("Cycle reopened. Close it again to freeze new scores."), "success")
    return redirect(url_for("appraisal.cycle_overview", cycle_id=cycle_id))


@bp.get("/<int:cycle_id>/departments")
@role_required(*HR_ROLES)
def department_comparison(cycle_id: int):
    cycle = _scored_cycle_or_404(cycle_id)
    rows = reports.department_breakdown(cycle)
    series = [component_label(c) for c in COMPONENTS] + [_("Total")]
    chart = charts.grouped_bars(
        [(r.department or _("No department"), [r.theory, r.practice, r.observation, r.total]) for r in rows],
        series, title=_("Average scores by department"))
    return render_template("appraisal/departments.html", cycle=cycle, rows=rows, chart=chart)


@bp.get("/<int:cycle_id>/employees/<int:employee_id>")
@role_required(*HR_ROLES)
def employee_page(cycle_id: int, employee_id: int):
    cycle = _scored_cycle_or_404(cycle_id)
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    score = reports.employee_score(cycle, employee_id)
    activities, inputs = reports.employee_activities(cycle, employee_id)
    if inputs is not None:
        weights = inputs.get("effective_weights", {})
    else:
        weights = effective_weights(cycle, {c: getattr(score, c) for c in COMPONENTS} if score else {})
    trend = reports.employee_trend(employee_id)
    trend_chart = charts.line_chart(
        [(p.name, p.total) for p in trend], title=_("Total across cycles"),
        thresholds=[(cycle.band_excellent, band_label("excellent")), (cycle.band_good, band_label("good")),
                    (cycle.band_pass, band_label("pass"))]) if trend else None
    adjust_form = AdjustForm(points=score.adjustment if score and score.adjustment is not None else None)
    return render_template("appraisal/employee.html", cycle=cycle, employee=employee, score=score,
                           activities=activities, titles=reports.activity_titles(activities), weights=weights,
                           trend=trend, trend_chart=trend_chart, adjust_form=adjust_form)


@bp.post("/<int:cycle_id>/employees/<int:employee_id>/adjust")
@role_required(*HR_ROLES)
def employee_adjust(cycle_id: int, employee_id: int):
    cycle = _cycle_or_404(cycle_id)
    form = AdjustForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    else:
        try:
            adjust_score(cycle, employee_id, form.points.data, form.reason.data, actor_id=current_user.id,
                         ip=_ip())
        except AppraisalError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Adjustment saved."), "success")
    return redirect(url_for("appraisal.employee_page", cycle_id=cycle_id, employee_id=employee_id))


@bp.get("/<int:cycle_id>/export.<fmt>")
@role_required(*HR_ROLES)
def export(cycle_id: int, fmt: str):
    cycle = _scored_cycle_or_404(cycle_id)
    if fmt not in FORMATS:
        abort(404)
    department_id = query_int("department")
    department = db.session.get(Department, department_id) if department_id else None
    if department_id and department is None:
        abort(404)
    if needs_job(cycle, department_id) or (cycle.is_open and live.pending_recompute(cycle) is not None):
        # above EXPORT_JOB_ROWS, or while an edit's recompute is pending (the job recomputes first)
        job = enqueue_export(cycle, fmt, department_id, actor_id=current_user.id)
        record_export(cycle, fmt, department_id, actor_id=current_user.id, ip=_ip(), via="job")
        db.session.commit()
        return redirect(url_for("jobs.job_page", job_id=job.id))
    record_export(cycle, fmt, department_id, actor_id=current_user.id, ip=_ip())
    db.session.commit()
    ascii_name, utf8_name = export_filename(cycle, fmt, department.name if department else None)
    response = Response(stream_with_context(export_stream(cycle, fmt, department_id)),
                        mimetype=FORMATS[fmt].mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let nginx pass the stream through
    return response
