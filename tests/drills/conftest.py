"""Fixtures of the drill tests: the small fixture catalog or the shipped content, synced."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.people.models import Role
from tests.drills.drill_helpers import VALID, sync_root


@pytest.fixture()
def drill_catalog(db):
    """The fixture drills: scenarios test-desk and test-phone, exercise test-leak, prompt
    test-answer, checklist test-grooming."""
    return sync_root(VALID, db)


@pytest.fixture()
def shipped_drills(db, app):
    """The real content/standards with its scenarios, exercises, 17 prompts and checklists."""
    return sync_root(Path(app.config["CONTENT_DIR"]), db)


@pytest.fixture()
def team_setup(make_employee, make_team):
    """A supervisor leading a team of two trainees, another supervisor with one trainee."""
    lead = make_employee(role=Role.SUPERVISOR)
    team = make_team(leader=lead)
    members = [make_employee(team=team), make_employee(team=team)]
    other_lead = make_employee(role=Role.SUPERVISOR)
    other_team = make_team(leader=other_lead)
    outsider = make_employee(team=other_team)
    return {"lead": lead, "team": team, "members": members, "other_lead": other_lead, "outsider": outsider}
