"""``flask certificates …``: thin wrappers over the services."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from app.certificates import services
from app.database import write_transaction
from app.timeutil import local_today

certificates_cli = AppGroup("certificates", help="Certificates: renewal assignments.")


@certificates_cli.command("renew-due")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (YYYY-MM-DD).")
def renew_due(on: dt.datetime | None):
    """Give every certificate in its renewal window one renewal assignment and notification."""
    today = on.date() if on else local_today()
    with write_transaction():
        renewed = services.renew_due(today)
        lines = [f"{c.number}: assignment {c.renewal_assignment_id} due {max(c.expires_on, today)}" for c in renewed]
    for line in lines:
        click.echo(line)
    click.echo(f"{len(renewed)} renewal assignment(s) made")
