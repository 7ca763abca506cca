"""Certificate pages: the public verification page, the PDF download, HR's list and revocation.

Thin views: parse input, call a service, commit once, render.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.certificates import pdf, queries, services
from app.certificates.forms import RevokeForm
from app.certificates.models import Certificate
from app.content.models import Course
from app.extensions import db, limiter
from app.people.models import Department, Role
from app.people.permissions import can_view, role_required
from app.routing import query_int, query_page
from app.timeutil import local_today, to_site_time

bp = Blueprint("certificates", __name__)

HR_ROLES = (Role.HR, Role.ADMIN)
PAGE_SIZE = 50
#: what a verification code looks like (token_urlsafe); anything else is not looked up
CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


def _verify_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_LIMIT", "30 per minute")


def verify_url(cert: Certificate) -> str:
    """The absolute verification URL: PUBLIC_BASE_URL when configured, else this request's host."""
    path = url_for("certificates.verify", code=cert.verification_code)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base.rstrip("/") + path


@bp.route("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    """Public: holder, course, number, dates and status. Nothing else (no score, no 工号)."""
    cert = None
    if CODE_RE.match(code):
        cert = db.session.scalar(select(Certificate).where(Certificate.verification_code == code))
    if cert is None:
        return render_template("certificates/verify_unknown.html"), 404
    today = local_today()
    response = current_app.make_response(render_template(
        "certificates/verify.html", cert=cert, status=services.status_of(cert, today),
        issued_on=to_site_time(cert.issued_at).date()))
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _downloadable(cert_id: int) -> Certificate:
    """The holder, their supervisor, HR and admin; anyone else gets a 404 (its existence is private)."""
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not can_view(current_user, cert.employee):
        abort(404)
    return cert


@bp.route("/certificates/<int:cert_id>.pdf")
@login_required
def download(cert_id: int):
    cert = _downloadable(cert_id)
    text = pdf.CertificateText(
        company=current_app.config.get("COMPANY_NAME", ""), holder=cert.employee.name, course=cert.course.title,
        number=cert.number, score=cert.score, issued_on=to_site_time(cert.issued_at).date(),
        expires_on=cert.expires_on, verify_url=verify_url(cert), content_version=cert.content_hash,
        revoked_on=to_site_time(cert.revoked_at).date() if cert.revoked_at is not None else None)
    body = pdf.render(text, fallback_font=current_app.config.get("CERTIFICATE_FALLBACK_FONT") or None)
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/")
@role_required(*HR_ROLES)
def hr_list():
    today = local_today()
    status = request.args.get("status") or None
    course_id = request.args.get("course") or None
    department_id = query_int("department")
    stmt = queries.hr_list(today, status=status, course_id=course_id, department_id=department_id)
    page = db.paginate(stmt, page=query_page(), per_page=PAGE_SIZE, error_out=False, count=True)
    courses = db.session.execute(select(Course.id, Course.title).where(Course.retired.is_(False))
                                 .order_by(Course.position)).all()
    departments = db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all()
    filters = {k: v for k, v in {"status": status or "", "course": course_id or "",
                                 "department": department_id or ""}.items() if v}
    return render_template("certificates/hr_list.html", page=page, rows=queries.rows(page.items, today),
                           courses=courses, departments=departments, filters=filters, statuses=queries.STATUSES)


@bp.route("/certificates/<int:cert_id>/revoke", methods=["GET", "POST"])
@role_required(*HR_ROLES)
def revoke(cert_id: int):
    """GET: the confirmation page with the reason field; POST: revoke (audited)."""
    cert = db.session.get(Certificate, cert_id)
    if cert is None:
        abort(404)
    form = RevokeForm()
    if cert.revoked_at is None and form.validate_on_submit():
        try:
            services.revoke(cert, current_user, form.reason.data, ip=request.remote_addr or "")
        except services.CertificateError as exc:
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Certificate %(number)s revoked.", number=cert.number), "success")
            return redirect(url_for("certificates.hr_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("certificates/revoke.html", cert=cert, form=form,
                           status=services.status_of(cert, local_today())), status
