"""`flask demo seed`: idempotent demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.cli import load_and_validate
from app.content.plugins import plugins
from app.content.sync import sync_content
from app.demo.appraisal import seed_appraisal
from app.demo.certificates import seed_certificates
from app.demo.drills import seed_drills
from app.demo.people import seed_people
from app.demo.quizzes import seed_quizzes
from app.demo.training import seed_training
from app.extensions import db
from app.readmodels import all_read_models


def seed_organisation(today: dt.date) -> list[tuple[str, str, str]]:
    """People, then each layer's demo activity in dependency order, one commit per layer.

    Needs the catalog synced first. Returns the login accounts (role, 工号, password).
    """
    accounts = seed_people(today)
    db.session.commit()
    for seed_layer in (seed_quizzes, seed_drills, seed_training, seed_certificates, seed_appraisal):
        seed_layer(today)
        db.session.commit()
    # the layers write some rows directly (back-dated results, assignments): recompute the read
    # models from the source tables so the demo pages show consistent figures
    for read_model in all_read_models():
        read_model.rebuild()
    db.session.commit()
    return accounts


demo_cli = AppGroup("demo", help="Demo data (never use on a production database).")


@demo_cli.command("seed")
def seed():
    """Create the demo organisation; running it again changes nothing."""
    today = dt.date.today()
    content, problems = load_and_validate(Path(current_app.config["CONTENT_DIR"]))
    if problems:
        raise click.ClickException("the content has problems; run `flask content check`")
    sync_content(content, plugins())  # idempotent; plans and activities below need the catalog
    db.session.commit()
    accounts = seed_organisation(today)
    for role, employee_no, password in accounts:
        click.echo(f"{role} {employee_no} {password}")
