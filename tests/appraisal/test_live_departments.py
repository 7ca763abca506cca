"""The department figures of an open cycle are rows kept on write (app/appraisal/live_departments.py):
after results, assignments, organisation changes (a move, a deactivation, a hire, a role change),
cycle edits, a close and a reopen and a passing due date, they equal both the figures aggregated
from the live rows at read time (``reports.computed_breakdown``, the former read path) and a
rebuild; two results recorded at once for members of the same department lose nothing; and the
overview reads them with one small statement whatever the number of employees."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.appraisal import live, live_departments, reports
from app.appraisal.cycles import cycle_data, update_cycle
from app.appraisal.models import NO_DEPARTMENT, Cycle, LiveDepartment
from app.appraisal.snapshots import close_cycle, reopen_cycle
from app.extensions import db as _db
from app.people.models import Department, Employee
from app.people.services import EmployeeData, change_role, create_employee, set_active, update_employee
from app.results.services import record_result
from tests.conftest import PASSWORD
from tests.support.statements import recorded_statements

T = dt.datetime


def _rows(db) -> list[tuple]:
    return live_departments.snapshot()


def _check(db, cycle_id: int) -> list[reports.DepartmentRow]:
    """The kept rows give what the read-time aggregation gives, and a rebuild writes the same rows."""
    db.session.commit()
    cycle = db.session.get(Cycle, cycle_id)
    shown = reports.department_breakdown(cycle)
    assert shown == reports.computed_breakdown(cycle)
    kept = _rows(db)
    live_departments.rebuild()
    assert _rows(db) == kept
    db.session.rollback()
    return shown


def _move(employee: Employee, department: Department | None) -> None:
    update_employee(employee, EmployeeData(employee_no=employee.employee_no, name=employee.name,
                                           department_id=department.id if department else None,
                                           position=employee.position))


def test_department_rows_follow_every_write(db, time_machine, scored_org, make_cycle, assign, result,
                                            make_employee, make_department):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle_id = make_cycle().id
    a, b, c, f, d1, d2 = (scored_org[k] for k in ("a", "b", "c", "f", "d1", "d2"))
    shown = _check(db, cycle_id)
    assert sorted(r.department for r in shown) == sorted(["客服部", "工程部"])
    assert sum(r.employees for r in shown) == 5  # A, B, C, the team leader, F
    # a result and an assignment
    result(c, "quiz", "q1", 64, T(2026, 9, 3, 2, 0))
    _check(db, cycle_id)
    assign(c, "quiz", "q1", dt.date(2026, 9, 1))
    _check(db, cycle_id)
    # an employee without a department (key 0, name ""), then moved into one, then another
    loner = make_employee(employee_no="N001")
    assign(loner, "quiz", "q1", dt.date(2026, 8, 1))
    result(loner, "quiz", "q1", 91, T(2026, 7, 25, 2, 0))
    shown = _check(db, cycle_id)
    assert shown[0].department == "" and shown[0].department_id is None and shown[0].employees == 1
    assert db.session.get(LiveDepartment, (cycle_id, NO_DEPARTMENT)).total_n == 1
    _move(loner, d2)
    shown = _check(db, cycle_id)
    assert "" not in [r.department for r in shown]
    _move(c, d2)  # leaves 客服部 for 工程部 with its live row
    _check(db, cycle_id)
    b.department = d2  # through the relationship, not the column
    _check(db, cycle_id)
    # deactivated (with and without a live row), hired, promoted to HR
    set_active(f, False)
    _check(db, cycle_id)
    idle = make_employee(department=d1, employee_no="I001")
    _check(db, cycle_id)
    set_active(idle, False)
    _check(db, cycle_id)
    create_employee(EmployeeData(employee_no="G001", name="新人", department_id=make_department("保安部").id), PASSWORD)
    shown = _check(db, cycle_id)
    assert "保安部" in [r.department for r in shown]
    admin = make_employee(role="admin")
    change_role(admin, db.session.get(Employee, idle.id), "hr")
    set_active(db.session.get(Employee, idle.id), True)
    _check(db, cycle_id)
    a_moved = db.session.get(Employee, a.id)
    change_role(admin, a_moved, "hr")  # a live row keeps an HR account counted
    _check(db, cycle_id)
    # a renamed department: read by a join, nothing to refresh
    db.session.get(Department, d2.id).name = "工程维修部"
    shown = _check(db, cycle_id)
    assert "工程维修部" in [r.department for r in shown]
    # the cycle edited: bands, then scope (only 工程维修部)
    cycle = db.session.get(Cycle, cycle_id)
    data = cycle_data(cycle)
    data.band_excellent, data.band_good, data.band_pass = 95, 85, 70
    update_cycle(cycle, data, actor_id=None)
    _check(db, cycle_id)
    cycle = db.session.get(Cycle, cycle_id)
    data = cycle_data(cycle)
    data.scope, data.department_ids = "departments", [d2.id]
    update_cycle(cycle, data, actor_id=None)
    shown = _check(db, cycle_id)
    assert [r.department for r in shown] == ["工程维修部"]
    # closed: no rows (the snapshot answers); reopened: rows again
    close_cycle(db.session.get(Cycle, cycle_id), actor_id=None)
    db.session.commit()
    assert _rows(db) == []
    reopen_cycle(db.session.get(Cycle, cycle_id), actor_id=admin.id, reason="复核")
    _check(db, cycle_id)
    assert _rows(db)


def test_a_passing_due_date_refreshes_the_department_rows(db, time_machine, scored_org, make_cycle, client,
                                                          login_as):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle_id = make_cycle().id
    before = {r.department: r for r in _check(db, cycle_id)}
    time_machine.move_to(T(2026, 12, 2, 4, 0, tzinfo=dt.UTC), tick=False)  # A's complaint c1 (due 11-30) is overdue
    login_as("hr")
    assert client.get(f"/appraisal/{cycle_id}").status_code == 200
    db.session.rollback()
    after = {r.department: r for r in _check(db, cycle_id)}
    assert after["客服部"].overdue == before["客服部"].overdue + 1
    assert after["客服部"].practice != before["客服部"].practice


def _hire(db, department_id: int, count: int, assign, result) -> None:
    for _ in range(count):
        employee = create_employee(EmployeeData(employee_no=f"W{_hire.n:04d}", name=f"员工{_hire.n}",
                                                department_id=department_id), PASSWORD)
        _hire.n += 1
        db.session.commit()
        assign(employee, "quiz", "q1", dt.date(2026, 9, 1))
        result(employee, "quiz", "q1", 60 + _hire.n % 40, T(2026, 8, 20, 2, 0))


_hire.n = 1


def test_the_overview_reads_department_rows_not_every_employee(db, time_machine, make_cycle, make_department,
                                                               assign, result, client, login_as):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    departments = [make_department(name).id for name in ("客服部", "工程部")]
    cycle_id = make_cycle().id
    login_as("hr")

    def overview() -> list[str]:
        client.get(f"/appraisal/{cycle_id}")
        with recorded_statements() as statements:
            assert client.get(f"/appraisal/{cycle_id}").status_code == 200
        return statements

    for department_id in departments:
        _hire(db, department_id, 2, assign, result)
    small = overview()
    for department_id in departments:
        _hire(db, department_id, 23, assign, result)
    big = overview()
    assert len(big) == len(small)
    # no statement of the page aggregates the employees' live rows any more
    assert not [s for s in big if "appraisal_live_score" in s and "GROUP BY" in s.upper()]
    cycle = db.session.get(Cycle, cycle_id)
    with recorded_statements() as statements:
        rows = reports.department_breakdown(cycle)
    assert len(statements) == 1 and "appraisal_live_department" in statements[0]
    assert "appraisal_live_score" not in statements[0]
    assert sum(r.employees for r in rows) == 50
    assert rows == reports.computed_breakdown(cycle)


def test_two_results_in_one_department_at_once_lose_nothing(app, db, time_machine, make_cycle, make_department,
                                                             make_employee, assign, monkeypatch):
    """Both transactions are held just before they rewrite the department row, so without the lock
    the second would work from a snapshot without the first's live row (PostgreSQL: a duplicate key
    or a lost update). SQLite serialises the writers: there the barrier would only deadlock them."""
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    department = make_department("客服部")
    cycle_id = make_cycle().id
    members = [make_employee(department=department) for _ in range(2)]
    for employee in members:
        assign(employee, "quiz", "q1", dt.date(2026, 11, 1))
    ids = [e.id for e in members]
    db.session.commit()
    if _db.engine.dialect.name == "postgresql":
        inside = threading.Barrier(2)
        original = live_departments._rewrite

        def held(cycle, keys):
            inside.wait(timeout=30)
            return original(cycle, keys)

        monkeypatch.setattr(live_departments, "_rewrite", held)
    start = threading.Barrier(2)
    outcomes: list = [None, None]

    def runner(index: int) -> None:
        with app.app_context():
            try:
                start.wait(timeout=30)
                record_result(employee_id=ids[index], kind="quiz", activity_id="q1", source_id=9000 + index,
                              score=70 + 20 * index, finished_at=T(2026, 10, 14, 2, 0))
                _db.session.commit()
                outcomes[index] = "ok"
            except Exception as exc:  # noqa: BLE001 (reported to the test)
                _db.session.rollback()
                outcomes[index] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert outcomes == ["ok", "ok"], outcomes
    monkeypatch.undo()
    db.session.rollback()
    cycle = db.session.get(Cycle, cycle_id)
    (row,) = reports.department_breakdown(cycle)
    assert (row.employees, row.theory, row.completion) == (2, 80.0, 1.0)
    assert row == reports.computed_breakdown(cycle)[0]
    kept = _rows(db)
    live_departments.rebuild()
    assert _rows(db) == kept


@pytest.mark.parametrize("rebuild_live_first", [True, False])
def test_rebuild_from_the_command(db, time_machine, scored_org, make_cycle, runner, rebuild_live_first):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle_id = make_cycle().id
    kept = _rows(db)
    db.session.execute(LiveDepartment.__table__.delete())
    db.session.commit()
    only = ["--only", "cycle_live_scores"] if rebuild_live_first else []
    result = runner.invoke(args=["readmodels", "rebuild", *only, "--only", "cycle_live_departments"])
    assert result.exit_code == 0, result.output
    assert "cycle_live_departments" in result.output
    db.session.rollback()
    assert _rows(db) == kept and kept
    assert live.due_employee_ids(db.session.get(Cycle, cycle_id), dt.date(2026, 10, 15)) == []
