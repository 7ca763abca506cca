"""The certificates layer's hooks into the app (``app/blueprints.py`` calls :func:`init_app` once).

* ``result_recorded`` → issue the certificates a new passing result completes, in its transaction;
* a training reminder source: renewal assignments are written lazily for the logged-in employee
  wherever due-soon reminders are (login, page loads), besides ``flask certificates renew-due``;
* panels on 我的培训 (the employee's certificates) and the team dashboard (expired / due);
* ``retest_passed`` / ``retest_missed`` (app/training/retest.py) → keep valid / needs renewal;
* the content plugin (``flask content check/sync`` of ``certificate:`` rules).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

from app.certificates import queries, retest_link, services
from app.certificates.rules import content_plugin  # noqa: F401  (listed in app/blueprints.py)
from app.results.signals import result_recorded
from app.training.notifications import ReminderSource, register_reminder_source
from app.training.panels import Panel, register_panel
from app.training.signals import retest_missed, retest_passed


def _mine(employee_id: int, today: dt.date):
    return queries.of_employee(employee_id, today) or None


def _team(member_ids: list[int], today: dt.date):
    return queries.team_attention(member_ids, today) or None


panel = Panel(key="certificates", template="certificates/_my_training_panel.html", my_training=_mine)
team_panel = Panel(key="certificates-team", template="certificates/_team_panel.html", team=_team)
renewal_source = ReminderSource(
    name="certificate-renewal", pending=services.renewals_pending,
    write=lambda employee_id, today: services.renew_due(today, employee_id=employee_id))


def init_app(app: Flask) -> None:
    result_recorded.connect(services.on_result_recorded)
    retest_passed.connect(retest_link.on_retest_passed)  # a passed refresher keeps the certificate valid
    retest_missed.connect(retest_link.on_retest_missed)  # a missed one: renewal is due now
    register_panel(app, panel)
    register_panel(app, team_panel)
    register_reminder_source(app, renewal_source)
