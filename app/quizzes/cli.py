"""`flask quizzes expire`: finish abandoned timed attempts (cron-friendly); `flask quizzes
item-report`: how each question performs on real answers, and HR's review flags.

Any page view, save or submit already expires an attempt past its deadline; this command also
catches the attempts nobody opens again, so each yields its Result for the appraisal layer.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.extensions import db

from .attempts import expire_due_attempts
from .flags import item_report

quizzes_cli = AppGroup("quizzes", help="Quiz maintenance.")


@quizzes_cli.command("expire")
def expire():
    """Expire every attempt whose deadline has passed, grading its saved answers."""
    count = expire_due_attempts()
    db.session.commit()
    click.echo(f"{count} attempt(s) expired")


@quizzes_cli.command("item-report")
@click.option("--quiz", "quiz_id", default=None, help="only the attempts of this quiz")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output (for the content team)")
def item_report_command(quiz_id: str | None, as_json: bool):
    """Facility, discrimination, responses and review flag of every question."""
    rows = item_report(quiz_id)
    if as_json:
        click.echo(json.dumps({"quiz": quiz_id, "questions": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        facility = "—" if row["facility"] is None else f"{row['facility']:.0%}"
        discrimination = "—" if row["discrimination"] is None else f"{row['discrimination']:.2f}"
        flag = f"  FLAGGED: {row['flag_reason']}" if row["flagged"] else ""
        click.echo(f"{row['id']}: {row['responses']} responses, facility {facility}, r {discrimination}{flag}")
