"""Login, logout, password change and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.audit.services import record_event
from app.auth import throttle
from app.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from app.auth.services import authenticate, record_login
from app.extensions import db
from app.people.models import Employee
from app.people.passwords import PasswordPolicyError, verify_password
from app.people.services import set_password
from app.ui.language import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        ip = request.remote_addr or ""
        wait = throttle.locked_minutes(form.employee_no.data, ip)
        if wait:  # the same words whether or not the account exists
            flash(ngettext("Too many failed logins. Try again in %(num)d minute.",
                           "Too many failed logins. Try again in %(num)d minutes.", wait), "danger")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait * 60)}
        employee, outcome = authenticate(form.employee_no.data, form.password.data)
        if employee is None:
            throttle.record_failure(form.employee_no.data, ip)
            known = db.session.scalar(select(Employee.id).where(Employee.employee_no == form.employee_no.data.strip()))
            record_event("auth.login_failed", actor_id=known, ip=request.remote_addr or "",
                         details={"employee_no": form.employee_no.data.strip()[:32], "reason": outcome})
            db.session.commit()
            message = (_("This account has been deactivated.") if outcome == "inactive"
                       else _("Wrong employee number or password."))
            flash(message, "danger")
            return render_template("auth/login.html", form=form), 401
        throttle.record_success(form.employee_no.data, ip)
        session.clear()  # a fresh session at login: nothing from before survives
        login_user(employee)
        record_login(employee)
        record_event("auth.login", actor_id=employee.id, ip=request.remote_addr or "")
        db.session.commit()
        if employee.must_change_password:
            flash(_("Please choose a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        current_user.session_version += 1  # every other session of this user ends too
        record_event("auth.logout", actor_id=current_user.id, ip=request.remote_addr or "")
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            try:
                set_password(current_user, form.new_password.data)
            except PasswordPolicyError as exc:
                form.new_password.errors.append(str(exc))
            else:
                record_event("auth.password_change", actor_id=current_user.id, target=f"employee:{current_user.id}",
                             ip=request.remote_addr or "")
                db.session.commit()
                login_user(current_user._get_current_object())  # re-issue the cookie: new session version
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/lang/<code>")
def set_language(code: str):
    response = redirect(_safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
