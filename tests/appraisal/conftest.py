"""Builders for the appraisal tests: assignments, results and cycles written as the layers below do."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.appraisal.cycles import CycleData, create_cycle
from app.results.services import record_result
from app.training.models import Assignment
from app.training.signals import assignments_changed

_source_ids = itertools.count(1)


@pytest.fixture()
def assign(db):
    def build(employee, kind: str, activity_id: str, due: dt.date, *, cancelled: bool = False) -> Assignment:
        assignment = Assignment(employee_id=employee.id, activity_kind=kind, activity_id=activity_id,
                                due_date=due, created_at=dt.datetime(2026, 6, 1),
                                cancelled_at=dt.datetime(2026, 7, 2) if cancelled else None)
        db.session.add(assignment)
        db.session.flush()
        assignments_changed.send(employee_ids=[employee.id])  # as app/training/assignments.py does
        db.session.commit()
        return assignment

    return build


@pytest.fixture()
def result(db):
    def build(employee, kind: str, activity_id: str, score: float, finished_at: dt.datetime):
        row = record_result(employee_id=employee.id, kind=kind, activity_id=activity_id,
                            source_id=next(_source_ids), score=score, finished_at=finished_at)
        db.session.commit()
        return row

    return build


@pytest.fixture()
def make_cycle(db):
    def build(**overrides):
        values = {"name": f"周期{next(_source_ids)}", "starts_on": dt.date(2026, 7, 1),
                  "ends_on": dt.date(2026, 12, 31)}
        values.update(overrides)
        cycle = create_cycle(CycleData(**values), actor_id=None)
        db.session.commit()
        return cycle

    return build


@pytest.fixture()
def scored_org(db, make_department, make_team, make_employee, assign, result):
    """The hand-computed fixture of the scoring tests (see test_appraisal_scoring.py)."""
    d1 = make_department("客服部")
    d2 = make_department("工程部")
    team = make_team("前台一班", department=d1)
    a = make_employee(team=team, employee_no="A001", name="张三")
    b = make_employee(team=team, employee_no="B001", name="李四")
    c = make_employee(department=d1, employee_no="C001", name="王五")
    make_employee(role="hr", department=d1, employee_no="H001", name="何人事")
    make_employee(department=d1, employee_no="X001", name="离职", active=False)
    f = make_employee(department=d2, employee_no="F001", name="赵六")
    t = dt.datetime
    # A: quiz q1 (70, 90, 80 in the window; 100 before it), quiz q2 overdue, scenario s1 60,
    # complaint c1 still pending, a cancelled language drill and a course (neither counts)
    assign(a, "quiz", "q1", dt.date(2026, 8, 1))
    assign(a, "quiz", "q2", dt.date(2026, 9, 1))
    assign(a, "scenario", "s1", dt.date(2026, 9, 10))
    assign(a, "complaint", "c1", dt.date(2026, 11, 30))
    assign(a, "language", "l1", dt.date(2026, 8, 1), cancelled=True)
    assign(a, "course", "new-hire", dt.date(2026, 8, 1))
    result(a, "quiz", "q1", 100, t(2026, 6, 20, 3, 0))
    result(a, "quiz", "q1", 70, t(2026, 8, 1, 2, 0))
    result(a, "quiz", "q1", 90, t(2026, 8, 5, 2, 0))
    result(a, "quiz", "q1", 80, t(2026, 9, 1, 2, 0))
    result(a, "scenario", "s1", 60, t(2026, 9, 5, 2, 0))
    result(a, "language", "l1", 100, t(2026, 8, 2, 2, 0))
    result(a, "quiz", "unassigned", 100, t(2026, 8, 2, 2, 0))
    # B: quiz q1 85 and an observation 95 (no practice: it drops out)
    assign(b, "quiz", "q1", dt.date(2026, 8, 1))
    assign(b, "observation", "o1", dt.date(2026, 8, 20))
    result(b, "quiz", "q1", 85, t(2026, 7, 20, 2, 0))
    result(b, "observation", "o1", 95, t(2026, 8, 18, 2, 0))
    # F (another department): quiz q1 50
    assign(f, "quiz", "q1", dt.date(2026, 8, 1))
    result(f, "quiz", "q1", 50, t(2026, 7, 20, 2, 0))
    return {"a": a, "b": b, "c": c, "f": f, "d1": d1, "d2": d2, "team": team}


@pytest.fixture(autouse=True)
def _import_previews_in_tmp(app, tmp_path):
    """Keep the import previews of the tests out of the real instance folder."""
    old = app.config.get("IMPORT_PREVIEW_DIR")
    app.config["IMPORT_PREVIEW_DIR"] = str(tmp_path / "import-previews")
    yield
    app.config["IMPORT_PREVIEW_DIR"] = old
