"""Fixtures of the quiz tests: a synced question bank, the small fixture one or the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quizzes.quiz_helpers import VALID, sync_root


@pytest.fixture()
def small_bank(db):
    """The 8-question fixture bank and its quiz ``new-hire-check`` (3 phone + 1 greet + 1 tagged 数字)."""
    return sync_root(VALID, db)


@pytest.fixture()
def shipped_bank(db, app):
    """The real content/standards (308 questions, 5 quizzes)."""
    return sync_root(Path(app.config["CONTENT_DIR"]), db)
