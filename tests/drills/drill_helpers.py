"""Helpers of the drill tests: syncing a content root with the drills plugin, playing runs."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.content.loader import load_content
from app.content.plugins import SyncReport
from app.content.sync import sync_content
from app.drills.content_plugin import plugin as drills_plugin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drills"
VALID = FIXTURES / "valid"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def sync_root(root: Path, db) -> SyncReport:
    """Load, then sync the catalog and the drills (the other layers' syncs are not under test)."""
    content = load_content(root, display_base=root)
    assert not content.problems, content.problems
    report = sync_content(content, [drills_plugin])
    db.session.commit()
    return report


def build_tree(case: Path | None, tmp_path: Path) -> Path:
    """The valid fixture tree at ``tmp_path/standards``, with a broken case's files laid over it."""
    root = tmp_path / "standards"
    shutil.copytree(VALID, root)
    if case is not None:
        for source in case.rglob("*"):
            relative = source.relative_to(case)
            if source.is_file() and relative.as_posix() != "EXPECTED":
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, root / relative)
    return root

