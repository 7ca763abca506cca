"""Closing freezes scores with their inputs; a closed cycle never changes; reopen and adjust are audited."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.appraisal.adjustments import adjust_score
from app.appraisal.cycles import AppraisalError, cycle_data, update_cycle
from app.appraisal.models import CycleScore
from app.appraisal.snapshots import close_cycle, cycle_scores, reopen_cycle
from app.audit.models import AuditEvent

AS_OF = dt.date(2026, 10, 15)


def _current(db, cycle):
    return {r.employee_no: r for r in db.session.execute(cycle_scores(cycle))}


def _close(db, cycle, as_of=AS_OF):
    count = close_cycle(cycle, actor_id=None, as_of=as_of)
    db.session.commit()
    return count


def test_close_writes_snapshot_with_inputs(db, scored_org, make_cycle):
    cycle = make_cycle()
    count = _close(db, cycle)
    assert not cycle.is_open and cycle.version == 1 and cycle.closed_as_of == AS_OF
    rows = db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle.id)).all()
    assert len(rows) == count
    a = next(r for r in rows if r.employee_no == "A001")
    assert a.total == 51.43 and a.band == "fail" and a.department == "客服部" and a.team == "前台一班"
    assert a.inputs["policy"] == "best" and a.inputs["as_of"] == "2026-10-15"
    assert a.inputs["weights"] == {"theory": 40, "practice": 30, "observation": 30}
    assert a.inputs["effective_weights"] == {"theory": round(40 / 70, 4), "practice": round(30 / 70, 4)}
    by_activity = {x["activity_id"]: x for x in a.inputs["activities"]}
    assert by_activity["q1"]["score"] == 90 and by_activity["q1"]["status"] == "done"
    assert by_activity["q1"]["result_id"] is not None and by_activity["q1"]["attempts"] == 3
    assert by_activity["q2"] == {**by_activity["q2"], "score": 0.0, "status": "overdue"}
    assert by_activity["c1"]["status"] == "pending" and by_activity["c1"]["score"] is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.cycle_close"))
    assert event.target == f"cycle:{cycle.id}" and event.details["employees"] == count


def test_closed_cycle_ignores_later_results_and_changes(db, scored_org, make_cycle, result, assign):
    cycle = make_cycle()
    _close(db, cycle)
    before = _current(db, cycle)
    a, c = scored_org["a"], scored_org["c"]
    # a better result inside the window, a new assignment, a moved employee: nothing changes
    result(a, "quiz", "q2", 100, dt.datetime(2026, 9, 20, 2))
    assign(c, "quiz", "q9", dt.date(2026, 8, 1))
    a.team_id = None
    a.name = "改名"
    db.session.commit()
    after = _current(db, cycle)
    assert after == before
    assert after["A001"].total == 51.43 and after["A001"].team == "前台一班" and after["A001"].name == "张三"
    # the live formula would now differ: proof that the snapshot, not the formula, is read
    cycle.state = "open"
    assert _current(db, cycle)["A001"].total != 51.43
    db.session.rollback()


def test_closed_cycle_cannot_be_edited_or_closed_twice(db, scored_org, make_cycle):
    cycle = make_cycle()
    _close(db, cycle)
    with pytest.raises(AppraisalError):
        close_cycle(cycle, actor_id=None)
    data = cycle_data(cycle)
    data.weight_theory, data.weight_practice = 30, 40
    with pytest.raises(AppraisalError):
        update_cycle(cycle, data, actor_id=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CycleScore)) > 0


def test_reopen_needs_reason_keeps_rows_and_reclose_versions(db, scored_org, make_cycle, result):
    cycle = make_cycle()
    first = _close(db, cycle)
    with pytest.raises(AppraisalError):
        reopen_cycle(cycle, actor_id=None, reason="  ")
    db.session.rollback()
    reopen_cycle(cycle, actor_id=None, reason="漏录了一次测验")
    db.session.commit()
    assert cycle.is_open
    old = db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle.id)).all()
    assert len(old) == first and all(r.superseded for r in old)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.cycle_reopen"))
    assert event.details["reason"] == "漏录了一次测验"
    result(scored_org["a"], "quiz", "q2", 100, dt.datetime(2026, 9, 20, 2))
    _close(db, cycle)
    assert cycle.version == 2
    current = _current(db, cycle)
    assert current["A001"].theory == 95.0  # (90 + 100) / 2
    total = db.session.scalar(select(func.count()).select_from(CycleScore).where(CycleScore.cycle_id == cycle.id))
    assert total == 2 * first


def test_adjustment_needs_reason_is_audited_and_carried_over(db, scored_org, make_cycle, make_employee):
    hr = make_employee(role="hr")
    cycle = make_cycle()
    with pytest.raises(AppraisalError):  # only closed cycles are adjusted
        adjust_score(cycle, scored_org["a"].id, 5, "理由", actor_id=hr.id)
    db.session.rollback()
    _close(db, cycle)
    with pytest.raises(AppraisalError):
        adjust_score(cycle, scored_org["a"].id, 5, " ", actor_id=hr.id)
    with pytest.raises(AppraisalError):
        adjust_score(cycle, scored_org["c"].id, 5, "没有分数", actor_id=hr.id)
    db.session.rollback()
    row = adjust_score(cycle, scored_org["a"].id, 10, "现场表现突出", actor_id=hr.id)
    db.session.commit()
    assert (row.computed_total, row.adjustment, row.total, row.band) == (51.43, 10.0, 61.43, "pass")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.adjust"))
    assert event.actor_id == hr.id and event.details["reason"] == "现场表现突出"
    assert event.details["before"]["total"] == 51.43 and event.details["after"]["total"] == 61.43
    big = adjust_score(cycle, scored_org["b"].id, 50, "封顶", actor_id=hr.id)
    assert big.total == 100.0 and big.band == "excellent"
    db.session.commit()
    reopen_cycle(cycle, actor_id=hr.id, reason="重新计算")
    db.session.commit()
    _close(db, cycle)
    again = _current(db, cycle)["A001"]
    assert (again.adjustment, again.adjustment_reason, again.total) == (10.0, "现场表现突出", 61.43)


def test_overview_figures_open_and_closed(db, scored_org, make_cycle):
    from app.appraisal import reports

    cycle = make_cycle()
    close_cycle(cycle, actor_id=None, as_of=AS_OF)
    db.session.commit()
    departments = reports.department_breakdown(cycle)
    by_name = {d.department: d for d in departments}
    # 客服部: A (fail), B (good), C and the team leader (no score); 工程部: F (fail, 50)
    assert by_name["客服部"].employees == 4 and by_name["工程部"].employees == 1
    assert by_name["客服部"].bands == {"excellent": 0, "good": 1, "pass": 0, "fail": 1}
    assert by_name["客服部"].total == round((51.43 + 89.29) / 2, 2)
    assert reports.band_distribution(departments) == {"excellent": 0, "good": 1, "pass": 0, "fail": 2, None: 2}
