"""The audit log: filter by action, actor and date; newest first; paginated."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import distinct, select
from sqlalchemy.orm import joinedload

from app.admin.events import action_title, describe
from app.audit.models import AuditEvent
from app.extensions import db
from app.people.models import Employee, Role
from app.people.permissions import role_required
from app.readmodels import all_read_models
from app.readmodels.jobs import enqueue_rebuild
from app.routing import query_page
from app.timeutil import site_day_start

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit_log():
    action = (request.args.get("action") or "").strip()
    actor_no = (request.args.get("actor") or "").strip()
    since, until = _date(request.args.get("since")), _date(request.args.get("until"))
    stmt = (select(AuditEvent).outerjoin(Employee, Employee.id == AuditEvent.actor_id)
            .options(joinedload(AuditEvent.actor)))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_no:
        stmt = stmt.where(Employee.employee_no == actor_no)
    if since:
        stmt = stmt.where(AuditEvent.at >= site_day_start(since))  # days are site-calendar days
    if until:
        stmt = stmt.where(AuditEvent.at < site_day_start(until + dt.timedelta(days=1)))
    page = db.paginate(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page=query_page(),
                       per_page=PAGE_SIZE, error_out=False, count=True)
    actions = db.session.scalars(select(distinct(AuditEvent.action)).order_by(AuditEvent.action)).all()
    filters = {"action": action, "actor": actor_no, "since": request.args.get("since", ""),
               "until": request.args.get("until", "")}
    return render_template("admin/audit.html", page=page, rows=describe(page.items),
                           actions=[(a, action_title(a)) for a in actions], filters=filters)


@bp.get("/readmodels")
@role_required(Role.ADMIN)
def read_models():
    """The read models behind the dashboards, and a button that rebuilds them in the background."""
    return render_template("admin/readmodels.html", models=all_read_models())


@bp.post("/readmodels/rebuild")
@role_required(Role.ADMIN)
def rebuild_read_models():
    job = enqueue_rebuild(actor_id=current_user.id)
    db.session.commit()
    flash(_("The rebuild was started; this page shows its progress."), "info")
    return redirect(url_for("jobs.job_page", job_id=job.id))
