"""`make bench`: throughput and latency of the main pages under wrk, plus the export benchmark.

    .venv/bin/python bench/run.py [--scale 1] [--duration 10] [--runs 3] [--skip-generate]
                                  [--database-url URL] [--export-rows 10000 --export-rows 100000]

1. ``bench/generate.py`` builds the organisation (default scale: 2,000 employees, 200k responses …).
2. One gunicorn (``bench.bench_app:app``: the real app plus a bare ``/bench/hello`` route), 2 sync
   workers, production settings, is started on a free loopback port and serves every figure.
3. Each endpoint is loaded by ``wrk -t2 -c<connections> -d<duration> --latency`` three times; the
   median run (by req/s) gives req/s and p50/p95/p99, each also as a ratio to hello-world measured in
   the same run of the loop. Authenticated pages carry the session cookie of a real login; POSTs
   (autosave) go through a wrk Lua script with the CSRF token.
4. A submit can happen once per attempt, so it is measured by Python threads (same concurrency):
   each starts an attempt, then times the submit POST alone.
5. The export benchmark (``bench/export_bench.py``, 10,000 and 100,000 employees × one cycle).

Writes bench/results/<YYYY-MM-DD>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from tests.support.live_server import BIN, Browser, free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORKERS = 2
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
QUIZZES = ("new-hire-final", "appearance-quiz", "communication-quiz", "complaints-quiz", "service-desk-quiz")
TARGETS = {"lesson": ("ratio", 0.40), "quiz_page": ("ratio", 0.15), "autosave": ("ratio", 0.20),
           "supervisor_dashboard": ("p95_ms", 100.0)}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, database_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
        self.env.update({"APP_ENV": "production", "SECRET_KEY": "bench-" + "k" * 40, "SESSION_COOKIE_SECURE": "0",
                         "DATABASE_URL": database_url, "LOGIN_RATE_LIMIT": "100000 per minute"})
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--worker-class", "sync", "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120", "bench.bench_app:app"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(ROOT / "bench" / "tmp" / "gunicorn.log", "w"),
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Browser(self.url).get("/bench/hello")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start: see bench/tmp/gunicorn.log")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def login(base: str, employee_no: str) -> Browser:
    browser = Browser(base)
    status, _ = browser.post("/login", {"employee_no": employee_no, "password": generate.PASSWORD}, token_from="/login")
    if status != 302:
        raise RuntimeError(f"login of {employee_no} failed ({status})")
    return browser


def cookie_header(browser: Browser) -> str:
    jar = next(h.cookiejar for h in browser.opener.handlers if hasattr(h, "cookiejar"))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def redirect_target(body: str) -> str:
    match = re.search(r'href="([^"]+)"', body)
    if not match:
        raise RuntimeError("no redirect target")
    return urllib.parse.unquote(match.group(1)).replace("&amp;", "&")


# --- wrk -----------------------------------------------------------------------------------------


def parse_wrk(output: str) -> dict:
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        figures[f"p{pct}_ms"] = round(float(match.group(1)) * UNITS[match.group(2)], 2)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures["non_2xx"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors:.*", output)
    figures["socket_errors"] = socket_errors.group(0) if socket_errors else ""
    figures["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    return figures


def p95_script(path: Path) -> None:
    """wrk prints p50/75/90/99 only; this done() hook prints p95 from the same histogram."""
    path.write_text(
        'done = function(summary, latency, requests)\n'
        '  io.write(string.format("P95LATENCY %d\\n", latency:percentile(95)))\n'
        'end\n')


def post_script(path: Path, url_path: str, bodies: list[str], cookie: str) -> None:
    lines = ["local bodies = {" + ", ".join(json.dumps(b) for b in bodies) + "}", "local i = 0",
             'wrk.method = "POST"',
             'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
             f'wrk.headers["Cookie"] = {json.dumps(cookie)}',
             'request = function()', '  i = i % #bodies + 1',
             f'  return wrk.format("POST", {json.dumps(url_path)}, nil, bodies[i])', 'end',
             'done = function(summary, latency, requests)',
             '  io.write(string.format("P95LATENCY %d\\n", latency:percentile(95)))', 'end']
    path.write_text("\n".join(lines) + "\n")


def wrk(base: str, endpoint: dict, duration: int, connections: int, workdir: Path) -> dict:
    script = workdir / f"{endpoint['name']}.lua"
    if endpoint.get("post"):
        post_script(script, endpoint["path"], endpoint["bodies"], endpoint["cookie"])
    else:
        p95_script(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", "-s", str(script)]
    if endpoint.get("cookie") and not endpoint.get("post"):
        command += ["-H", f"Cookie: {endpoint['cookie']}"]
    output = subprocess.run(command + [base + endpoint["path"]], capture_output=True, text=True, check=True).stdout
    figures = parse_wrk(output)
    figures["p95_ms"] = round(int(re.search(r"P95LATENCY (\d+)", output).group(1)) / 1000, 2)
    return figures


# --- the measurements ----------------------------------------------------------------------------


def prepare(base: str) -> tuple[list[dict], dict]:
    trainee, supervisor, hr = login(base, "T00001"), login(base, "S00001"), login(base, "H00001")
    for quiz in QUIZZES:  # the onboarding quiz, unless this trainee has used all its attempts
        status, body = trainee.post(f"/quizzes/{quiz}/start", {}, token_from="/quizzes/")
        attempt_path = redirect_target(body)
        if "/attempts/" in attempt_path:
            break
    else:
        raise RuntimeError("T00001 could start no quiz")
    status, page = trainee.get(attempt_path)
    assert status == 200, f"attempt page {status}"
    token = CSRF.search(page).group(1)
    radios = re.findall(r'type="(?:radio|checkbox)" name="q(\d+)" id="[^"]+" value="([^"]+)"', page)
    if radios:  # two answers to alternate between, so that every save writes
        position = radios[0][0]
        values = [v for p, v in radios if p == position][:2]
    else:  # a page of text and ordering questions only
        position = re.search(r'type="text" class="form-control" name="q(\d+)"', page).group(1)
        values = ["30", "45"]
    bodies = [urllib.parse.urlencode({"csrf_token": token, "page": 1, "items": position, f"q{position}": v})
              for v in values]
    status, _ = trainee.post(attempt_path + "/save", dict(urllib.parse.parse_qsl(bodies[0])))
    assert status == 200, f"autosave {status}"
    status, cycles = hr.get("/appraisal/")
    open_cycle = max(int(c) for c in re.findall(r'href="/appraisal/(\d+)"', cycles))
    t, s, h = cookie_header(trainee), cookie_header(supervisor), cookie_header(hr)
    endpoints = [
        {"name": "hello", "label": "hello-world (baseline)", "path": "/bench/hello"},
        {"name": "lesson", "label": "lesson page", "path": "/lessons/grooming", "cookie": t},
        {"name": "quiz_page", "label": "quiz page (attempt)", "path": attempt_path, "cookie": t},
        {"name": "autosave", "label": "answer autosave (POST)", "path": attempt_path + "/save", "cookie": t,
         "post": True, "bodies": bodies},
        {"name": "my_training", "label": "trainee's 我的培训", "path": "/training/", "cookie": t},
        {"name": "supervisor_dashboard", "label": "supervisor dashboard (50 people)", "path": "/training/team?team=1",
         "cookie": s},
        {"name": "cycle_overview", "label": "HR cycle overview (open cycle, live scores)",
         "path": f"/appraisal/{open_cycle}", "cookie": h},
        {"name": "item_analysis", "label": "item analysis (all quizzes)", "path": "/quizzes/item-analysis",
         "cookie": h},
    ]
    for endpoint in endpoints:
        if endpoint.get("post"):
            continue
        browser = {t: trainee, s: supervisor, h: hr}.get(endpoint.get("cookie"), trainee)
        status, _ = browser.get(endpoint["path"])
        if status != 200:
            raise RuntimeError(f"{endpoint['path']} answered {status} before the benchmark")
    return endpoints, {"open_cycle": open_cycle, "attempt": attempt_path}


def measure_submit(base: str, threads: int, per_thread: int = 25) -> dict:
    """Each thread, logged in as its own trainee, starts an attempt and times only its submit."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    quizzes = QUIZZES

    next_trainee = iter(range(100, 100_000, 7))  # trainees across teams; a new one when attempts run out

    def worker(index: int) -> None:
        # a number of submits rather than a duration: logging in and starting are not measured
        deadline = time.monotonic() + 120
        done = 0
        while done < per_thread and time.monotonic() < deadline:
            with lock:
                number = next(next_trainee)
            try:
                browser = login(base, f"T{number:05d}")
            except RuntimeError:
                errors.append("login")
                return
            token = CSRF.search(browser.get("/quizzes/")[1]).group(1)
            for quiz in quizzes:
                if done >= per_thread:
                    return
                status, body = browser.post(f"/quizzes/{quiz}/start", {"csrf_token": token})
                if status != 302 or "/attempts/" not in body:
                    continue  # no attempts left at this quiz: the next one
                attempt_path = redirect_target(body)
                started = time.perf_counter()
                status, body = browser.post(attempt_path + "/submit", {"csrf_token": token})
                elapsed = (time.perf_counter() - started) * 1000
                if status != 302 or "/review" not in body:
                    errors.append(f"submit {status}")
                    continue
                with lock:
                    latencies.append(elapsed)
                done += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()
    if not latencies:
        raise RuntimeError(f"no submit could be measured: {errors[:5]}")

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 2)

    return {"rps": round(threads / (statistics.mean(latencies) / 1000), 1), "p50_ms": pct(50), "p95_ms": pct(95),
            "p99_ms": pct(99), "requests": len(latencies), "non_2xx": len(errors)}


def median_run(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["rps"])
    return ordered[len(ordered) // 2]


def http_benchmarks(base: str, runs: int, duration: int, connections: int) -> dict:
    endpoints, info = prepare(base)
    figures: dict[str, list[dict]] = {e["name"]: [] for e in endpoints}
    figures["submit"] = []
    with tempfile.TemporaryDirectory(prefix="wrk-") as tmp:
        for run in range(runs):
            for endpoint in endpoints:
                result = wrk(base, endpoint, duration, connections, Path(tmp))
                figures[endpoint["name"]].append(result)
                log(f"run {run + 1}/{runs} {endpoint['name']:<22} {result['rps']:>8.1f} req/s  "
                    f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms"
                    + (f"  NON-2xx {result['non_2xx']}" if result["non_2xx"] else ""))
            result = measure_submit(base, connections)
            figures["submit"].append(result)
            log(f"run {run + 1}/{runs} submit                 {result['rps']:>8.1f} req/s (est.)  "
                f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  ({result['requests']} submits)")
    labels = {e["name"]: e["label"] for e in endpoints}
    labels["submit"] = "quiz submit (POST; Python threads, see README)"
    hello = median_run(figures["hello"])
    table = {}
    for name, runs_of in figures.items():
        chosen = median_run(runs_of)
        row = {"label": labels[name], **chosen, "runs": runs_of}
        row["ratio_rps"] = round(chosen["rps"] / hello["rps"], 3)
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            row[f"{p}_x_hello"] = round(chosen[p] / hello[p], 1) if hello[p] else None
        table[name] = row
    return {"endpoints": table, **info}


def export_benchmarks(rows: list[int]) -> list[dict]:
    sys.path.insert(0, str(ROOT / "bench"))
    import export_bench

    reports = []
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        for n in rows:
            log(f"export benchmark: {n:,} employees")
            report = export_bench.run(n, Path(tmp))
            export_bench.show(report)
            reports.append(report)
    return reports


# --- output --------------------------------------------------------------------------------------


def verdicts(results: dict) -> list[dict]:
    table = results["endpoints"]
    out = []
    for name, (kind, bound) in TARGETS.items():
        row = table[name]
        value = row["ratio_rps"] if kind == "ratio" else row["p95_ms"]
        met = value >= bound if kind == "ratio" else value < bound
        out.append({"target": name, "kind": kind, "bound": bound, "value": value, "met": met})
    exports = results.get("exports") or []
    if exports:
        big = exports[-1]
        for fmt, bound in (("csv", 2.0), ("xlsx", 15.0)):
            value = big[f"closed_{fmt}"]["ratio_to_raw"]
            out.append({"target": f"{fmt} export ({big['rows']:,} rows)", "kind": "x_raw", "bound": bound,
                        "value": value, "met": value <= bound})
        if len(exports) >= 2:
            small = exports[0]
            for fmt in ("csv", "xlsx"):
                growth = big[f"closed_{fmt}"]["peak_mib"] / max(small[f"closed_{fmt}"]["peak_mib"], 1e-6)
                out.append({"target": f"{fmt} export memory {big['rows']:,} vs {small['rows']:,}", "kind": "x_mem",
                            "bound": 2.0, "value": round(growth, 2), "met": growth <= 2.0})
    return out


def markdown(results: dict) -> str:
    lines = ["| endpoint | req/s | × hello | p50 ms | p95 ms | p99 ms | p50/p95/p99 × hello |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for row in results["endpoints"].values():
        lines.append(f"| {row['label']} | {row['rps']:.0f} | {row['ratio_rps'] * 100:.1f} % | {row['p50_ms']:.1f} | "
                     f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['p50_ms_x_hello']} / {row['p95_ms_x_hello']} / "
                     f"{row['p99_ms_x_hello']} |")
    if results.get("exports"):
        lines += ["", "| export | rows | seconds | × raw dump | first byte ms | peak MiB |", "|---|---:|---:|---:|---:|---:|"]
        for report in results["exports"]:
            raw = min(report["raw_sqlite3_csv"]["seconds"], report["raw_sqlite3_csv_again"]["seconds"])
            lines.append(f"| raw sqlite3 + csv | {report['rows']:,} | {raw:.3f} | 1.00 | | {report['raw_peak_mib']} |")
            for key in ("closed_csv", "closed_xlsx", "open_csv", "open_xlsx"):
                r = report[key]
                lines.append(f"| {key.replace('_', ' ')} | {report['rows']:,} | {r['seconds']:.3f} | "
                             f"{r['ratio_to_raw']:.2f} | {r['first_byte'] * 1000:.1f} | {r['peak_mib']} |")
    lines += ["", "| target | value | bound | met |", "|---|---:|---:|---|"]
    for v in results["verdicts"]:
        lines.append(f"| {v['target']} ({v['kind']}) | {v['value']} | {v['bound']} | {'yes' if v['met'] else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", generate.DEFAULT_URL))
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the database from a previous run")
    parser.add_argument("--export-rows", type=int, action="append", help="default: 10000 and 100000")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--output", help="JSON file (default bench/results/<date>.json)")
    args = parser.parse_args(argv)
    (ROOT / "bench" / "tmp").mkdir(exist_ok=True)
    started = time.perf_counter()
    if not args.skip_generate:
        generate.main(["--scale", str(args.scale), "--database-url", args.database_url])
    server = Server(args.database_url).start()
    try:
        log(f"gunicorn {WORKERS} sync workers on {server.url}; wrk -t2 -c{args.connections} -d{args.duration}s")
        results = http_benchmarks(server.url, args.runs, args.duration, args.connections)
    finally:
        server.stop()
    if not args.no_export:
        results["exports"] = export_benchmarks(args.export_rows or [10_000, 100_000])
    results["verdicts"] = verdicts(results)
    results["setup"] = {"date": dt.date.today().isoformat(), "scale": args.scale,
                        "database": args.database_url.split("@")[-1].replace(str(ROOT) + "/", ""),
                        "gunicorn": f"{WORKERS} sync workers", "wrk": f"-t2 -c{args.connections} -d{args.duration}s",
                        "runs": args.runs, "cpu_count": os.cpu_count(), "seconds": round(time.perf_counter() - started)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = Path(args.output) if args.output else RESULTS / f"{dt.date.today().isoformat()}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(results))
    log(f"written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
