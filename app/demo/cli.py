"""`flask demo seed`: idempotent demo data."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from app.demo.people import seed_people
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data (never use on a production database).")


@demo_cli.command("seed")
def seed():
    """Create the demo organisation; running it again changes nothing."""
    accounts = seed_people(dt.date.today())
    db.session.commit()
    for role, employee_no, password in accounts:
        click.echo(f"{role} {employee_no} {password}")
