"""The training layer's hooks into the app (``app/blueprints.py`` calls :func:`init_app` once).

* ``employee_created`` → the new hire's onboarding plan, in the creating transaction;
* Flask-Login's ``user_logged_in`` → due-soon/overdue reminders and a "you have N unread
  notifications" message right after login;
* a ``before_request`` hook writing missing reminders on page loads, and a template global
  ``training_unread_count()`` for the navbar bell (``training/_nav_bell.html``);
* ``result_recorded`` → a passed refresher quiz completes its refresher (``retest_passed``); the
  login and page-load reminder checks also sweep the employee's refreshers (``retest_outcome.sweep``);
* a content plugin (:data:`content_plugin`) so that ``flask content check`` also checks ``onboarding.yml``.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, flash, g, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user, user_logged_in
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.local import LocalProxy

from app.content.documents import ContentSet, Problem
from app.content.plugins import ContentPlugin
from app.database import write_transaction
from app.extensions import db
from app.people.signals import employee_created
from app.results.kinds import all_kinds
from app.results.signals import result_recorded
from app.timeutil import local_today
from app.training import badges, notifications, onboarding, retest_outcome

logger = logging.getLogger(__name__)

#: endpoints that never trigger the reminder check (assets, health checks)
_QUIET_ENDPOINTS = frozenset({"static", "bootstrap.static", "main.healthz"})


def check_onboarding(content: ContentSet) -> list[Problem]:
    """``flask content check``: onboarding.yml's shape and the ids it names (each kind knows its ids)."""
    known = {kind.key: ids for kind in all_kinds() if (ids := kind.content_ids(content)) is not None}
    return onboarding.check_template(content.root, known)


content_plugin = ContentPlugin(name="training", check=check_onboarding)


def _on_login(app: Flask, user, **_extra) -> None:
    """Reminders are written in the login transaction (the login view commits it).

    The password-change view re-issues the cookie with ``login_user(current_user)``: the user
    is then the ``current_user`` proxy itself, which cannot be resolved any more (Flask-Login
    stores the proxy as the request's user). That is not a new login: nothing to do.
    """
    if isinstance(user, LocalProxy):
        return
    try:
        with db.session.begin_nested():  # a failure here must not spoil the login's own transaction
            notifications.refresh_reminders(user.id, local_today())
            retest_outcome.sweep(local_today(), employee_ids=[user.id])
        unread = notifications.unread_count(user.id)
    except SQLAlchemyError:
        logger.exception("reminders at login failed for employee %s", user.id)
        return
    if unread:
        link = url_for("training.my_training")
        text = ngettext("You have %(num)d unread notification.", "You have %(num)d unread notifications.", unread)
        flash(Markup('<a class="alert-link" href="{}">{}</a>').format(link, escape(text)), "info")


#: a browser session re-checks reminders at most this often (they change with the date, not per click)
REMINDER_CHECK_SECONDS = 15 * 60


def _reminders_due() -> bool:
    """True when this session has not checked reminders today or within REMINDER_CHECK_SECONDS.

    The check costs several queries; running it on every page made each page ~30 ms slower
    (measured in bench/), so it is throttled per session.
    """
    now, today = time.time(), local_today().isoformat()
    last = session.get("reminders_checked")
    if last and last[0] == today and now - last[1] < REMINDER_CHECK_SECONDS:
        return False
    session["reminders_checked"] = (today, now)
    return True


def _reminders_on_page_load() -> None:
    """Write missing reminders for the logged-in employee (GET pages only, throttled per session)."""
    if request.method != "GET" or request.endpoint in _QUIET_ENDPOINTS or request.endpoint is None:
        return
    if not current_user.is_authenticated or current_user.must_change_password:
        return
    if not _reminders_due():
        return
    employee_id, today = current_user.id, local_today()
    try:
        if notifications.pending_reminders(employee_id, today) or any(  # most page loads: nothing to write
                source.pending(employee_id, today) for source in notifications.reminder_sources()):
            with write_transaction():
                notifications.refresh_reminders(employee_id, today)
                retest_outcome.sweep(today, employee_ids=[employee_id])
    except SQLAlchemyError:
        logger.exception("reminder check failed for employee %s", employee_id)
        db.session.rollback()


#: the badge's cached count is recomputed at least this often even when its version is unchanged
BADGE_TTL_SECONDS = 5 * 60


def _unread_count() -> int:
    """The navbar bell: one cheap query (:func:`notifications.badge_version`) on most pages; the full
    count only when the version (or the date, or the TTL bucket) changed since this session's last page."""
    if not current_user.is_authenticated:
        return 0
    if "training_unread" not in g:
        employee_id = current_user.id
        version = [employee_id, local_today().isoformat(), int(time.time() // BADGE_TTL_SECONDS),
                   *notifications.badge_version(employee_id)]
        cached = session.get("nav_badge")
        if cached and cached[0] == version:
            g.training_unread = cached[1]
        else:
            g.training_unread = notifications.unread_count(employee_id)
            session["nav_badge"] = [version, g.training_unread]
    return g.training_unread


def init_app(app: Flask) -> None:
    employee_created.connect(onboarding.on_employee_created)
    result_recorded.connect(retest_outcome.on_result_recorded)  # a passed refresher quiz closes the refresher
    user_logged_in.connect(_on_login)
    app.before_request(_reminders_on_page_load)
    app.jinja_env.globals["training_unread_count"] = _unread_count
    app.jinja_env.globals["status_badge_html"] = badges.status_badge
    app.jinja_env.globals["matrix_cells"] = badges.matrix_cells
