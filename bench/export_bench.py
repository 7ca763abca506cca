"""Export benchmark: N employees × one cycle, CSV and XLSX exports against a raw sqlite3 CSV dump.

    .venv/bin/python bench/export_bench.py --rows 10000 [--rows 100000] [--json]

Builds a temporary SQLite database (SQLAlchemy Core bulk inserts: departments, teams, employees,
five assignments and about six results each), creates one cycle and times, through the very
functions the web download and ``flask appraisal export`` use (``export_stream``):

* the export of the **open** cycle (live scoring in SQL) and of the **closed** cycle (snapshot rows),
  CSV and XLSX, written to a file;
* a raw ``sqlite3`` + ``csv`` dump of the same snapshot rows, measured in the same run, as the
  baseline of the ratio;
* time to first byte (first chunk out of the generator), and peak Python memory (tracemalloc,
  in a separate pass so that tracing does not distort the timings) plus the process's max RSS.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.appraisal.cycles import CycleData, create_cycle  # noqa: E402
from app.appraisal.exports import export_stream  # noqa: E402
from app.appraisal.snapshots import close_cycle  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.database import deferred_transactions  # noqa: E402
from app.extensions import db  # noqa: E402
from app.people.models import Department, Employee, Team  # noqa: E402
from app.results.models import Result  # noqa: E402
from app.training.models import Assignment  # noqa: E402

START, END = dt.date(2026, 7, 1), dt.date(2026, 12, 31)
AS_OF = dt.date(2027, 1, 5)
ACTIVITIES = (("quiz", "new-hire-final"), ("quiz", "complaints-quiz"), ("scenario", "elevator-escort"),
              ("language", "greeting"), ("observation", "grooming"))
BATCH = 5000


def build(n: int, rng: random.Random) -> None:
    """Bulk-insert the organisation, assignments and results (Core, executemany)."""
    departments = [{"id": i + 1, "name": f"部门{i + 1:02d}", "active": True} for i in range(20)]
    db.session.execute(insert(Department), departments)
    leaders = [{"id": i + 1, "employee_no": f"S{i + 1:05d}", "name": f"主管{i + 1}", "department_id": i % 20 + 1,
                "role": "supervisor", "position": "主管", "password_hash": "", "active": True,
                "must_change_password": False, "session_version": 1} for i in range(100)]
    db.session.execute(insert(Employee), leaders)
    teams = [{"id": i + 1, "name": f"班组{i + 1}", "department_id": i % 20 + 1, "leader_id": i + 1, "active": True}
             for i in range(100)]
    db.session.execute(insert(Team), teams)
    next_id = 101
    source = 1
    for start in range(0, n, BATCH):
        people, assignments, results = [], [], []
        for k in range(start, min(n, start + BATCH)):
            team = k % 100 + 1
            name = f"员工{k}" if k % 97 else f"=HYPERLINK(\"x\",\"{k}\")"  # a few formula look-alikes
            people.append({"id": next_id, "employee_no": f"E{k:07d}", "name": name, "department_id": (team - 1) % 20 + 1,
                           "team_id": team, "role": "trainee", "position": "客服专员", "password_hash": "",
                           "active": True, "must_change_password": False, "session_version": 1})
            for kind, activity in ACTIVITIES:
                due = START + dt.timedelta(days=rng.randint(10, 170))
                assignments.append({"employee_id": next_id, "activity_kind": kind, "activity_id": activity,
                                    "due_date": due, "note": "", "source": "manual",
                                    "created_at": dt.datetime(2026, 6, 25)})
                for _ in range(0 if rng.random() < 0.1 else rng.choice((1, 1, 2))):
                    finished = dt.datetime.combine(due, dt.time(2)) - dt.timedelta(days=rng.randint(0, 9))
                    results.append({"employee_id": next_id, "kind": kind, "activity_id": activity,
                                    "source_id": source, "score": round(rng.uniform(30, 100), 2),
                                    "passed": None, "finished_at": finished})
                    source += 1
            next_id += 1
        db.session.execute(insert(Employee), people)
        db.session.execute(insert(Assignment), assignments)
        db.session.execute(insert(Result), results)
    db.session.commit()


def timed_export(cycle, fmt: str, path: Path) -> dict:
    """Write one export to ``path``: seconds to the first chunk (CSV: BOM and header), to the first
    chunk of data rows (CSV; XLSX has it all in its first chunk), in total, and the size."""
    started = time.perf_counter()
    marks: list[float] = []
    size = 0
    with deferred_transactions(), open(path, "wb") as fh:
        for chunk in export_stream(cycle, fmt):
            if len(marks) < 2:
                marks.append(time.perf_counter() - started)
            fh.write(chunk)
            size += len(chunk)
        db.session.rollback()
    first = marks[0]
    first_rows = marks[1] if fmt == "csv" and len(marks) > 1 else first
    return {"seconds": time.perf_counter() - started, "first_byte": first, "first_rows": first_rows, "bytes": size}


def traced_peak(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def raw_dump(db_path: Path, cycle_id: int, path: Path) -> dict:
    """The baseline: sqlite3 + csv over the same snapshot rows and columns, no app code at all."""
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    rows = connection.execute(
        "SELECT employee_no, name, department, team, position, supervisor, theory, practice, observation, total, "
        "band, completion, overdue, adjustment, adjustment_reason FROM appraisal_cycle_score "
        "WHERE cycle_id = ? AND superseded = 0 ORDER BY employee_no", (cycle_id,))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    connection.close()
    return {"seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


def run(n: int, workdir: Path) -> dict:
    db_path = workdir / f"bench-{n}.db"
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    app = create_app(config)
    report: dict = {"rows": n}
    with app.app_context():
        db.create_all()
        t = time.perf_counter()
        build(n, random.Random(n))
        report["build_seconds"] = round(time.perf_counter() - t, 2)
        cycle = create_cycle(CycleData(name="基准周期", starts_on=START, ends_on=END), actor_id=None)
        db.session.commit()
        # open cycle: live scoring in SQL
        for fmt in ("csv", "xlsx"):
            report[f"open_{fmt}"] = timed_export(cycle, fmt, workdir / f"open.{fmt}")
        t = time.perf_counter()
        written = close_cycle(cycle, actor_id=None, as_of=AS_OF)
        db.session.commit()
        report["close_seconds"] = round(time.perf_counter() - t, 2)
        report["snapshot_rows"] = written
        report["raw_sqlite3_csv"] = raw_dump(db_path, cycle.id, workdir / "raw.csv")
        for fmt in ("csv", "xlsx"):
            report[f"closed_{fmt}"] = timed_export(cycle, fmt, workdir / f"closed.{fmt}")
        report["raw_sqlite3_csv_again"] = raw_dump(db_path, cycle.id, workdir / "raw.csv")
        baseline = min(report["raw_sqlite3_csv"]["seconds"], report["raw_sqlite3_csv_again"]["seconds"])
        for key in ("open_csv", "open_xlsx", "closed_csv", "closed_xlsx"):
            report[key]["ratio_to_raw"] = round(report[key]["seconds"] / baseline, 2)
            report[key]["peak_mib"] = round(traced_peak(
                lambda key=key: timed_export(cycle, key.split("_")[1], workdir / "traced.out")) / 2**20, 2)
        report["raw_peak_mib"] = round(traced_peak(lambda: raw_dump(db_path, cycle.id, workdir / "raw.csv")) / 2**20, 2)
        db.session.remove()
        db.engine.dispose()
    report["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def show(report: dict) -> None:
    n = report["rows"]
    raw = min(report["raw_sqlite3_csv"]["seconds"], report["raw_sqlite3_csv_again"]["seconds"])
    print(f"\n== {n:,} employees (build {report['build_seconds']} s, close {report['close_seconds']} s, "
          f"{report['snapshot_rows']:,} snapshot rows) ==")
    print(f"{'export':<14}{'seconds':>9}{'× raw':>8}{'1st byte ms':>13}{'1st rows ms':>13}{'size KiB':>10}"
          f"{'peak MiB':>10}")
    print(f"{'raw sqlite3':<14}{raw:>9.3f}{1:>8.2f}{'':>13}{'':>13}{report['raw_sqlite3_csv']['bytes'] / 1024:>10.0f}"
          f"{report['raw_peak_mib']:>10.2f}")
    for key in ("closed_csv", "closed_xlsx", "open_csv", "open_xlsx"):
        r = report[key]
        print(f"{key:<14}{r['seconds']:>9.3f}{r['ratio_to_raw']:>8.2f}{r['first_byte'] * 1000:>13.1f}"
              f"{r['first_rows'] * 1000:>13.1f}{r['bytes'] / 1024:>10.0f}{r['peak_mib']:>10.2f}")
    print(f"process max RSS so far: {report['max_rss_mib']} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="employees (repeatable); default 10000")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = parser.parse_args()
    os.environ.setdefault("APP_ENV", "testing")
    reports = []
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        for n in args.rows or [10_000]:
            report = run(n, Path(tmp))
            show(report)
            reports.append(report)
    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
