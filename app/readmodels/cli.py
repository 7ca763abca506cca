"""`flask readmodels list` and `flask readmodels rebuild [--only NAME]`."""

from __future__ import annotations

import logging
import time

import click
from flask.cli import AppGroup

from app.extensions import db
from app.readmodels.registry import all_read_models, get_read_model
from app.readmodels.statistics import refresh_statistics

logger = logging.getLogger(__name__)

readmodels_cli = AppGroup("readmodels", help="Read models behind the dashboards: list, rebuild from the source tables.")


@readmodels_cli.command("list")
def list_command():
    """Every registered read model and what it holds."""
    for model in all_read_models():
        click.echo(f"{model.name:<22} {model.description}")


@readmodels_cli.command("rebuild")
@click.option("--only", "only", multiple=True, help="rebuild only this read model (repeatable)")
def rebuild_command(only: tuple[str, ...]):
    """Recompute read models from the source tables, in one transaction (all or nothing)."""
    try:
        models = [get_read_model(name) for name in only] if only else all_read_models()
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    try:
        for model in models:
            started = time.perf_counter()
            rows = model.rebuild()
            click.echo(f"{model.name}: {rows} rows in {time.perf_counter() - started:.2f} s")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info("read models rebuilt: %s", ", ".join(m.name for m in models))
    refresh_statistics(models)
