"""The role-play engine: scores along several paths, resume, double POSTs, review, results."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.drills.models import RunState, ScenarioRun, ScenarioStep, ScenarioStepClause
from app.drills.scenario.scoring import normalised_score
from app.drills.scenario.services import choose, start_run
from app.people.models import Role
from app.results.models import Result

# test-desk: a(3 | 0 | -2→retry), retry(1→a | -1→bad-end), b(3→wrap | -2→bad-end), wrap(1 only)
PATHS = [
    ([("a", 0), ("b", 0), ("wrap", 0)], 100.0, "good-end"),      # 5/5 + 5/5 (+ wrap: no spread)
    ([("a", 1), ("b", 1)], 20.0, "bad-end"),                     # (2 + 0) / (5 + 5)
    ([("a", 2), ("retry", 0), ("a", 0), ("b", 0), ("wrap", 0)], 70.6, "good-end"),  # 12 / 17
    ([("a", 2), ("retry", 1)], 0.0, "bad-end"),                  # 0 / 7
    ([("a", 1), ("b", 0), ("wrap", 0)], 70.0, "good-end"),       # (2 + 5) / 10
]


def play(db, employee, path, scenario_id="test-desk"):
    run = start_run(employee, scenario_id)
    for position, (node, index) in enumerate(path):
        outcome = choose(run.id, employee.id, position, node, index)
        assert outcome.recorded
    db.session.commit()
    return run


def test_normalised_score_formula():
    step = SimpleNamespace
    assert normalised_score([]) == 100.0
    assert normalised_score([step(score=1, best=1, worst=1)]) == 100.0
    assert normalised_score([step(score=3, best=3, worst=-2), step(score=1, best=3, worst=-2),
                             step(score=-2, best=3, worst=-2)]) == 53.3  # the README example


@pytest.mark.parametrize(("path", "score", "ending"), PATHS)
def test_scores_along_several_paths(db, drill_catalog, make_employee, path, score, ending):
    trainee = make_employee()
    run = play(db, trainee, path)
    assert run.finished and run.current_node == ending
    assert run.score == score
    result = db.session.scalar(select(Result).where(Result.kind == "scenario", Result.source_id == run.id))
    assert (result.employee_id, result.activity_id, result.score) == (trainee.id, "test-desk", score)
    assert result.finished_at == run.finished_at


def test_each_choice_is_stored_as_made_and_the_run_resumes(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    response = client.post("/drills/scenarios/test-desk/start")
    run = db.session.scalar(select(ScenarioRun).where(ScenarioRun.employee_id == trainee.id))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/drills/runs/{run.id}")
    client.post(f"/drills/runs/{run.id}/choose", data={"position": 0, "node": "a", "choice": 0})
    steps = db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)).all()
    assert [(s.node_id, s.choice_index, s.score) for s in steps] == [("a", 0, 3)]
    assert {c.clause_id for c in db.session.scalars(select(ScenarioStepClause))} == {
        "complaints.desk.sofa", "complaints.reception.apologise"}
    # the trainee leaves; starting again resumes the same run at node b
    again = client.post("/drills/scenarios/test-desk/start")
    assert again.headers["Location"].endswith(f"/drills/runs/{run.id}")
    page = client.get(f"/drills/runs/{run.id}").get_data(as_text=True)
    assert "记录投诉。" in page and "逐项记录并留下电话" in page
    assert "先请坐、先道歉。" in page  # immediate feedback on the previous choice
    assert db.session.scalar(select(func.count()).select_from(ScenarioRun)) == 1
    listing = client.get("/drills/").get_data(as_text=True)
    assert f"/drills/runs/{run.id}" in listing  # "continue" from the drill list


def test_double_and_stale_posts_record_nothing(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    client.post("/drills/scenarios/test-desk/start")
    run = db.session.scalar(select(ScenarioRun))
    first = client.post(f"/drills/runs/{run.id}/choose", data={"position": 0, "node": "a", "choice": 1})
    double = client.post(f"/drills/runs/{run.id}/choose", data={"position": 0, "node": "a", "choice": 0})
    assert first.status_code == double.status_code == 302
    steps = db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)).all()
    assert [(s.position, s.choice_index) for s in steps] == [(0, 1)]
    followed = client.get(f"/drills/runs/{run.id}", follow_redirects=True).get_data(as_text=True)
    assert "记录投诉。" in followed
    # tampered input: a choice that does not exist, a node that is not current, junk
    for data in ({"position": 1, "node": "b", "choice": 7}, {"position": 1, "node": "a", "choice": 0},
                 {"position": "x", "node": "b", "choice": "y"}, {}):
        response = client.post(f"/drills/runs/{run.id}/choose", data=data)
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ScenarioStep)) == 1


def test_finishing_via_pages_shows_the_review(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    client.post("/drills/scenarios/test-desk/start")
    run = db.session.scalar(select(ScenarioRun))
    for position, (node, choice) in enumerate([("a", 1), ("b", 0), ("wrap", 0)]):
        response = client.post(f"/drills/runs/{run.id}/choose",
                               data={"position": position, "node": node, "choice": choice})
    assert response.headers["Location"].endswith(f"/drills/runs/{run.id}/review")
    page = client.get(f"/drills/runs/{run.id}/review").get_data(as_text=True)
    assert "70" in page and "住户满意" in page
    assert "站着听" in page and "没有请坐。" in page            # the path replayed with feedback
    assert "请坐并道歉" in page                                  # the best choice it missed
    assert "/lessons/complaints#complaints.desk.sofa" in page   # clause links
    # the finished run's play page goes to the review; a new start makes a new run
    assert client.get(f"/drills/runs/{run.id}").status_code == 302
    client.post("/drills/scenarios/test-desk/start")
    assert db.session.scalar(select(func.count()).select_from(ScenarioRun)) == 2


def test_end_mode_hides_feedback_until_the_review(db, drill_catalog, client, login, make_employee):
    trainee = make_employee()
    login(trainee)
    client.post("/drills/scenarios/test-phone/start")
    run = db.session.scalar(select(ScenarioRun))
    page = client.get(f"/drills/runs/{run.id}").get_data(as_text=True)
    assert "电话响了。" in page and "太慢了。" not in page
    client.post(f"/drills/runs/{run.id}/choose", data={"position": 0, "node": "ring", "choice": 1})
    review = client.get(f"/drills/runs/{run.id}/review").get_data(as_text=True)
    assert "太慢了。" in review
    db.session.expire_all()
    assert db.session.get(ScenarioRun, run.id).score == 0.0  # 2 of 2..10


def test_runs_are_private_except_to_their_supervisor(db, drill_catalog, client, login, make_employee,
                                                     team_setup):
    member = team_setup["members"][0]
    run = play(db, member, [("a", 0), ("b", 0), ("wrap", 0)])
    login(team_setup["members"][1])
    assert client.get(f"/drills/runs/{run.id}/review").status_code == 403
    assert client.get(f"/drills/runs/{run.id}").status_code == 403
    assert client.post(f"/drills/runs/{run.id}/choose", data={"position": 3, "node": "x", "choice": 0}
                       ).status_code == 403
    client.post("/logout")
    login(team_setup["lead"])
    assert client.get(f"/drills/runs/{run.id}/review").status_code == 200
    client.post("/logout")
    login(team_setup["other_lead"])
    assert client.get(f"/drills/runs/{run.id}/review").status_code == 403
    assert client.get("/drills/runs/99999/review").status_code == 404


def test_unknown_or_retired_scenario_is_a_message_not_an_error(db, drill_catalog, client, login_as):
    login_as(Role.TRAINEE)
    response = client.post("/drills/scenarios/nope/start", follow_redirects=True)
    assert response.status_code == 200 and "不可用" in response.get_data(as_text=True)
    assert client.get("/drills/scenarios/nope").status_code == 302


def test_start_and_choose_need_a_csrf_token(app, db, drill_catalog, client, login_as):
    login_as(Role.TRAINEE)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/drills/scenarios/test-desk/start").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(func.count()).select_from(ScenarioRun)) == 0


def test_run_keeps_its_version_when_the_scenario_changes(db, drill_catalog, make_employee, tmp_path):
    from tests.drills.drill_helpers import build_tree, sync_root

    trainee = make_employee()
    run = start_run(trainee, "test-desk")
    choose(run.id, trainee.id, 0, "a", 0)
    db.session.commit()
    root = build_tree(None, tmp_path)
    path = root / "scenarios" / "test-desk.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("记录投诉。", "请记录投诉。"), encoding="utf-8")
    sync_root(root, db)
    choose(run.id, trainee.id, 1, "b", 0)
    choose(run.id, trainee.id, 2, "wrap", 0)
    db.session.commit()
    assert run.finished and run.version.spec["nodes"]["b"]["situation_html"] == "记录投诉。"
    assert run.state == RunState.FINISHED.value


def test_two_simultaneous_posts_of_the_same_step_record_one(app, db, drill_catalog, make_employee):
    import threading

    from app.extensions import db as _db

    trainee = make_employee()
    run = start_run(trainee, "test-desk")
    db.session.commit()
    run_id, employee_id = run.id, trainee.id
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []
    errors: list[str] = []

    def post(choice: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(choose(run_id, employee_id, 0, "a", choice).recorded)
                _db.session.commit()
            except Exception as exc:  # pragma: no cover - what the test guards against
                _db.session.rollback()
                errors.append(repr(exc))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=post, args=(choice,)) for choice in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert errors == [] and sorted(outcomes) == [False, True]
    assert db.session.scalar(select(func.count()).select_from(ScenarioStep)) == 1
