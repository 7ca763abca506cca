"""Wiring in one place: every blueprint, content plugin, activity kind, job kind and CLI group of the app.

``create_app`` calls :func:`register_all` once. No feature package registers anything of another
feature; a feature's own app hooks (signals, request hooks, template helpers) are listed here too.
To add an activity kind, add its class to ``ACTIVITY_KINDS`` (see docs/architecture.md).
"""

from __future__ import annotations

from flask import Flask

from app.admin.routes import bp as admin_bp
from app.appraisal import token_routes  # noqa: F401  (adds the token views to the appraisal blueprint)
from app.appraisal.api import bp as api_bp
from app.appraisal.cli import appraisal_cli
from app.appraisal.jobs import JOB_KINDS as APPRAISAL_JOBS
from app.appraisal.labels import register as register_appraisal_labels
from app.appraisal.live import READ_MODEL as CYCLE_LIVE_SCORES
from app.appraisal.live import on_assignments_changed, on_result_recorded
from app.appraisal.live_departments import READ_MODEL as CYCLE_LIVE_DEPARTMENTS
from app.appraisal.live_departments import init_app as init_live_departments
from app.appraisal.routes import bp as appraisal_bp
from app.auth.routes import bp as auth_bp
from app.certificates import hooks as certificates_hooks
from app.certificates.cli import certificates_cli
from app.certificates.retest_link import holders as certificate_holders
from app.certificates.routes import bp as certificates_bp
from app.content.activity_kind import CourseKind, RereadKind
from app.content.cli import add_plugin_commands, content_cli
from app.content.plugins import register_plugin
from app.content.routes import bp as content_bp
from app.demo.cli import demo_cli
from app.drills.content_plugin import plugin as drills_plugin
from app.drills.kinds import DRILL_KINDS
from app.drills.routes import bp as drills_bp
from app.extensions import csrf
from app.jobs import register_job_kind
from app.jobs.cli import jobs_cli
from app.jobs.routes import bp as jobs_bp
from app.jobs.service import init_app as init_jobs
from app.main.routes import bp as main_bp
from app.people.cli import users_cli
from app.people.import_job import JOB_KINDS as PEOPLE_JOBS
from app.people.import_routes import bp as imports_bp
from app.people.permissions import EVERYONE_ROLES
from app.people.routes import bp as people_bp
from app.quizzes.activity_kind import QuizKind
from app.quizzes.cli import quizzes_cli
from app.quizzes.content_plugin import plugin as quizzes_plugin
from app.quizzes.item_counters import READ_MODEL as QUIZ_ITEM_STATS
from app.quizzes.routes import bp as quizzes_bp
from app.readmodels import register_read_model
from app.readmodels.cli import readmodels_cli
from app.readmodels.jobs import JOB_KINDS as READMODEL_JOBS
from app.results.kinds import kind_label, register_kind
from app.results.signals import result_recorded
from app.training import hooks as training_hooks
from app.training import readmodel as training_readmodel
from app.training import retest_routes  # noqa: F401  (adds the standard-change pages to the training blueprint)
from app.training.cli import retest_cli
from app.training.retest import register_holder_source
from app.training.routes import bp as training_bp
from app.training.signals import assignments_changed

BLUEPRINTS = (main_bp, auth_bp, people_bp, imports_bp, admin_bp, content_bp, quizzes_bp, drills_bp,
              training_bp, certificates_bp, appraisal_bp, api_bp, jobs_bp)
#: token-authenticated JSON, no cookies: CSRF does not apply
CSRF_EXEMPT = (api_bp,)
#: certificates last: its sync resolves default rules against the quizzes just synced
CONTENT_PLUGINS = (quizzes_plugin, drills_plugin, training_hooks.content_plugin, certificates_hooks.content_plugin)
ACTIVITY_KINDS = (CourseKind, RereadKind, QuizKind, *DRILL_KINDS)
#: background jobs (app/jobs): work that grows with the company
JOB_KINDS = (*APPRAISAL_JOBS, *PEOPLE_JOBS, *READMODEL_JOBS)
CLI_GROUPS = (users_cli, demo_cli, content_cli, quizzes_cli, appraisal_cli, jobs_cli, readmodels_cli, retest_cli,
              certificates_cli)
#: read models behind the pages (app/readmodels): each feature's ReadModel objects
READ_MODELS: tuple = (*training_readmodel.READ_MODELS, QUIZ_ITEM_STATS, CYCLE_LIVE_SCORES,
                       CYCLE_LIVE_DEPARTMENTS)
#: who else learned a changed standard: ``fn(course_ids, before) -> employee ids`` (app/training/retest.py);
#: certificates add their holders here
RETEST_HOLDER_SOURCES: tuple = (certificate_holders,)
#: signal → receiver, connected once: read models kept in the writing transaction
SIGNAL_RECEIVERS = (
    (result_recorded, on_result_recorded),  # live scores of the open cycles
    (assignments_changed, on_assignments_changed),
)


def register_all(app: Flask) -> None:
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    for bp in CSRF_EXEMPT:
        csrf.exempt(bp)
    for plugin in CONTENT_PLUGINS:
        register_plugin(app, plugin)
    add_plugin_commands(CONTENT_PLUGINS)  # e.g. `flask content export-bank` from the quiz layer
    for kind in ACTIVITY_KINDS:
        register_kind(app, kind)
    for read_model in READ_MODELS:
        register_read_model(app, read_model)
    for source in RETEST_HOLDER_SOURCES:
        register_holder_source(app, source)
    for signal, receiver in SIGNAL_RECEIVERS:
        signal.connect(receiver)
    for job_kind in JOB_KINDS:
        register_job_kind(app, job_kind)
    init_jobs(app, viewer_roles=EVERYONE_ROLES)  # HR and admin see every job; others their own
    for group in CLI_GROUPS:
        app.cli.add_command(group)
    app.jinja_env.globals["activity_kind_label"] = kind_label
    training_hooks.init_app(app)  # onboarding signal, reminders, navbar bell
    certificates_hooks.init_app(app)  # issue on result_recorded, renewal reminders, my-training/team panels
    training_readmodel.init_app(app)  # activity_status & co. refreshed in the writing transaction
    init_live_departments(app)  # department rows of open cycles refreshed before the commit
    register_appraisal_labels(app)
