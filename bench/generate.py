"""Build a realistic organisation for the benchmarks (SQLite or PostgreSQL).

    .venv/bin/python bench/generate.py [--scale 1.0] [--database-url sqlite:///bench/tmp/bench.db]

At ``--scale 1`` (the default): 2,000 employees in 40 teams (the first team, 前台一班, has exactly
50 members), the full shipped content (real content sync), three appraisal cycles (two closed
through the real close service, one open), ≈ 200,000 quiz responses (attempt items), 20,000
scenario drill runs with their steps, 5,000 observations with their marks, the assignments and
the Result rows that appraisal scoring reads.

Realistic rows without 200,000 service calls: for every quiz and scenario a few *template*
attempts/runs are played through the real services (draw, freeze, save, grade; choose, finish),
then cloned with SQLAlchemy Core bulk inserts (executemany of dict lists, in chunks) onto other
employees and dates. Observations are built from the synced checklists directly.

The accounts the benchmark logs in with (password ``Academy-2026``, hashed once for all):
``T00001`` a trainee of 前台一班, ``S00001`` its supervisor (50 people), ``H00001`` HR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

PASSWORD = "Academy-2026"
DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'tmp' / 'bench.db'}"
CHUNK = 5000
DEPARTMENTS = ("客服部", "工程部", "秩序部", "保洁部", "绿化部", "品质部", "行政部", "财务部")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲婷雪琳晨宇浩然欣怡佳"
TEMPLATES_PER_QUIZ = 6
TEMPLATES_PER_SCENARIO = 4


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", flush=True)


def bench_config(url: str):
    from app.config import Config

    class BenchConfig(Config):
        SECRET_KEY = "bench-" + "x" * 40
        SQLALCHEMY_DATABASE_URI = url
        SESSION_COOKIE_SECURE = False

    return BenchConfig


def fresh_database(url: str) -> None:
    """Delete the SQLite file, or create (drop first) the PostgreSQL database named in the URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    if parsed.database in {"postgres", "test", "template0", "template1"}:
        raise SystemExit(f"refusing to drop database {parsed.database!r}: name a dedicated one")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def bulk(model, rows: list[dict]) -> None:
    from app.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[start:start + CHUNK])


def commit_batch() -> None:
    """Commit between bulk batches: one transaction of millions of rows makes SQLite's WAL grow to
    gigabytes (pages spilled and rewritten again and again) and never lets it checkpoint; the
    database is a throw-away being built, so partial commits cost nothing."""
    from app.extensions import db

    db.session.commit()


def next_id(model) -> int:
    from app.extensions import db

    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def fix_sequences() -> None:
    """After explicit ids on PostgreSQL, move each serial sequence past the highest id."""
    from app.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement and str(table.c.id.type) == "INTEGER":
            db.session.execute(db.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


# --- the organisation ----------------------------------------------------------------------------


def build_people(n_employees: int, n_teams: int, rng: random.Random) -> dict:
    from app.extensions import db
    from app.people.models import Department, Employee, Team
    from app.people.passwords import hash_password

    password_hash = hash_password(PASSWORD)
    departments = [{"id": i + 1, "name": name, "active": True} for i, name in enumerate(DEPARTMENTS)]
    bulk(Department, departments)
    base = dict(password_hash=password_hash, active=True, must_change_password=False, session_version=1)
    people = [
        {"id": 1, "employee_no": "A00001", "name": "管理员", "role": "admin", "position": "系统管理员",
         "department_id": 7, **base},
        {"id": 2, "employee_no": "H00001", "name": "何人事", "role": "hr", "position": "人事专员",
         "department_id": 7, **base},
    ]
    supervisors = []
    for t in range(n_teams):
        supervisors.append({"id": 3 + t, "employee_no": f"S{t + 1:05d}", "name": f"{SURNAMES[t % len(SURNAMES)]}主管",
                            "role": "supervisor", "position": "主管", "department_id": t % len(DEPARTMENTS) + 1,
                            **base})
    people += supervisors
    bulk(Employee, people)
    team_names = ["前台一班"] + [f"{DEPARTMENTS[t % len(DEPARTMENTS)][:2]}{t // len(DEPARTMENTS) + 1}班"
                              for t in range(1, n_teams)]
    teams = [{"id": t + 1, "name": team_names[t], "department_id": t % len(DEPARTMENTS) + 1,
              "leader_id": 3 + t, "active": True} for t in range(n_teams)]
    bulk(Team, teams)
    db.session.execute(db.update(Employee).where(Employee.role == "supervisor")
                       .values(team_id=Employee.id - 2))
    trainees = []
    remaining = max(n_employees - len(people), 0)
    first_team = min(50, remaining)
    ident = len(people) + 1
    hire_floor = dt.date(2019, 1, 1)
    for k in range(remaining):
        team = 1 if k < first_team else 2 + (k - first_team) % max(n_teams - 1, 1)
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))] + (
            GIVEN[rng.randrange(len(GIVEN))] if rng.random() < 0.6 else "")
        trainees.append({"id": ident, "employee_no": f"T{k + 1:05d}", "name": name, "role": "trainee",
                         "position": "客服专员" if team % 8 == 1 else "员工", "team_id": team,
                         "department_id": teams[team - 1]["department_id"],
                         "hire_date": hire_floor + dt.timedelta(days=rng.randrange(2500)), **base})
        ident += 1
    bulk(Employee, trainees)
    db.session.flush()
    return {"trainees": [t["id"] for t in trainees], "team_of": {t["id"]: t["team_id"] for t in trainees},
            "leader_of_team": {t["id"]: t["leader_id"] for t in teams}}


# --- templates played through the real services --------------------------------------------------


def random_form(views, rng: random.Random) -> MultiDict:
    form = MultiDict()
    for view in views:
        form.add("items", str(view.position))
        if view.input == "radio":
            form.add(view.field, rng.choice(view.options).value)
        elif view.input == "checkbox":
            for option in view.options:
                if rng.random() < 0.5:
                    form.add(view.field, option.value)
        elif view.input == "order":
            ranks = list(range(1, len(view.options) + 1))
            rng.shuffle(ranks)
            for index, rank in enumerate(ranks):
                form.add(f"{view.field}-{index}", str(rank))
        else:
            form.add(view.field, rng.choice(["", "24", "30分钟", "您好", "1"]))
    return form


def quiz_templates(employee_ids: list[int], rng: random.Random) -> dict[str, list[dict]]:
    """A few attempts per quiz played for real; their rows (attempt + items) as dicts to clone."""
    from app.extensions import db
    from app.quizzes import attempts as quiz_attempts
    from app.quizzes.forms import answers_from_form
    from app.quizzes.models import Attempt, AttemptItem, Quiz
    from app.quizzes.presenters import page_views

    templates: dict[str, list[dict]] = {}
    quizzes = list(db.session.scalars(select(Quiz).where(Quiz.retired.is_(False))))
    item_columns = [c.key for c in AttemptItem.__table__.columns if c.key not in {"id", "attempt_id"}]
    for quiz in quizzes:
        for k in range(TEMPLATES_PER_QUIZ):
            employee_id = employee_ids[k % len(employee_ids)]
            attempt, _created = quiz_attempts.start_attempt(employee_id, quiz.id, rng=random.Random(rng.random()))
            form = random_form(page_views(attempt.items), rng)
            quiz_attempts.save_answers(attempt.id, employee_id, answers_from_form(form, attempt.items))
            attempt, _graded = quiz_attempts.submit_attempt(attempt.id, employee_id)
            db.session.flush()
            attempt = db.session.get(Attempt, attempt.id)
            items = [{c: getattr(item, c) for c in item_columns} for item in attempt.items]
            templates.setdefault(quiz.id, []).append(
                {"score": attempt.score, "passed": attempt.passed, "pass_mark": attempt.pass_mark, "items": items})
    db.session.commit()
    log(f"quiz templates: {sum(len(v) for v in templates.values())} attempts over {len(templates)} quizzes")
    return templates


def scenario_templates(employee_ids: list[int], rng: random.Random) -> dict[str, list[dict]]:
    from app.drills.models import Scenario
    from app.drills.scenario import services as scenario_services
    from app.extensions import db
    from app.people.models import Employee

    templates: dict[str, list[dict]] = {}
    for scenario in db.session.scalars(select(Scenario)):
        for k in range(TEMPLATES_PER_SCENARIO):
            employee = db.session.get(Employee, employee_ids[k % len(employee_ids)])
            try:
                run = scenario_services.start_run(employee, scenario.id)
            except Exception as exc:  # a retired or unavailable scenario
                log(f"scenario {scenario.id} skipped: {exc}")
                break
            for _ in range(50):
                if run.finished:
                    break
                node = scenario_services.current_node(run)
                choice = rng.randrange(len(node["choices"]))
                run = scenario_services.choose(run.id, employee.id, run.position, run.current_node, choice).run
            if not run.finished:
                continue
            steps = [{"position": s.position, "node_id": s.node_id, "choice_index": s.choice_index,
                      "score": s.score, "best": s.best, "worst": s.worst} for s in run.steps]
            templates.setdefault(scenario.id, []).append(
                {"version_id": run.version_id, "current_node": run.current_node, "position": run.position,
                 "score": run.score, "steps": steps})
    db.session.commit()
    log(f"scenario templates: {sum(len(v) for v in templates.values())} runs over {len(templates)} scenarios")
    return templates


# --- cycles, assignments and bulk activity -------------------------------------------------------


def cycle_windows(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Two closed half-year cycles and the open one around today."""
    open_start = today - dt.timedelta(days=150)
    open_end = today + dt.timedelta(days=30)
    second_end = open_start - dt.timedelta(days=1)
    second_start = second_end - dt.timedelta(days=181)
    first_end = second_start - dt.timedelta(days=1)
    first_start = first_end - dt.timedelta(days=181)
    return [("基准考核一期", first_start, first_end), ("基准考核二期", second_start, second_end),
            ("基准考核三期（进行中）", open_start, open_end)]


def moment(rng: random.Random, start: dt.date, end: dt.date, ceiling: dt.datetime) -> dt.datetime:
    span = max((end - start).days, 1)
    value = dt.datetime.combine(start, dt.time(1)) + dt.timedelta(days=rng.randrange(span),
                                                                  minutes=rng.randrange(12 * 60))
    return min(value, ceiling)


def build_activity(people: dict, windows, quiz_t, scenario_t, scale: float, rng: random.Random) -> dict:
    from app.drills.models import Checklist, Observation, ObservationMark, ScenarioRun, ScenarioStep
    from app.extensions import db
    from app.quizzes.models import Attempt, AttemptItem
    from app.results.models import Result
    from app.training.models import Assignment

    trainees = people["trainees"]
    now = dt.datetime.utcnow().replace(microsecond=0) - dt.timedelta(hours=1)
    counts = {"assignments": 0, "attempts": 0, "attempt_items": 0, "runs": 0, "steps": 0,
              "observations": 0, "marks": 0, "results": 0}
    quiz_ids, scenario_ids = sorted(quiz_t), sorted(scenario_t)

    # assignments: per cycle and trainee, two quizzes, two scenarios and one observation checklist
    assignments = []
    for _name, start, end in windows:
        for employee_id in trainees:
            picks = [("quiz", "new-hire-final" if "new-hire-final" in quiz_t else quiz_ids[0]),
                     ("quiz", rng.choice(quiz_ids)), ("scenario", rng.choice(scenario_ids)),
                     ("scenario", rng.choice(scenario_ids)), ("observation", "grooming")]
            for kind, activity in dict.fromkeys(picks):
                assignments.append({"employee_id": employee_id, "activity_kind": kind, "activity_id": activity,
                                    "assigned_by_id": people["leader_of_team"][people["team_of"][employee_id]],
                                    "due_date": start + dt.timedelta(days=rng.randrange(20, (end - start).days)),
                                    "note": "", "source": "manual",
                                    "created_at": dt.datetime.combine(start, dt.time(2))})
    bulk(Assignment, assignments)
    counts["assignments"] = len(assignments)

    # quiz attempts: cloned from the templates until ≈ 200,000 × scale responses
    target_items = int(200_000 * scale)
    attempt_id, item_id, result_id = next_id(Attempt), next_id(AttemptItem), next_id(Result)
    numbers: dict[tuple[int, str], int] = {}
    attempts, items, results = [], [], []

    def flush_quiz() -> None:
        bulk(Attempt, attempts)
        bulk(AttemptItem, items)
        bulk(Result, results)
        commit_batch()
        attempts.clear(), items.clear(), results.clear()

    while counts["attempt_items"] < target_items:
        employee_id = rng.choice(trainees)
        quiz_id = rng.choice(quiz_ids)
        _name, start, end = rng.choice(windows)
        template = rng.choice(quiz_t[quiz_id])
        finished = moment(rng, start, end, now)
        number = numbers[(employee_id, quiz_id)] = numbers.get((employee_id, quiz_id), 0) + 1
        score = max(0.0, min(100.0, round((template["score"] or 0) + rng.uniform(-15, 25), 1)))
        attempts.append({"id": attempt_id, "employee_id": employee_id, "quiz_id": quiz_id, "number": 100 + number,
                         "state": "submitted", "started_at": finished - dt.timedelta(minutes=rng.randint(5, 40)),
                         "deadline": None, "finished_at": finished, "score": score,
                         "passed": score >= template["pass_mark"], "pass_mark": template["pass_mark"],
                         "current_page": 1})
        for row in template["items"]:
            items.append({**row, "id": item_id, "attempt_id": attempt_id, "saved_at": finished})
            item_id += 1
        results.append({"id": result_id, "employee_id": employee_id, "kind": "quiz", "activity_id": quiz_id,
                        "source_id": attempt_id, "score": score, "passed": score >= template["pass_mark"],
                        "finished_at": finished})
        counts["attempts"] += 1
        counts["attempt_items"] += len(template["items"])
        attempt_id, result_id = attempt_id + 1, result_id + 1
        if len(items) >= 4 * CHUNK:
            flush_quiz()
    flush_quiz()
    counts["results"] += counts["attempts"]
    log(f"quiz: {counts['attempts']:,} attempts, {counts['attempt_items']:,} responses")

    # scenario runs
    run_id, step_id = next_id(ScenarioRun), next_id(ScenarioStep)
    runs, steps = [], []
    for _ in range(int(20_000 * scale)):
        employee_id = rng.choice(trainees)
        scenario_id = rng.choice(scenario_ids)
        template = rng.choice(scenario_t[scenario_id])
        _name, start, end = rng.choice(windows)
        finished = moment(rng, start, end, now)
        started = finished - dt.timedelta(minutes=rng.randint(2, 15))
        runs.append({"id": run_id, "employee_id": employee_id, "scenario_id": scenario_id,
                     "version_id": template["version_id"], "state": "finished", "open_slot": None,
                     "current_node": template["current_node"], "position": template["position"],
                     "score": template["score"], "started_at": started, "updated_at": finished,
                     "finished_at": finished})
        for step in template["steps"]:
            steps.append({**step, "id": step_id, "run_id": run_id, "created_at": finished})
            step_id += 1
        results.append({"id": result_id, "employee_id": employee_id, "kind": "scenario",
                        "activity_id": scenario_id, "source_id": run_id, "score": template["score"],
                        "passed": None, "finished_at": finished})
        run_id, result_id = run_id + 1, result_id + 1
        counts["runs"] += 1
        counts["steps"] += len(template["steps"])
        if len(steps) >= 4 * CHUNK:
            bulk(ScenarioRun, runs), bulk(ScenarioStep, steps), bulk(Result, results)
            commit_batch()
            runs.clear(), steps.clear(), results.clear()
    bulk(ScenarioRun, runs), bulk(ScenarioStep, steps), bulk(Result, results)
    counts["results"] += counts["runs"]
    results.clear()
    log(f"scenario: {counts['runs']:,} runs, {counts['steps']:,} steps")

    # observations by each employee's team leader
    checklists = list(db.session.scalars(select(Checklist)))
    observation_id, mark_id = next_id(Observation), next_id(ObservationMark)
    observations, marks = [], []
    for _ in range(int(5_000 * scale)):
        employee_id = rng.choice(trainees)
        checklist = checklists[0] if rng.random() < 0.5 else rng.choice(checklists)
        _name, start, end = rng.choice(windows)
        observed_at = moment(rng, start, end, now)
        passed = observed = 0
        for position, item in enumerate(checklist.spec["items"], start=1):
            mark = rng.choices(("pass", "fail", "not_observed"), (75, 15, 10))[0]
            observed += mark != "not_observed"
            passed += mark == "pass"
            marks.append({"id": mark_id, "observation_id": observation_id, "item_id": item["id"],
                          "position": position, "text": item["text"], "mark": mark,
                          "note": "需改进" if mark == "fail" else ""})
            mark_id += 1
        score = round(100 * passed / observed, 1) if observed else 0.0
        observations.append({"id": observation_id, "checklist_id": checklist.id,
                             "content_hash": checklist.content_hash, "employee_id": employee_id,
                             "observer_id": people["leader_of_team"][people["team_of"][employee_id]],
                             "token": secrets.token_hex(16), "passed": passed, "observed": observed,
                             "score": score, "observed_at": observed_at})
        results.append({"id": result_id, "employee_id": employee_id, "kind": "observation",
                        "activity_id": checklist.id, "source_id": observation_id, "score": score,
                        "passed": None, "finished_at": observed_at})
        observation_id, result_id = observation_id + 1, result_id + 1
    bulk(Observation, observations), bulk(ObservationMark, marks), bulk(Result, results)
    counts["observations"], counts["marks"] = len(observations), len(marks)
    counts["results"] += len(observations)
    log(f"observations: {counts['observations']:,} with {counts['marks']:,} marks")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 2,000 employees, 200k responses …")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    os.environ.setdefault("APP_ENV", "production")

    from app import create_app
    from app.appraisal.cycles import CycleData, create_cycle
    from app.appraisal.snapshots import close_cycle
    from app.content.loader import load_content
    from app.content.plugins import plugins
    from app.content.sync import sync_content
    from app.extensions import db

    started = time.perf_counter()
    rng = random.Random(args.seed)
    fresh_database(args.database_url)
    app = create_app(bench_config(args.database_url))
    summary: dict = {"database": args.database_url.split("@")[-1], "scale": args.scale}
    with app.app_context():
        db.create_all()
        content = load_content(Path(app.config["CONTENT_DIR"]))
        sync_content(content, plugins())
        db.session.commit()
        log("content synced")
        n_employees = max(int(2000 * args.scale), 120)
        n_teams = max(int(40 * args.scale), 2)
        people = build_people(n_employees, n_teams, rng)
        db.session.commit()
        log(f"{n_employees:,} employees in {n_teams} teams")
        quiz_t = quiz_templates(people["trainees"][-10:], rng)
        scenario_t = scenario_templates(people["trainees"][-10:], rng)
        windows = cycle_windows(dt.date.today())
        counts = build_activity(people, windows, quiz_t, scenario_t, args.scale, rng)
        fix_sequences()
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # what autovacuum does soon after a bulk load in a real database: without statistics the
            # planner walked ix_result_kind_activity for every assignment (the read-model rebuild at
            # 20,000 employees ran for more than 6 minutes instead of seconds)
            t = time.perf_counter()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            log(f"ANALYZE in {time.perf_counter() - t:.1f} s")
        cycles = []
        for index, (name, start, end) in enumerate(windows):
            cycle = create_cycle(CycleData(name=name, starts_on=start, ends_on=end), actor_id=2)
            db.session.commit()
            if index < 2:
                t = time.perf_counter()
                rows = close_cycle(cycle, actor_id=2, as_of=end + dt.timedelta(days=1))
                db.session.commit()
                log(f"closed {name}: {rows:,} scores in {time.perf_counter() - t:.1f} s")
            cycles.append(cycle.id)
        # the bulk inserts above bypass the services: recompute the read models from the rows
        from app.readmodels import all_read_models

        for read_model in all_read_models():
            t = time.perf_counter()
            rows = read_model.rebuild()
            db.session.commit()
            log(f"read model {read_model.name}: {rows:,} rows in {time.perf_counter() - t:.1f} s")
        from app.readmodels.statistics import refresh_statistics

        refresh_statistics(all_read_models())  # as `flask readmodels rebuild` does (PostgreSQL)
        summary.update(counts, employees=n_employees, teams=n_teams, cycles=cycles,
                       seconds=round(time.perf_counter() - started, 1))
        db.session.remove()
        db.engine.dispose()
    log(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
