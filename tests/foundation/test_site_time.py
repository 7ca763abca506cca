"""One time zone, one format, one rounding rule: every page shows stored UTC in the site's zone."""

import datetime as dt

from app.audit.services import record_event
from app.people.models import Role
from app.ui.formatting import localdate, localtime, round_score, score


def test_filters_convert_naive_utc_to_site_time(app):
    with app.app_context():
        assert localtime(dt.datetime(2026, 12, 3, 16, 30)) == "2026-12-04 00:30"
        assert localdate(dt.datetime(2026, 12, 3, 16, 30)) == "2026-12-04"
        assert localtime("2026-12-03T16:30:00") == "2026-12-04 00:30"  # ISO text in a snapshot
        assert localtime(None) == "—" and localdate(dt.date(2026, 1, 2)) == "2026-01-02"


def test_one_rounding_rule_for_scores():
    assert [round_score(v) for v in (87.25, 87.35, 0.05, 100)] == [87.3, 87.4, 0.1, 100.0]
    assert score(87.25) == "87.3" and score(80) == "80.0" and score(-2.25, signed=True) == "-2.3"
    assert "—" in score(None)


def test_the_audit_log_shows_site_time(client, db, login_as):
    login_as(Role.ADMIN)
    record_event("appraisal.export", at=dt.datetime(2026, 12, 3, 16, 30))
    db.session.commit()
    page = client.get("/admin/audit?action=appraisal.export").get_data(as_text=True)
    assert "2026-12-04 00:30" in page and "2026-12-03 16:30" not in page


def test_the_audit_date_filter_uses_site_days(client, db, login_as):
    login_as(Role.ADMIN)
    record_event("appraisal.export", at=dt.datetime(2026, 12, 3, 16, 30), details={"n": "late"})  # 4 Dec local
    db.session.commit()
    on_4th = client.get("/admin/audit?action=appraisal.export&since=2026-12-04&until=2026-12-04")
    on_3rd = client.get("/admin/audit?action=appraisal.export&since=2026-12-03&until=2026-12-03")
    assert "2026-12-04 00:30" in on_4th.get_data(as_text=True)
    assert "2026-12-04 00:30" not in on_3rd.get_data(as_text=True)
