"""The demo seed: a closed past cycle and an open current one built on the demo results, idempotent."""

import datetime as dt
import threading

from sqlalchemy import func, select

from app.appraisal.cycles import AppraisalError
from app.appraisal.models import Cycle, CycleScore
from app.appraisal.snapshots import close_cycle, cycle_scores
from app.demo.appraisal import CURRENT_NAME, PAST_NAME, seed_appraisal
from app.extensions import db as _db
from app.training.models import Assignment


def test_seed_builds_cycles_from_results_and_is_idempotent(db, make_department, make_team, make_employee,
                                                            result, client, login_as):
    today = dt.date(2026, 11, 28)
    dept = make_department("客服部")
    team = make_team("前台一班", department=dept)
    make_employee(role="hr", department=dept, employee_no="H001")
    t1 = make_employee(team=team, employee_no="T001")
    t9 = make_employee(team=team, employee_no="T009")
    # results 20 days ago (past window) and 5 days ago (current window), in site time 10:00
    for employee, score in ((t1, 70), (t9, 88)):
        result(employee, "quiz", "new-hire-final", score, dt.datetime(2026, 11, 8, 2))
        result(employee, "scenario", "elevator-escort", score - 10, dt.datetime(2026, 11, 23, 2))
    seed_appraisal(today)
    db.session.commit()
    cycles = {c.name: c for c in db.session.scalars(select(Cycle))}
    past, current = cycles[PAST_NAME], cycles[CURRENT_NAME]
    assert not past.is_open and current.is_open
    assert (past.starts_on, past.ends_on) == (today - dt.timedelta(days=35), today - dt.timedelta(days=16))
    frozen = {r.employee_no: r for r in db.session.execute(cycle_scores(past))}
    assert frozen["T001"].theory == 70.0 and frozen["T009"].adjustment == 2.0
    assert frozen["T009"].total == 90.0 and frozen["T009"].band == "excellent"
    live = {r.employee_no: r for r in db.session.execute(cycle_scores(current))}
    assert live["T001"].practice == 60.0
    counts = (db.session.scalar(select(func.count()).select_from(Assignment)),
              db.session.scalar(select(func.count()).select_from(CycleScore)))
    seed_appraisal(today)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 2
    assert (db.session.scalar(select(func.count()).select_from(Assignment)),
            db.session.scalar(select(func.count()).select_from(CycleScore))) == counts
    login_as("hr")
    page = client.get(f"/appraisal/{past.id}").get_data(as_text=True)
    assert "T009" in page and "90.0" in page


def test_concurrent_closes_write_one_snapshot(app, db, scored_org, make_cycle):
    cycle_id = make_cycle().id
    db.session.rollback()  # hold no snapshot while the threads write
    outcomes = []
    barrier = threading.Barrier(2)

    def close():
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                close_cycle(_db.session.get(Cycle, cycle_id), actor_id=None, as_of=dt.date(2026, 10, 15))
                _db.session.commit()
                outcomes.append("closed")
            except AppraisalError:
                _db.session.rollback()
                outcomes.append("already")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["already", "closed"]
    db.session.rollback()
    versions = set(db.session.scalars(select(CycleScore.version).where(CycleScore.cycle_id == cycle_id)))
    assert versions == {1}


def test_full_demo_seed_leaves_consistent_read_models(db, synced):
    """`demo seed` ends with the read models equal to a rebuild: the open cycle's live rows are the
    computed scores, and item analysis counts every finished demo attempt."""
    from app.appraisal.scoring import score_select
    from app.demo.cli import seed_organisation
    from app.quizzes.item_stats import item_analysis
    from app.quizzes.models import Attempt
    from app.readmodels import all_read_models

    seed_organisation(dt.date.today())
    snapshots = {m.name: m.snapshot() for m in all_read_models()}
    assert snapshots["quiz_item_stats"] and snapshots["cycle_live_scores"]
    current = db.session.scalar(select(Cycle).where(Cycle.name == CURRENT_NAME))
    assert [tuple(r) for r in db.session.execute(cycle_scores(current))] == \
        [tuple(r) for r in db.session.execute(score_select(current))]
    finished = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.finished_at.is_not(None)))
    assert item_analysis().attempts == finished > 0
    for model in all_read_models():
        model.rebuild()
    assert {m.name: m.snapshot() for m in all_read_models()} == snapshots
