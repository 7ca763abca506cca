"""`flask retest list|sweep`: standard changes and the outcome of their refreshers from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.content.changes import change_counts, change_sets
from app.extensions import db
from app.training import retest_outcome

retest_cli = AppGroup("retest", help="Standard changes and their refreshers (README: When a standard changes).")


@retest_cli.command("list")
@click.option("--state", type=click.Choice(["pending", "confirmed", "dismissed"]), default=None)
def list_command(state: str | None):
    """The change sets recorded by `flask content sync`, newest first."""
    sets = change_sets(state)
    counts = change_counts([s.id for s in sets])
    for s in sets:
        c = counts.get(s.id, {})
        click.echo(f"{s.id}\t{s.synced_at:%Y-%m-%d %H:%M}\t{s.state}\t"
                   f"{c.get('changed', 0)} changed, {c.get('added', 0)} added, {c.get('removed', 0)} removed")
    if not sets:
        click.echo("no change sets")


@retest_cli.command("sweep")
def sweep_command():
    """Send retest_passed / retest_missed for refreshers completed or overdue (run daily from cron)."""
    outcome = retest_outcome.sweep()
    db.session.commit()
    click.echo(f"{outcome.passed} passed, {outcome.missed} missed")
