"""The scoring formula against hand-computed fixtures (see conftest.scored_org).

Employee A, window 2026-07-01..12-31, as of 2026-10-15:
  theory: q1 (best 90 / latest 80; the 100 before the window does not count), q2 overdue → 0
  practice: s1 60; c1 is due 11-30 and still pending → not averaged yet
  observation: nothing assigned → drops out; weights 40/30 re-normalised over 70
  best:   theory 45, total (45·40 + 60·30) / 70 = 51.428… → 51.43 (不合格)
  latest: theory 40, total (40·40 + 60·30) / 70 = 48.571… → 48.57
  completion 2 of 4 (q1, s1 done; q2 overdue; c1 pending) = 0.5, overdue 1
Employee B: theory 85, observation 95, total (85·40 + 95·30) / 70 = 89.2857… → 89.29 (良好)
"""

import datetime as dt

import pytest
from flask_babel import force_locale

from app.appraisal.cycles import AppraisalError, CycleData, create_cycle
from app.appraisal.scoring import activity_select, band_for, score_select, window_bounds

AS_OF = dt.date(2026, 10, 15)


def _rows(db, cycle, **kw):
    return {r.employee_no: r for r in db.session.execute(score_select(cycle, as_of=AS_OF, **kw))}


def test_best_policy_hand_computed(db, scored_org, make_cycle):
    cycle = make_cycle(policy="best")
    rows = _rows(db, cycle)
    a = rows["A001"]
    assert a.theory == 45.0
    assert a.practice == 60.0
    assert a.observation is None
    assert a.computed_total == 51.43
    assert a.total == 51.43
    assert a.band == "fail"
    assert a.assigned == 4 and a.completed == 2 and a.overdue == 1
    assert a.completion == 0.5
    assert a.department == "客服部" and a.team == "前台一班"
    assert a.supervisor == scored_org["team"].leader.name
    b = rows["B001"]
    assert (b.theory, b.practice, b.observation) == (85.0, None, 95.0)
    assert b.total == 89.29
    assert b.band == "good"
    assert b.completion == 1.0 and b.overdue == 0


def test_latest_policy_hand_computed(db, scored_org, make_cycle):
    cycle = make_cycle(policy="latest")
    a = _rows(db, cycle)["A001"]
    assert a.theory == 40.0
    assert a.total == 48.57
    assert a.band == "fail"


def test_missing_component_renormalises_weights(db, scored_org, make_cycle):
    cycle = make_cycle(weight_theory=50, weight_practice=50, weight_observation=0)
    b = _rows(db, cycle)["B001"]
    # observation has weight 0 and practice is missing: the total is the theory score alone
    assert b.total == 85.0


def test_overdue_counts_zero_only_once_due(db, scored_org, make_cycle):
    cycle = make_cycle()
    early = {r.employee_no: r for r in db.session.execute(score_select(cycle, as_of=dt.date(2026, 8, 20)))}
    a = early["A001"]
    # on 08-20, q2 (due 09-01) and s1 (due 09-10) are pending, not zero: theory is q1 alone
    assert a.theory == 90.0 and a.overdue == 0
    late = {r.employee_no: r for r in db.session.execute(score_select(cycle, as_of=dt.date(2027, 1, 5)))}
    # after the window: c1 is overdue too, practice = (60 + 0) / 2
    a = late["A001"]
    assert a.practice == 30.0 and a.overdue == 2
    assert a.total == round((45 * 40 + 30 * 30) / 70, 2)


def test_who_is_listed(db, scored_org, make_cycle):
    rows = _rows(db, make_cycle())
    assert rows["C001"].total is None and rows["C001"].band is None and rows["C001"].completion is None
    assert rows["C001"].assigned == 0
    assert "H001" not in rows  # HR without assignments is not appraised
    assert "X001" not in rows  # inactive without assignments
    assert "F001" in rows


def test_department_scope_and_filter(db, scored_org, make_cycle):
    cycle = make_cycle(scope="departments", department_ids=[scored_org["d1"].id])
    rows = _rows(db, cycle)
    assert "F001" not in rows and "A001" in rows
    company = make_cycle()
    only_d2 = _rows(db, company, department_id=scored_org["d2"].id)
    assert set(only_d2) == {"F001"}
    assert only_d2["F001"].total == 50.0


def test_activity_rows_explain_the_score(db, scored_org, make_cycle):
    cycle = make_cycle(policy="best")
    rows = db.session.execute(activity_select(cycle, as_of=AS_OF, employee_ids=[scored_org["a"].id])).all()
    by_activity = {(r.kind, r.activity_id): r for r in rows}
    assert set(by_activity) == {("quiz", "q1"), ("quiz", "q2"), ("scenario", "s1"), ("complaint", "c1")}
    q1 = by_activity[("quiz", "q1")]
    assert q1.score == 90 and q1.attempts == 3 and q1.done == 1
    assert by_activity[("quiz", "q2")].score == 0 and by_activity[("quiz", "q2")].overdue == 1
    assert by_activity[("complaint", "c1")].score is None


def test_window_follows_site_timezone(db, make_employee, assign, result, make_cycle):
    e = make_employee()
    assign(e, "quiz", "tz", dt.date(2026, 7, 1))
    assign(e, "quiz", "tz2", dt.date(2026, 12, 31))
    # 06-30 17:00 UTC is 07-01 01:00 in Shanghai: inside; 12-31 16:30 UTC is 01-01 00:30: outside
    result(e, "quiz", "tz", 70, dt.datetime(2026, 6, 30, 17, 0))
    result(e, "quiz", "tz2", 90, dt.datetime(2026, 12, 31, 16, 30))
    cycle = make_cycle()
    start, end = window_bounds(cycle)
    assert start == dt.datetime(2026, 6, 30, 16, 0) and end == dt.datetime(2026, 12, 31, 16, 0)
    row = _rows(db, cycle)[e.employee_no]
    assert row.theory == 70.0  # tz2 has no result in the window and is still pending on 10-15


def test_same_activity_assigned_twice_counts_once(db, make_employee, assign, result, make_cycle):
    e = make_employee()
    assign(e, "quiz", "q", dt.date(2026, 7, 10))
    assign(e, "quiz", "q", dt.date(2026, 8, 10))
    result(e, "quiz", "q", 66, dt.datetime(2026, 7, 5, 2))
    row = _rows(db, make_cycle())[e.employee_no]
    assert row.assigned == 1 and row.theory == 66.0


@pytest.mark.parametrize(("total", "band"), [(90, "excellent"), (89.99, "good"), (80, "good"),
                                             (60, "pass"), (59.99, "fail"), (None, None)])
def test_band_limits(total, band):
    assert band_for(total, {"excellent": 90, "good": 80, "pass": 60}) == band


def test_band_sql_matches_python(db, make_employee, assign, result, make_cycle):
    e = make_employee()
    assign(e, "quiz", "q", dt.date(2026, 7, 10))
    result(e, "quiz", "q", 80, dt.datetime(2026, 7, 5, 2))
    row = _rows(db, make_cycle(band_excellent=95, band_good=80, band_pass=70))[e.employee_no]
    assert row.band == "good" == band_for(80, {"excellent": 95, "good": 80, "pass": 70})


@pytest.mark.parametrize(("changes", "message"), [
    ({"weight_theory": 50}, "100"),
    ({"ends_on": dt.date(2026, 6, 1)}, "ends before"),
    ({"band_good": 95}, "descend"),
    ({"scope": "departments"}, "department"),
    ({"name": " "}, "name"),
])
def test_cycle_validation(db, changes, message):
    data = CycleData(name="2026年下半年", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31))
    for key, value in changes.items():
        setattr(data, key, value)
    with force_locale("en"), pytest.raises(AppraisalError) as info:
        create_cycle(data, actor_id=None)
    assert message in str(info.value).lower()


def test_cycle_names_are_unique(db, make_cycle):
    make_cycle(name="2026年下半年")
    with pytest.raises(AppraisalError):
        make_cycle(name="2026年下半年")
