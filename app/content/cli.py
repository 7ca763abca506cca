"""`flask content check|sync|stats`: the content pipeline from the shell."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.documents import ContentSet, Problem
from app.content.loader import load_content
from app.content.plugins import ContentPlugin, plugins
from app.content.sync import sync_content
from app.content.validate import uncited_clauses, validate
from app.extensions import db

content_cli = AppGroup("content", help="Validate, import and count the standards content.")


def add_plugin_commands(plugin_list: Iterable[ContentPlugin]) -> None:
    """Attach the commands content plugins bring to this group (idempotent: same name, same command)."""
    for plugin in plugin_list:
        for command in plugin.commands:
            content_cli.add_command(command)


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


def load_and_validate(root: Path) -> tuple[ContentSet, list[Problem]]:
    content = load_content(root)
    checkers = [p.check for p in plugins() if p.check is not None]
    return content, validate(content, checkers)


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check(path: str | None):
    """Print every problem as path:line: message; exit 1 when there is any."""
    root = _root(path)
    if not root.is_dir():
        raise click.ClickException(f"{root}: no such content folder")
    content, problems = load_and_validate(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(content.lessons)} lessons, {len(content.questions)} questions, "
               f"{len(content.courses)} courses, {len(content.quizzes)} quizzes")


@content_cli.command("sync")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def sync(path: str | None):
    """Import the content into the database (validated first; nothing is written on a problem)."""
    content, problems = load_and_validate(_root(path))
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s): nothing was synced. Run `flask content check`.")
    report = sync_content(content, plugins())
    db.session.commit()
    for line in report.lines():
        click.echo(line)
    if report.is_noop:
        click.echo("already up to date")


def content_stats(content: ContentSet) -> dict:
    clause_docs = [c for lesson in content.lessons.values() for c in lesson.clauses]
    stats: dict = {
        "courses": len(content.courses),
        "lessons": len(content.lessons),
        "clauses": sum(1 for c in clause_docs if c.level == 0),
        "sections": sum(1 for c in clause_docs if c.level != 0),
        "questions": len(content.questions),
        "questions_by_type": dict(sorted(Counter(q.type for q in content.questions.values()).items())),
        "quizzes": len(content.quizzes),
    }
    extra: list[str] = []
    for plugin in plugins():
        if plugin.stats is not None:
            contribution = plugin.stats(content)
            stats.update(contribution.counts)
            extra.extend(contribution.citations)
    uncited = uncited_clauses(content, extra)
    stats["uncited_clauses"] = uncited
    stats["uncited_count"] = len(uncited)
    return stats


@content_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def stats(as_json: bool, path: str | None):
    """Counts of courses, lessons, clauses, questions by type, drills, and uncited clauses."""
    content = load_content(_root(path))
    data = content_stats(content)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")
