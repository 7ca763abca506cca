"""A temp copy of content/standards to edit, and a world of employees who learned the phone lesson."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.content.loader import load_content
from app.content.plugins import SyncReport, plugins
from app.content.sync import sync_content
from app.people.models import Role
from app.results.services import record_result

STANDARDS = Path(__file__).resolve().parents[2] / "content" / "standards"
_source_ids = itertools.count(9000)


def sync_root(root: Path, db) -> SyncReport:
    report = sync_content(load_content(root), plugins())
    db.session.commit()
    return report


def edit_clause(root: Path, clause_id: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on the line of ``clause_id`` in its lesson file."""
    for path in (root / "lessons").glob("*.md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.rstrip().endswith("{#" + clause_id + "}"):
                assert old in line, f"{old!r} not in {line!r}"
                lines[i] = line.replace(old, new)
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                return
    raise AssertionError(f"clause {clause_id} not found")


@pytest.fixture()
def standards(tmp_path, db):
    """A synced temp copy of the shipped standards (edit it, then ``sync_root`` again)."""
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    sync_root(root, db)
    return root


def pass_activity(db, employee, kind: str, activity_id: str, *, passed: bool | None = True,
                  at: dt.datetime | None = None, score: float = 90.0):
    result = record_result(employee_id=employee.id, kind=kind, activity_id=activity_id,
                           source_id=next(_source_ids), score=score, passed=passed,
                           finished_at=at or dt.datetime(2026, 1, 5, 9, 0))
    db.session.commit()
    return result


@dataclass
class World:
    learned_quiz: object  # passed communication-quiz (draws the phone lesson)
    learned_final: object  # passed new-hire-final (a quiz of a course containing phone)
    failed: object  # failed communication-quiz
    unrelated: object  # passed complaints-only quiz
    hr: object
    trainee: object
    #: the synced temp copy of the standards
    root: Path


@pytest.fixture()
def world(db, standards, make_employee):
    learned_quiz, learned_final, failed, unrelated = (make_employee() for _ in range(4))
    pass_activity(db, learned_quiz, "quiz", "communication-quiz")
    pass_activity(db, learned_final, "quiz", "new-hire-final")
    pass_activity(db, failed, "quiz", "communication-quiz", passed=False, score=40)
    pass_activity(db, unrelated, "quiz", "complaints-quiz")
    return World(learned_quiz, learned_final, failed, unrelated, make_employee(Role.HR), make_employee(), standards)
