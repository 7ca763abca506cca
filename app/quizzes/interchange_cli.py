"""`flask content export-bank` and `flask content import-bank` (Moodle GIFT / XML interchange).

Thin: the work is in ``app.quizzes.interchange``. The quiz plugin brings these commands to the
``content`` group (``ContentPlugin.commands``, attached in app/blueprints.py), since app/content
must not import the quiz layer.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.content.cli import load_and_validate
from app.content.documents import SLUG_RE

from .interchange.bank import FORMAT_NAMES, FORMATS, ImportResult, export_bank, import_bank
from .interchange.model import InterchangeError


@click.command("export-bank")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="gift or moodle-xml")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write here instead of stdout")
@click.option("--lesson", help="only the questions of this lesson")
@with_appcontext
def export_bank_command(fmt: str, output: str | None, lesson: str | None):
    """Write the question bank as GIFT or Moodle XML (clause ids, lesson, difficulty as tags)."""
    content, problems = load_and_validate(Path(current_app.config["CONTENT_DIR"]))
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) in the content: nothing exported. "
                                   "Run `flask content check`.")
    if lesson and lesson not in content.lessons:
        raise click.ClickException(f"unknown lesson {lesson!r} (known: {', '.join(sorted(content.lessons))})")
    text, count, skipped = export_bank(content, fmt, lesson)
    for reason in skipped:
        click.echo(f"not exported: {reason}", err=True)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {count} question(s) to {output} ({FORMAT_NAMES[fmt]})")
    else:
        click.echo(text, nl=False)


@click.command("import-bank")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lesson", help="put every question in this lesson (else: tag lesson:, then the category)")
@click.option("-o", "--output", "out_dir", default="imported-questions", show_default=True,
              type=click.Path(file_okay=False), help="folder for the <lesson>.md files")
@click.option("--dry-run", is_flag=True, help="report only, write nothing")
@with_appcontext
def import_bank_command(file: str, lesson: str | None, out_dir: str, dry_run: bool):
    """Turn a GIFT or Moodle XML file into question-bank Markdown files, reporting every
    question that could not be converted (path:line or question name)."""
    if lesson is not None and not SLUG_RE.match(lesson):
        raise click.ClickException(f"--lesson {lesson!r}: use lowercase letters, digits and '-'")
    try:
        result = import_bank(Path(file).read_bytes(), file, lesson)
    except InterchangeError as exc:
        raise click.ClickException(str(exc)) from exc
    target = Path(out_dir)
    paths = {name: target / f"{name}.md" for name in result.files}
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing and not dry_run:
        raise click.ClickException(f"already exist(s), nothing written: {', '.join(existing)} "
                                   "(choose another -o folder or move them away)")
    for line in report_lines(result, file, {k: str(v) for k, v in paths.items()}, dry_run):
        click.echo(line)
    if dry_run:
        return
    target.mkdir(parents=True, exist_ok=True)
    for name, text in result.files.items():
        paths[name].write_text(text, encoding="utf-8")


def report_lines(result: ImportResult, file: str, paths: dict[str, str], dry_run: bool) -> list[str]:
    verb = "would write" if dry_run else "wrote"
    lines = [f"{file}: {FORMAT_NAMES[result.format]}, {result.total} question(s): "
             f"{len(result.drafts)} converted, {len(result.not_converted)} not converted"]
    for name in result.files:
        count = sum(1 for d in result.drafts if d.lesson == name)
        lines.append(f"  {verb} {paths[name]}: {count} question(s)")
    if result.not_converted:
        lines.append(f"not converted ({len(result.not_converted)}):")
        lines += [f"  {item.where}: {item.reason}" for item in result.not_converted]
    review = [d for d in result.drafts if d.notes]
    if review:
        lines.append(f"to review ({len(review)}); `flask content check` reports what is still missing:")
        lines += [f"  {d.where}: {d.id}: {note}" for d in review for note in d.notes]
    return lines
