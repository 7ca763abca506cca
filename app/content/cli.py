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
from app.content.plugins import ERROR, ContentPlugin, LintFinding, LintReport, LintRequest, plugins
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


def run_lint(content: ContentSet, request: LintRequest) -> LintReport:
    """Every plugin's lint findings (sorted) and figures (keyed by plugin name)."""
    merged = LintReport()
    for plugin in plugins():
        if plugin.lint is not None:
            report = plugin.lint(content, request)
            merged.findings.extend(report.findings)
            merged.figures[plugin.name] = report.figures
    merged.findings.sort()
    return merged


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check(path: str | None):
    """Print every problem as path:line: message, then the lint findings (``content lint``,
    without database); exit 1 when there is any problem or lint error."""
    root = _root(path)
    if not root.is_dir():
        raise click.ClickException(f"{root}: no such content folder")
    content, problems = load_and_validate(root)
    for problem in problems:
        click.echo(str(problem))
    lint = run_lint(content, LintRequest()) if not problems else LintReport()
    for finding in lint.errors:
        click.echo(str(finding))
    if problems or lint.errors:
        click.echo(f"{len(problems)} problem(s), {len(lint.errors)} lint error(s) in {root}", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(content.lessons)} lessons, {len(content.questions)} questions, "
               f"{len(content.courses)} courses, {len(content.quizzes)} quizzes")
    for finding in lint.warnings:
        click.echo(str(finding))
    if lint.warnings:
        click.echo(f"{len(lint.warnings)} lint warning(s): see `flask content lint` and content/standards/README.md")


def _database_configured() -> bool:
    return bool(current_app.config.get("SQLALCHEMY_DATABASE_URI"))


@content_cli.command("lint")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output: findings and figures")
@click.option("--source", "sources", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="a source standard (text file): flag runs of Chinese characters copied from it (repeatable)")
@click.option("--database/--no-database", default=None,
              help="include findings from real answers (default: when a database is configured)")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def lint(as_json: bool, sources: tuple[str, ...], database: bool | None, path: str | None):
    """The item-writing-flaw report: path:line: error|warning: message; exit 1 on any error."""
    root = _root(path)
    if not root.is_dir():
        raise click.ClickException(f"{root}: no such content folder")
    content, problems = load_and_validate(root)
    request = LintRequest(sources=[Path(s) for s in sources],
                          database=_database_configured() if database is None else database)
    report = run_lint(content, request)
    report.findings = sorted([LintFinding(p.path, p.line, ERROR, "check", p.message) for p in problems]
                             + report.findings)
    if as_json:
        click.echo(json.dumps({"errors": len(report.errors), "warnings": len(report.warnings),
                               "findings": [f.as_dict() for f in report.findings], "figures": report.figures},
                              ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(str(finding))
        for line in _figure_lines(report.figures):
            click.echo(line)
        click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if report.errors:
        raise SystemExit(1)


def _figure_lines(figures: dict) -> list[str]:
    """A plugin's per-pool figures, one line each, when it reports them as {kind: {id: {scores}}}."""
    lines = []
    for plugin_figures in figures.values():
        for kind, pools in plugin_figures.items():
            if not isinstance(pools, dict):
                continue
            for pool_id, pool in pools.items():
                if isinstance(pool, dict) and isinstance(pool.get("scores"), dict):
                    scores = " · ".join(f"{name} {value}" for name, value in pool["scores"].items())
                    lines.append(f"{kind} {pool_id}: {scores}")
    return lines


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
