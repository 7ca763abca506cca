"""Renewal: one assignment and one notification in the window; the re-test hooks; dashboards, export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from sqlalchemy import func, select

from app.certificates import services
from app.certificates.models import Certificate
from app.people.models import Role
from app.training.models import Assignment, Notification

ISSUED = dt.datetime(2026, 1, 10, 4, 0, tzinfo=dt.UTC)  # expires 2027-01-10


def _at(day: dt.date, hour: int = 4):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture()
def holder(db, synced, make_team, make_employee, pass_activity):
    leader = make_employee(role=Role.SUPERVISOR)
    team = make_team(leader=leader)
    employee = make_employee(team=team, name="赵敏")
    with time_machine.travel(ISSUED, tick=False):
        pass_activity(employee, "quiz", "new-hire-final", 90.0)
    employee.leader = leader
    return employee


def _count(db, model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


def test_renewal_makes_exactly_one_assignment_and_notification(db, holder):
    with _at(dt.date(2026, 12, 1)):  # 40 days before expiry: not yet
        assert services.renew_due() == []
    with _at(dt.date(2026, 12, 12)):  # 29 days before: in the 30-day window
        [cert] = services.renew_due()
        db.session.commit()
        assert services.renew_due() == [] and services.renew_due(dt.date(2027, 1, 5)) == []
        db.session.commit()
    [assignment] = db.session.scalars(select(Assignment).where(Assignment.employee_id == holder.id))
    assert (assignment.activity_kind, assignment.activity_id, assignment.source) == ("quiz", "new-hire-final", "renewal")
    assert assignment.due_date == dt.date(2027, 1, 10) and cert.renewal_assignment_id == assignment.id
    assert _count(db, Notification, employee_id=holder.id) == 1
    assert db.session.scalar(select(Notification.kind)) == "new"


def test_renew_due_cli(runner, db, holder):
    result = runner.invoke(args=["certificates", "renew-due", "--date", "2026-12-20"])
    assert result.exit_code == 0, result.output
    assert "1 renewal assignment(s) made" in result.output
    again = runner.invoke(args=["certificates", "renew-due", "--date", "2026-12-21"])
    assert "0 renewal assignment(s) made" in again.output
    assert _count(db, Assignment, employee_id=holder.id) == 1


def test_renewal_is_written_lazily_at_login_and_shown_in_my_training(client, db, holder, login):
    with _at(dt.date(2026, 12, 20)):
        login(holder)
        page = client.get("/training/").get_data(as_text=True)
    assert _count(db, Assignment, employee_id=holder.id, source="renewal") == 1
    assert "证书续证" in page and "我的证书" in page and "新员工入职培训" in page
    cert = db.session.scalar(select(Certificate).where(Certificate.employee_id == holder.id))
    assert f"/certificates/{cert.id}.pdf" in page and "待续证" in page


def test_passing_the_renewal_recertifies_and_supersedes(db, holder, pass_activity):
    with _at(dt.date(2026, 12, 20)):
        services.renew_due()
        db.session.commit()
        pass_activity(holder, "quiz", "new-hire-final", 95.0)
    old, new = db.session.scalars(select(Certificate).where(Certificate.employee_id == holder.id)
                                  .order_by(Certificate.id))
    assert old.superseded_by_id == new.id and old.current_slot is None
    assert new.expires_on == dt.date(2027, 12, 20) and new.score == 95.0 and new.renewal_assignment_id is None


def test_mark_needs_renewal_and_keep_valid(db, holder, make_employee):
    stranger = make_employee()
    assert services.mark_needs_renewal(stranger.id, "new-hire", "missed refresher") is None  # no-op
    assert services.keep_valid(stranger.id, "new-hire") is None
    with _at(dt.date(2026, 3, 1)):
        cert = services.mark_needs_renewal(holder.id, "new-hire", "电话礼仪 changed; refresher missed")
        first = cert.needs_renewal_since
        services.mark_needs_renewal(holder.id, "new-hire", "again")  # the first flag stays
        assert cert.needs_renewal_since == first and cert.needs_renewal_reason.startswith("电话礼仪")
        assert services.due_for_renewal(cert) and services.status_of(cert) == services.CertStatus.VALID
        services.keep_valid(holder.id, "new-hire")
        assert cert.needs_renewal_since is None and not services.due_for_renewal(cert)
        services.mark_needs_renewal(holder.id, "new-hire", "refresher missed")
        [renewed] = services.renew_due()  # months before expiry, because it was flagged
        db.session.commit()
    assert renewed.renewal_assignment.due_date == dt.date(2027, 1, 10)


def test_expired_certificates_show_on_the_team_dashboard(client, db, holder, login):
    with _at(dt.date(2027, 2, 1)):
        login(holder.leader)
        page = client.get("/training/team").get_data(as_text=True)
    assert "已过期或待续证的证书" in page and "赵敏" in page and "已过期" in page


def test_valid_certificates_are_not_on_the_team_dashboard(client, db, holder, login):
    with _at(dt.date(2026, 6, 1)):
        login(holder.leader)
        page = client.get("/training/team").get_data(as_text=True)
    assert "已过期或待续证的证书" not in page


def test_hr_export_has_certificate_columns(client, db, holder, login_as):
    from app.appraisal.cycles import CycleData, create_cycle

    with _at(dt.date(2027, 2, 1)):
        login_as("hr")
        cycle = create_cycle(CycleData(name="2027 Q1", starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 3, 31)),
                             actor_id=None)
        db.session.commit()
        response = client.get(f"/appraisal/{cycle.id}/export.csv", buffered=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[-2:] == ["证书状态", "证书到期日"]
    mine = next(r for r in rows if r["姓名"] == "赵敏")
    assert (mine["证书状态"], mine["证书到期日"]) == ("已过期", "2027-01-10")
    others = [r for r in rows if r["姓名"] != "赵敏"]
    assert all(r["证书状态"] == "" for r in others)
