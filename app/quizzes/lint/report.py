"""Run every lint check over a loaded content set: ``lint_content`` is a plain function (no
Flask), ``lint_plugin`` is the hook ``app.content.plugins`` calls for ``flask content lint`` and
``flask content check``.

With ``enforce: false`` in lint.yml every error is reported as a warning (the gate is wired, but
CI stays green until the bank is rewritten); problems *in* lint.yml itself always fail
``content check`` (through the quiz plugin's checker, not here).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.content.documents import ContentSet, Problem
from app.content.loader import default_display_base
from app.content.plugins import ERROR, WARNING, LintFinding, LintReport, LintRequest

from .checks import hard_questions, near_duplicates, pool_findings, question_findings
from .config import LintConfig, load_config
from .database import discrimination_findings
from .figures import pool_figures
from .overlap import copied_runs, source_index
from .pools import bank_pools, quiz_groups, quiz_pools
from .strategies import Item, prepare


def prepared_items(content: ContentSet) -> dict[str, Item]:
    return {qid: item for qid, doc in content.questions.items() if (item := prepare(doc)) is not None}


def lint_content(content: ContentSet, config: LintConfig) -> LintReport:
    """Figures per bank and per quiz, and every content finding (no sources, no database)."""
    items = prepared_items(content)
    report = LintReport(figures={"banks": {}, "quizzes": {}})
    for key, pools in (("banks", bank_pools(content)), ("quizzes", quiz_pools(content))):
        for pool in pools:
            figures = pool_figures(pool, items, config)
            report.figures[key][pool.id] = {"path": pool.path, "line": pool.line, **figures}
            report.findings.extend(pool_findings(pool, figures, config))
    for item in items.values():
        report.findings.extend(question_findings(item, config))
    report.findings.extend(near_duplicates(items, quiz_groups(content), config))
    report.findings.extend(hard_questions(items, config))
    report.figures["hard_questions"] = sum(1 for item in items.values() if item.doc.difficulty == 3)
    report.figures["questions"] = len(items)
    return report


def source_findings(content: ContentSet, source: Path, config: LintConfig,
                    display_base: Path | None = None) -> list[LintFinding]:
    """Runs shared with one source standard, in lessons and question files (warnings)."""
    index = source_index(source.read_text(encoding="utf-8", errors="replace"), config.source_min_run)
    base = (display_base or default_display_base(content.root)).resolve()
    findings = []
    for folder in ("lessons", "questions"):
        for path in sorted((Path(content.root) / folder).glob("*.md")):
            resolved = path.resolve()
            display = resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else path.as_posix()
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for run in copied_runs(lines, index, config.source_min_run):
                findings.append(LintFinding(display, run.line, WARNING, "copied-prose",
                                            f"{len(run.text)} Chinese characters copied from {source.name}: "
                                            f"「{run.text}」 (rewrite in our own words, or quote a model phrase)"))
    return findings


def downgrade(findings: list[LintFinding]) -> list[LintFinding]:
    return [replace(f, severity=WARNING) if f.severity == ERROR else f for f in findings]


def lint_plugin(content: ContentSet, request: LintRequest) -> LintReport:
    """The quiz layer's ``lint`` hook: content findings, ``--source`` runs and, when asked,
    negative discrimination from real answers."""
    config, _problems = load_config(content.root)
    report = lint_content(content, config)
    for source in request.sources:
        report.findings.extend(source_findings(content, source, config))
    if request.database:
        report.findings.extend(discrimination_findings(content, config))
    if not config.enforce:
        report.findings = downgrade(report.findings)
    report.findings.sort()
    report.figures["enforce"] = config.enforce
    return report


def config_problems(content: ContentSet) -> list[Problem]:
    """lint.yml's own problems, for ``content check`` (always errors, enforce or not)."""
    return load_config(content.root)[1]
