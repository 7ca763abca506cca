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
  in a separate pass so that tracing does not distort the timings) plus the process's max RSS;
* the max RSS of a **child process** that does nothing but one export of the closed cycle (or the raw
  dump) to a file (``--measure-export``), so that memory per export compares across sizes;
* the close itself **as a background job** (``app/jobs``: ``enqueue_close`` → the in-process runner,
  the same code path as ``rq worker``), timed, with the progress reports the job page would show.
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
import subprocess
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


def close_through_job(cycle) -> dict:
    """Close ``cycle`` as the web does above EXPORT_JOB_ROWS: a queued job, run by the in-process
    runner (JOBS_WAIT: the commit returns when it is done), with every progress report recorded."""
    from app.appraisal.jobs import enqueue_close
    from app.jobs.models import Job
    from app.jobs.registry import JobContext

    reports: list[dict] = []
    original = JobContext.report
    started = time.perf_counter()

    def recording(self, percent, message=""):
        written = original(self, percent, message)
        reports.append({"t": round(time.perf_counter() - started, 3), "percent": round(percent, 1),
                        "written": written})
        return written

    JobContext.report = recording
    try:
        job = enqueue_close(cycle, actor_id=None)
        job_id = job.id
        db.session.commit()  # dispatches; JOBS_WAIT makes this wait for the runner thread
        from app.jobs.service import wait_for_threads

        wait_for_threads(timeout=3600)
    finally:
        JobContext.report = original
    seconds = round(time.perf_counter() - started, 2)
    db.session.expire_all()
    row = db.session.get(Job, job_id)
    return {"seconds": seconds, "state": row.state, "progress": row.progress, "rows": (row.result or {}).get("rows"),
            "reports": len(reports), "reports_written": sum(r["written"] for r in reports),
            "report_times": reports[:3] + reports[-3:] if len(reports) > 6 else reports}


def child_rss(db_path: Path, cycle_id: int, what: str, workdir: Path) -> dict:
    """Max RSS of a fresh process doing one export (``csv``/``xlsx``) or the raw dump (``raw``)."""
    out = subprocess.run([sys.executable, __file__, "--measure-export", str(db_path), str(cycle_id), what,
                          str(workdir / f"child.{what}")], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM; unlike ru_maxrss it is not inherited from the parent across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_export_child(db_path: str, cycle_id: int, what: str, out: str) -> dict:
    baseline = peak_rss_kib()
    if what == "raw":
        figures = raw_dump(Path(db_path), cycle_id, Path(out))
    else:
        config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
        app = create_app(config)
        from app.appraisal.models import Cycle

        with app.app_context():
            baseline = peak_rss_kib()
            figures = timed_export(db.session.get(Cycle, cycle_id), what, Path(out))
    peak = peak_rss_kib()
    return {"seconds": round(figures["seconds"], 3), "max_rss_mib": round(peak / 1024, 1),
            "rss_growth_mib": round((peak - baseline) / 1024, 1)}


def run(n: int, workdir: Path, close_as_job: bool = True) -> dict:
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
        if close_as_job:
            report["close_job"] = close_through_job(cycle)
            report["close_seconds"] = report["close_job"]["seconds"]
            db.session.expire_all()
            written = report["close_job"]["rows"]
        else:
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
        cycle_id = cycle.id
        db.session.remove()
        report["child_rss"] = {what: child_rss(db_path, cycle_id, what, workdir) for what in ("raw", "csv", "xlsx")}
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
    for what, figures in report.get("child_rss", {}).items():
        print(f"child process, {what} only: max RSS {figures['max_rss_mib']} MiB "
              f"(+{figures['rss_growth_mib']} MiB during it), {figures['seconds']} s")
    job = report.get("close_job")
    if job:
        print(f"close as a job: {job['seconds']} s, {job['state']}, {job['reports']} progress reports "
              f"({job['reports_written']} written while running)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="employees (repeatable); default 10000")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--measure-export", nargs=4, metavar=("DB", "CYCLE", "WHAT", "OUT"),
                        help=argparse.SUPPRESS)  # the child process of child_rss()
    parser.add_argument("--no-job", action="store_true", help="close with the synchronous service, not a job")
    args = parser.parse_args()
    if args.measure_export:
        db_path, cycle_id, what, out = args.measure_export
        print(json.dumps(measure_export_child(db_path, int(cycle_id), what, out)))
        return 0
    os.environ.setdefault("APP_ENV", "testing")
    reports = []
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        for n in args.rows or [10_000]:
            report = run(n, Path(tmp), close_as_job=not args.no_job)
            show(report)
            reports.append(report)
    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
