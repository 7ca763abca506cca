"""`flask quizzes expire`: finish abandoned timed attempts (cron-friendly).

Any page view, save or submit already expires an attempt past its deadline; this command also
catches the attempts nobody opens again, so each yields its Result for the appraisal layer.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

from .attempts import expire_due_attempts

quizzes_cli = AppGroup("quizzes", help="Quiz maintenance.")


@quizzes_cli.command("expire")
def expire():
    """Expire every attempt whose deadline has passed, grading its saved answers."""
    count = expire_due_attempts()
    db.session.commit()
    click.echo(f"{count} attempt(s) expired")
