"""Adding an activity kind touches one package: the test-only kind of ``tests/extra_kind``.

Nothing outside that package knows the kind: it is registered on the app here, and then it can be
assigned, its Result recorded, it shows on the supervisor dashboard and counts in a cycle score.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import current_app

from app.appraisal.cycles import CycleData, create_cycle
from app.appraisal.scoring import score_select
from app.people.models import Role
from app.results.kinds import EXTENSION_KEY, get_kind, kind_keys, register_kind
from app.results.services import record_result
from app.training import activities
from app.training.assignments import assign
from app.training.dashboard import team_dashboard
from app.training.status import Status, statuses
from tests.extra_kind import FixtureBase, RenewalItem, RenewalKind

TODAY = dt.date(2026, 9, 1)
NOW = dt.datetime(2026, 9, 1, 3, 0)


@pytest.fixture()
def renewal(app, db):
    kind = register_kind(app, RenewalKind)
    FixtureBase.metadata.create_all(db.engine)
    db.session.add(RenewalItem(id="fire-safety-2026", title="消防证书年审"))
    db.session.commit()
    yield kind
    db.session.rollback()
    app.extensions[EXTENSION_KEY].pop(kind.key)
    FixtureBase.metadata.drop_all(db.engine)


@pytest.fixture()
def team_of_two(make_employee, make_team):
    lead = make_employee(role=Role.SUPERVISOR)
    team = make_team(leader=lead)
    return lead, team, [make_employee(team=team), make_employee(team=team)]


def test_the_kind_is_registered_once_and_listed(renewal):
    assert get_kind("renewal") is renewal and kind_keys()[-1] == "renewal"
    assert activities.find("renewal", "fire-safety-2026").title == "消防证书年审"
    assert ("renewal:fire-safety-2026", "消防证书年审") in [(a.key, a.title) for a in activities.catalog()]
    with pytest.raises(ValueError, match="already registered"):
        register_kind(current_app, RenewalKind)


def test_assign_record_dashboard_and_cycle_score(db, renewal, team_of_two, client, login):
    lead, team, (first, second) = team_of_two
    outcome = assign(lead, [first, second], "renewal", "fire-safety-2026", TODAY + dt.timedelta(days=7),
                     today=TODAY, now=NOW)
    db.session.commit()
    assert len(outcome.created) == 2

    record_result(employee_id=first.id, kind="renewal", activity_id="fire-safety-2026", source_id=1,
                  score=70, finished_at=NOW + dt.timedelta(hours=1))
    db.session.commit()
    by_employee = {s.assignment.employee_id: s for s in statuses(TODAY)}
    assert by_employee[first.id].status == Status.COMPLETED and by_employee[first.id].score == 70
    assert by_employee[second.id].status == Status.NOT_STARTED

    board = team_dashboard(team, TODAY, NOW)
    column = next(c for c in board.columns if c.kind == "renewal")
    assert column.title == "消防证书年审" and board.kinds[-1] == "renewal"
    assert board.cell(first, column).score == 70 and board.cell(second, column).status == Status.NOT_STARTED

    cycle = create_cycle(CycleData(name="2026 下半年", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31)),
                         actor_id=None)
    db.session.commit()
    rows = {r.employee_id: r for r in db.session.execute(score_select(cycle, as_of=TODAY))}
    assert rows[first.id].practice == 70 and rows[first.id].total == 70 and rows[first.id].completion == 1
    assert rows[second.id].practice is None and rows[second.id].assigned == 1

    login(lead)
    page = client.get(f"/training/team?team={team.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Certificate renewal" in html and "消防证书年审" in html
