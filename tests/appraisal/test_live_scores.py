"""The live scores of an open cycle are rows kept on write (app/appraisal/live.py): they equal the
scores computed from the source tables after results, assignment changes and cycle edits, the
frozen snapshot of a close agrees with them, a passing due date refreshes them, and the overview
reads them with a number of statements that does not grow with the company."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.appraisal import live
from app.appraisal.cycles import cycle_data, update_cycle
from app.appraisal.models import Cycle, CycleScore, LiveScore
from app.appraisal.scoring import score_select
from app.appraisal.snapshots import SCORE_FIELDS, close_cycle, cycle_scores
from app.people.models import Department
from app.training.assignments import cancel
from tests.support.statements import recorded_statements

T = dt.datetime


def _computed(db, cycle, as_of=None):
    return [tuple(r) for r in db.session.execute(score_select(cycle, as_of=as_of))]


def _live(db, cycle):
    return [tuple(r) for r in db.session.execute(cycle_scores(cycle))]


def test_live_rows_follow_results_assignments_and_edits(db, time_machine, scored_org, make_cycle, assign, result,
                                                        make_employee):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle = make_cycle()
    rows = _live(db, cycle)
    assert rows == _computed(db, cycle) and len(rows) >= 4
    a = scored_org["a"]
    # a result in the window, one before it (ignored), a new assignment, a cancelled one
    result(a, "complaint", "c1", 77, T(2026, 10, 1, 2, 0))
    result(scored_org["b"], "quiz", "q1", 99, T(2026, 6, 1, 2, 0))
    assign(scored_org["c"], "quiz", "q1", dt.date(2026, 9, 1))
    hr = make_employee(role="hr")
    from app.training.models import Assignment
    scenario = db.session.scalar(select(Assignment).where(Assignment.employee_id == a.id,
                                                          Assignment.activity_id == "s1"))
    cancel(hr, scenario)
    db.session.commit()
    assert _live(db, cycle) == _computed(db, cycle)
    # weights and policy change: the whole cycle is recomputed
    data = cycle_data(cycle)
    data.weight_theory, data.weight_practice, data.weight_observation = 20, 20, 60
    data.policy = "latest"
    update_cycle(cycle, data, actor_id=hr.id)
    db.session.commit()
    assert _live(db, cycle) == _computed(db, cycle)
    a_row = db.session.get(LiveScore, (cycle.id, a.id))
    assert a_row.valid_through is None or a_row.valid_through >= dt.date(2026, 10, 15)


def test_close_writes_the_snapshot_the_live_rows_showed(db, time_machine, scored_org, make_cycle):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle = make_cycle()
    shown = {r.employee_id: r for r in db.session.execute(cycle_scores(cycle))}
    close_cycle(cycle, actor_id=None)
    db.session.commit()
    frozen = {r.employee_id: r for r in db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle.id))}
    assert set(frozen) == set(shown)
    for employee_id, row in shown.items():
        assert tuple(getattr(frozen[employee_id], f) for f in SCORE_FIELDS) == tuple(getattr(row, f) for f in SCORE_FIELDS)
    assert not db.session.scalars(select(LiveScore).where(LiveScore.cycle_id == cycle.id)).all()


def test_a_passing_due_date_refreshes_the_rows(db, time_machine, scored_org, make_cycle, client, login_as):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    cycle = make_cycle()
    a = scored_org["a"]  # complaint c1 is due 2026-11-30, still pending
    assert db.session.get(LiveScore, (cycle.id, a.id)).valid_through == dt.date(2026, 11, 30)
    before = db.session.get(LiveScore, (cycle.id, a.id)).practice
    db.session.commit()
    time_machine.move_to(T(2026, 12, 2, 4, 0, tzinfo=dt.UTC), tick=False)
    login_as("hr")
    assert client.get(f"/appraisal/{cycle.id}").status_code == 200  # the overview refreshes what is due
    db.session.rollback()
    row = db.session.get(LiveScore, (cycle.id, a.id))
    assert row.valid_through is None and row.computed_on == dt.date(2026, 12, 2)
    assert row.practice != before  # the overdue complaint now counts 0
    assert _live(db, cycle) == _computed(db, cycle, as_of=dt.date(2026, 12, 2))


def _statements(client, url: str) -> int:
    with recorded_statements() as statements:
        response = client.get(url, buffered=True)  # a streamed export is read within the window
    assert response.status_code == 200
    return len(statements)


def test_overview_statements_do_not_grow_with_the_company(db, time_machine, make_cycle, make_employee, assign,
                                                          result, client, login_as, make_department):
    time_machine.move_to(T(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    department_id = make_department("客服部").id
    cycle_id = make_cycle().id

    def hire(count):
        for _ in range(count):
            employee = make_employee(department=db.session.get(Department, department_id))
            assign(employee, "quiz", "q1", dt.date(2026, 9, 1))
            result(employee, "quiz", "q1", 80, T(2026, 8, 20, 2, 0))

    hire(3)
    login_as("hr")
    client.get(f"/appraisal/{cycle_id}")
    small = _statements(client, f"/appraisal/{cycle_id}")
    small_export = _statements(client, f"/appraisal/{cycle_id}/export.csv")
    hire(30)
    big = _statements(client, f"/appraisal/{cycle_id}")
    big_export = _statements(client, f"/appraisal/{cycle_id}/export.csv")
    assert big == small and big_export == small_export
    cycle = db.session.get(Cycle, cycle_id)
    assert _live(db, cycle) == _computed(db, cycle) and len(_live(db, cycle)) >= 33
    assert len(live.due_employee_ids(cycle, dt.date(2026, 10, 15))) == 0
