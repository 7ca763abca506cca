"""`flask appraisal …`: the HR export from the shell (the same content as the web download)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.appraisal.exports import FORMATS, export_stream, record_export
from app.appraisal.models import Cycle
from app.database import deferred_transactions
from app.extensions import db
from app.people.models import Department

appraisal_cli = AppGroup("appraisal", help="Appraisal cycles: exports.")


@appraisal_cli.command("export")
@click.option("--cycle", "cycle_id", type=int, required=True, help="the cycle id (see the appraisal pages)")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="csv", show_default=True)
@click.option("--department", "department_id", type=int, default=None, help="only this department id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="the file to write")
def export_command(cycle_id: int, fmt: str, department_id: int | None, output: str):
    """Write a cycle's scores to FILE as CSV or XLSX."""
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        raise click.ClickException(f"no cycle {cycle_id}")
    if department_id is not None and db.session.get(Department, department_id) is None:
        raise click.ClickException(f"no department {department_id}")
    record_export(cycle, fmt, department_id, actor_id=None, via="cli")
    db.session.commit()
    size = 0
    with deferred_transactions(), open(output, "wb") as fh:
        cycle = db.session.get(Cycle, cycle_id)
        for chunk in export_stream(cycle, fmt, department_id):
            fh.write(chunk)
            size += len(chunk)
        db.session.rollback()
    click.echo(f"wrote {output} ({size} bytes, cycle {cycle.id} {cycle.name}, {cycle.state})")
