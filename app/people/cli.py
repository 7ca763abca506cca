"""`flask users …`: account administration from the shell."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.people.models import Role, Team
from app.people.passwords import PasswordPolicyError
from app.people.services import EmployeeData, PeopleError, create_employee, get_or_create_department

users_cli = AppGroup("users", help="Create and import employee accounts.")


@users_cli.command("create")
@click.option("--employee-no", required=True, help="工号, the login name")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TRAINEE.value)
@click.option("--department", default=None, help="department name (created if missing)")
@click.option("--team", default=None, help="team name within the department")
@click.option("--position", default="")
@click.option("--hire-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.password_option(help="initial password (prompted when omitted)")
@click.option("--no-forced-change", is_flag=True, help="do not force a password change at first login")
def create_user(employee_no, name, role, department, team, position, hire_date, password, no_forced_change):
    """Create one account."""
    dept = get_or_create_department(department) if department else None
    team_id = None
    if team:
        if dept is None:
            raise click.UsageError("--team needs --department")
        found = db.session.scalar(select(Team).where(Team.department_id == dept.id, Team.name == team))
        if found is None:
            raise click.UsageError(f"team {team!r} does not exist in {department!r}")
        team_id = found.id
    data = EmployeeData(employee_no=employee_no, name=name, department_id=dept.id if dept else None,
                        team_id=team_id, position=position,
                        hire_date=hire_date.date() if isinstance(hire_date, dt.datetime) else None, role=role)
    try:
        employee = create_employee(data, password, must_change_password=not no_forced_change)
    except (PeopleError, PasswordPolicyError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {employee.role} {employee.employee_no} {employee.name}")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="validate and report, write nothing")
def import_users(file, dry_run):
    """Create accounts from a CSV or XLSX FILE: all rows or none.

    Errors are printed with the row number Excel shows (header = row 1). On success each new
    account is printed with its generated initial password (to be changed at first login).
    """
    from pathlib import Path

    from flask import current_app

    from app.people import imports

    path = Path(file)
    limit = imports.max_bytes(current_app.config)
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    try:
        rows, notices = imports.read_upload(path.name, data, limit=limit)
    except imports.ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    for notice in notices:
        click.echo(notice, err=True)
    try:
        if dry_run:
            imports.validate_rows(rows, actor_role=Role.ADMIN.value)
            if imports.has_errors(rows):
                raise imports.ImportRowsError(rows)
            db.session.rollback()
            click.echo(f"{len(rows)} rows are valid; nothing written (--dry-run)")
            return
        created = imports.commit_import(rows, actor_id=None, actor_role=Role.ADMIN.value, source=path.name)
    except imports.ImportRowsError as exc:
        db.session.rollback()
        for row in exc.rows:
            for error in row.errors:
                click.echo(f"row {row.row}: {error}", err=True)
        raise click.ClickException(
            f"{sum(1 for r in exc.rows if r.errors)} of {len(exc.rows)} rows have errors; nothing was imported"
        ) from exc
    except (PeopleError, PasswordPolicyError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}; nothing was imported") from exc
    db.session.commit()
    for item in created:
        click.echo(f"created {item.employee_no}\t{item.name}\t{item.password}")
    click.echo(f"{len(created)} employees imported")
