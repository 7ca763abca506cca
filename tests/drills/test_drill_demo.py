"""The shipped drills end to end: every scenario can be played to an ending; demo seed."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo.drills import seed_drills
from app.demo.people import seed_people
from app.drills.models import Observation, Scenario, ScenarioRun
from app.drills.scenario.services import choose, start_run
from app.results.models import Result


def test_every_shipped_scenario_can_be_played_to_an_ending(db, shipped_drills, make_employee):
    trainee = make_employee()
    scenarios = db.session.scalars(select(Scenario)).all()
    assert len(scenarios) >= 8
    for strategy in (max, min):  # always the best choice, then always the worst
        for scenario in scenarios:
            run = start_run(trainee, scenario.id)
            for _ in range(30):
                if run.finished:
                    break
                choices = run.version.spec["nodes"][run.current_node]["choices"]
                pick = strategy(range(len(choices)), key=lambda i, c=choices: c[i]["score"])
                choose(run.id, trainee.id, run.position, run.current_node, pick)
            if strategy is max:
                assert run.finished and run.score == 100.0, scenario.id
            elif not run.finished:  # the worst choice may loop (a way out exists): take the best once
                choices = run.version.spec["nodes"][run.current_node]["choices"]
                best = max(range(len(choices)), key=lambda i: choices[i]["score"])
                choose(run.id, trainee.id, run.position, run.current_node, best)
            db.session.commit()
    finished = db.session.scalar(select(func.count()).select_from(ScenarioRun).where(ScenarioRun.state == "finished"))
    assert finished == 2 * len(scenarios)


def test_demo_seed_is_idempotent_and_writes_results_for_each_kind(db, shipped_drills):
    import datetime as dt

    today = dt.date(2026, 3, 2)
    seed_people(today)
    db.session.commit()
    seed_drills(today)
    db.session.commit()
    counts = dict(db.session.execute(select(Result.kind, func.count()).group_by(Result.kind)).all())
    assert set(counts) >= {"scenario", "complaint", "language", "observation"}
    observations = db.session.scalar(select(func.count()).select_from(Observation))
    open_runs = db.session.scalar(select(func.count()).select_from(ScenarioRun).where(ScenarioRun.state == "in_progress"))
    assert observations == 20 and open_runs == 1
    seed_drills(today)
    db.session.commit()
    assert dict(db.session.execute(select(Result.kind, func.count()).group_by(Result.kind)).all()) == counts
    assert db.session.scalar(select(func.count()).select_from(Observation)) == observations
