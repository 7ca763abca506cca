"""`make bench`: throughput and latency of the main pages under wrk, plus the export/close benchmark.

    .venv/bin/python bench/run.py [--scale 1] [--duration 10] [--runs 3] [--skip-generate]
                                  [--database-url URL] [--instances 1|2] [--variant NAME]
                                  [--export-rows 10000 --export-rows 100000] [--no-export]

1. ``bench/generate.py`` builds the organisation (default scale: 2,000 employees, 200k responses …;
   ``--scale 10``: 20,000 employees); its wall time is recorded.
2. Two gunicorns, 2 sync workers each, production settings, on free loopback ports, side by side:
   the bare baseline (``bench.bare_hello:app``: Flask and nothing else) and the app under test
   (``bench.bench_app:app``: the real app plus a ``/bench/hello`` route).
3. Each endpoint is loaded by ``wrk -t2 -c<connections> -d<duration> --latency`` ``--runs`` times; the
   median run (by req/s) gives req/s and p50/p95/p99, each also as a share of the bare hello-world
   and of the app's hello route measured in the same run of the loop. Authenticated pages carry the
   session cookie of a real login and ``Accept-Encoding: br, gzip`` like a browser; POSTs (autosave)
   go through a wrk Lua script with the CSRF token.
4. A submit can happen once per attempt, so it is measured by Python threads (same concurrency):
   each starts an attempt, then times the submit POST alone.
5. ``--instances 2`` (PostgreSQL + Redis): two app gunicorns on two ports against one database, the
   limiter counters and the job queue in Redis (``--redis-url``, default db 7) and one ``rq worker``;
   each endpoint is loaded by two wrk processes at once, one per port, half the connections each,
   with the cookie of a login made on the first port. Before that, checks that nothing lives in one
   process: a session from port A works on port B, a logout on B ends it on A, an export job queued
   on A is followed and downloaded on B.
6. The export benchmark (``bench/export_bench.py``, 10,000 and 100,000 employees × one cycle): CSV and
   XLSX export against a raw sqlite3 + csv dump, peak memory, and the close run as a background job.

Writes bench/results/<YYYY-MM-DD>-<variant>.json and prints a markdown table.
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
import urllib.error
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
#: issue 15's targets: share of the *bare* hello-world's req/s, or a p95 bound in ms (default scale)
TARGETS = {"lesson": 0.40, "quiz_page": 0.20, "autosave": 0.20, "my_training": 0.15, "supervisor_dashboard": 0.10,
           "cycle_overview": 0.10, "item_analysis": 0.10}
P95_TARGETS = {"supervisor_dashboard": 100.0, "cycle_overview": 100.0, "item_analysis": 100.0}
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
ACCEPT_ENCODING = "br, gzip"
#: seconds a warm-up request may take (client side) and gunicorn's worker timeout (server side)
PAGE_TIMEOUT = 600


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the server ----------------------------------------------------------------------------------


class Server:
    """One gunicorn (2 sync workers) of ``app_spec`` on a free loopback port."""

    def __init__(self, database_url: str, app_spec: str = "bench.bench_app:app", health: str = "/bench/hello",
                 extra_env: dict | None = None, name: str = "app"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app_spec, self.health, self.name = app_spec, health, name
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
        self.env.update({"APP_ENV": "production", "SECRET_KEY": "bench-" + "k" * 40, "SESSION_COOKIE_SECURE": "0",
                         "DATABASE_URL": database_url, "LOGIN_RATE_LIMIT": "100000 per minute",
                         "LOGIN_IP_FAILURES": "100000 per minute", "JOBS_FILES_DIR": str(ROOT / "bench" / "tmp" / "job-files")})
        self.env.update(extra_env or {})
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        log_file = open(ROOT / "bench" / "tmp" / f"gunicorn-{self.name}-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--worker-class", "sync", "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", str(PAGE_TIMEOUT), self.app_spec],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log_file, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Browser(self.url).get(self.health)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app_spec} did not start: see {log_file.name}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


class Worker:
    """``flask jobs run-worker`` (RQ) with the servers' environment (two-instance mode)."""

    def __init__(self, env: dict):
        self.env = dict(env)
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "run-worker"], cwd=ROOT,
                                        env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=open(ROOT / "bench" / "tmp" / "rq-worker.log", "w"),
                                        start_new_session=True)
        return self

    stop = Server.stop


class SlowBrowser(Browser):
    """The test Browser with a long timeout: at 20,000 employees the slowest pages (before read models)
    take longer than its 30 s on a busy machine, and the warm-up must still get an answer."""

    def _send(self, request):
        try:
            with self.opener.open(request, timeout=PAGE_TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


def login(base: str, employee_no: str) -> Browser:
    browser = SlowBrowser(base)
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


def _wrk_command(endpoint: dict, duration: int, connections: int, threads: int, script: Path, base: str) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
               "-s", str(script)]
    if endpoint.get("cookie") and not endpoint.get("post"):
        command += ["-H", f"Cookie: {endpoint['cookie']}"]
    if endpoint.get("encoding"):
        command += ["-H", f"Accept-Encoding: {endpoint['encoding']}"]
    return command + [base + endpoint["path"]]


def wrk(bases: list[str], endpoint: dict, duration: int, connections: int, workdir: Path) -> dict:
    """One wrk on one port, or one wrk per port at the same time (connections split between them):
    req/s add up; each percentile is the worst of the ports'."""
    script = workdir / f"{endpoint['name']}.lua"
    if endpoint.get("post"):
        post_script(script, endpoint["path"], endpoint["bodies"], endpoint["cookie"])
    else:
        p95_script(script)
    share = max(1, connections // len(bases))
    threads = 2 if len(bases) == 1 else 1
    processes = [subprocess.Popen(_wrk_command(endpoint, duration, share, min(threads, share), script, base),
                                  stdout=subprocess.PIPE, text=True) for base in bases]
    outputs = [p.communicate()[0] for p in processes]
    if any(p.returncode for p in processes):
        raise RuntimeError(f"wrk failed on {endpoint['name']}")
    per_port = []
    for output in outputs:
        figures = parse_wrk(output)
        figures["p95_ms"] = round(int(re.search(r"P95LATENCY (\d+)", output).group(1)) / 1000, 2)
        per_port.append(figures)
    if len(per_port) == 1:
        return per_port[0]
    combined = {"rps": round(sum(f["rps"] for f in per_port), 2), "requests": sum(f["requests"] for f in per_port),
                "non_2xx": sum(f["non_2xx"] for f in per_port),
                "socket_errors": "; ".join(f["socket_errors"] for f in per_port if f["socket_errors"])}
    for key in ("p50_ms", "p90_ms", "p95_ms", "p99_ms"):
        combined[key] = max(f[key] for f in per_port)
    combined["per_port"] = [{k: f[k] for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "non_2xx")} for f in per_port]
    return combined


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
        {"name": "bare_hello", "label": "bare Flask hello-world (no extensions)", "path": "/", "app": "bare"},
        {"name": "hello", "label": "the app's hello route (`bench/bench_app.py`)", "path": "/bench/hello"},
        {"name": "empty_page", "label": "the app's empty page (logged in: layout, user, badge; `bench/bench_app.py`)",
         "path": "/bench/page", "cookie": t},
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
        if endpoint.get("cookie"):
            endpoint["encoding"] = ACCEPT_ENCODING  # a browser's request: compressed HTML
        if endpoint.get("post") or endpoint.get("app") == "bare":
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


def http_benchmarks(app_bases: list[str], bare_bases: list[str], runs: int, duration: int, connections: int) -> dict:
    endpoints, info = prepare(app_bases[0])
    figures: dict[str, list[dict]] = {e["name"]: [] for e in endpoints}
    figures["submit"] = []
    with tempfile.TemporaryDirectory(prefix="wrk-") as tmp:
        for run in range(runs):
            for endpoint in endpoints:
                bases = bare_bases if endpoint.get("app") == "bare" else app_bases
                result = wrk(bases, endpoint, duration, connections, Path(tmp))
                figures[endpoint["name"]].append(result)
                log(f"run {run + 1}/{runs} {endpoint['name']:<22} {result['rps']:>8.1f} req/s  "
                    f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms"
                    + (f"  NON-2xx {result['non_2xx']}" if result["non_2xx"] else ""))
            result = measure_submit(app_bases[-1], connections)
            figures["submit"].append(result)
            log(f"run {run + 1}/{runs} submit                 {result['rps']:>8.1f} req/s (est.)  "
                f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  ({result['requests']} submits)")
    labels = {e["name"]: e["label"] for e in endpoints}
    labels["submit"] = "quiz submit (POST; Python threads, see README)"
    bare, hello = median_run(figures["bare_hello"]), median_run(figures["hello"])
    table = {}
    for name, runs_of in figures.items():
        chosen = median_run(runs_of)
        row = {"label": labels[name], **chosen, "runs": runs_of}
        row["ratio_bare"] = round(chosen["rps"] / bare["rps"], 4)
        row["ratio_rps"] = round(chosen["rps"] / hello["rps"], 4)  # share of the app's own hello route
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            row[f"{p}_x_hello"] = round(chosen[p] / hello[p], 1) if hello[p] else None
            row[f"{p}_x_bare"] = round(chosen[p] / bare[p], 1) if bare[p] else None
        table[name] = row
    return {"endpoints": table, **info}


# --- two instances: nothing lives in one process ---------------------------------------------------


def cross_instance_checks(a: str, b: str, redis_url: str) -> dict:
    """Session, logout and a background job cross from port A to port B; limiter counters are in Redis."""
    checks: dict = {}
    hr = login(a, "H00001")
    on_b = SlowBrowser(b)
    on_b.opener = hr.opener  # the same cookie jar: the cookie of the login on A
    status, body = on_b.get("/training/")
    checks["session_from_a_works_on_b"] = status == 200 and "/login" not in body[:2000]
    status, cycles = on_b.get("/appraisal/")
    cycle = max(int(c) for c in re.findall(r'href="/appraisal/(\d+)"', cycles))
    status, body = hr.get(f"/appraisal/{cycle}/export.csv")  # EXPORT_JOB_ROWS=0: always a job, queued on A
    job_path = urllib.parse.urlparse(redirect_target(body)).path if status in (302, 303) else ""
    checks["export_queued_on_a"] = job_path.startswith("/jobs/")
    state, deadline = "", time.monotonic() + 120
    while checks["export_queued_on_a"] and time.monotonic() < deadline:
        status, body = on_b.get(job_path + ".json")
        state = json.loads(body).get("state", "") if status == 200 else f"http {status}"
        if state in ("done", "failed"):
            break
        time.sleep(0.5)
    checks["job_followed_on_b"] = state
    if state == "done":
        status, body = on_b.get(job_path + "/download")
        checks["job_downloaded_on_b"] = status == 200 and len(body) > 100
    trainee = login(a, "T00002")
    other = SlowBrowser(b)
    other.opener = trainee.opener
    other.post("/logout", {}, token_from="/training/")
    status, body = trainee.get("/training/")
    checks["logout_on_b_ends_session_on_a"] = status in (302, 303) and "/login" in body
    account = f"BENCH{int(time.time()) % 100000:05d}"  # a fresh name: its failure counter can only come from now
    stranger = SlowBrowser(b)
    stranger.post("/login", {"employee_no": account, "password": "wrong-password"}, token_from="/login")
    try:
        from redis import Redis

        keys = Redis.from_url(redis_url).keys(f"*login-fail:account:{account.lower()}*")
        checks["limiter_keys_in_redis"] = len(keys)  # the failure counted on B sits in Redis, for A too
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        checks["limiter_keys_in_redis"] = f"error: {exc}"
    checks["all_passed"] = all(v is True or (k == "job_followed_on_b" and v == "done")
                               or (k == "limiter_keys_in_redis" and isinstance(v, int) and v > 0)
                               for k, v in checks.items())
    return checks


def export_benchmarks(rows: list[int], close_as_job: bool = True) -> list[dict]:
    """Each size in a child process of its own (``export_bench.py --json``): peak memory per size."""
    reports = []
    for n in rows:
        log(f"export benchmark: {n:,} employees")
        command = [sys.executable, str(ROOT / "bench" / "export_bench.py"), "--rows", str(n), "--json"]
        if not close_as_job:
            command.append("--no-job")
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True,
                             env={**os.environ, "APP_ENV": "testing"}).stdout
        split = out.rindex("\n[\n")  # export_bench prints its tables, then the JSON list
        print(out[:split].rstrip())
        reports.append(json.loads(out[split:])[0])
    return reports


# --- output --------------------------------------------------------------------------------------


def verdicts(results: dict) -> list[dict]:
    table = results.get("endpoints") or {}
    out = []
    for name, bound in (TARGETS.items() if table else ()):
        value = table[name]["ratio_bare"]
        out.append({"target": f"{name} ≥ {bound:.0%} of bare hello", "kind": "share_of_bare", "bound": bound,
                    "value": value, "met": value >= bound})
    for name, bound in (P95_TARGETS.items() if table else ()):
        row = table[name]
        finished = row.get("requests", 0) > 0  # no request finished within the run: no latency to compare
        value = row["p95_ms"] if finished else "none finished"
        out.append({"target": f"{name} p95 < {bound:.0f} ms", "kind": "p95_ms", "bound": bound, "value": value,
                    "met": finished and row["p95_ms"] < bound})
    exports = results.get("exports") or []
    if exports:
        big = exports[-1]
        for fmt, bound in (("csv", 2.0), ("xlsx", 15.0)):
            value = big[f"closed_{fmt}"]["ratio_to_raw"]
            out.append({"target": f"closed {fmt} export ≤ {bound:g}× raw dump ({big['rows']:,} rows)", "kind": "x_raw",
                        "bound": bound, "value": value, "met": value <= bound})
        if len(exports) >= 2:
            small = exports[0]
            for fmt in ("csv", "xlsx"):
                growth = big[f"closed_{fmt}"]["peak_mib"] / max(small[f"closed_{fmt}"]["peak_mib"], 1e-6)
                out.append({"target": f"{fmt} export memory {big['rows']:,} vs {small['rows']:,} ≤ 2× (tracemalloc)",
                            "kind": "x_mem", "bound": 2.0, "value": round(growth, 2), "met": growth <= 2.0})
                if "child_rss" in big and "child_rss" in small:
                    growth = big["child_rss"][fmt]["max_rss_mib"] / max(small["child_rss"][fmt]["max_rss_mib"], 1e-6)
                    out.append({"target": f"{fmt} export memory {big['rows']:,} vs {small['rows']:,} ≤ 2× (child max RSS)",
                                "kind": "x_rss", "bound": 2.0, "value": round(growth, 2), "met": growth <= 2.0})
        job = big.get("close_job")
        if job:
            out.append({"target": f"a cycle of {big['rows']:,} closes as a job with progress", "kind": "job",
                        "bound": "done", "value": f"{job['state']}, {job['seconds']} s, {job['reports']} reports",
                        "met": job["state"] == "done" and job["reports"] > 0})
    if "two_instances" in results:
        out.append({"target": "two instances share nothing in process memory", "kind": "checks", "bound": "all",
                    "value": "all passed" if results["two_instances"]["all_passed"] else "FAILED",
                    "met": results["two_instances"]["all_passed"]})
    return out


def markdown(results: dict) -> str:
    lines = ["| endpoint | req/s | share of bare hello | share of app hello | p50 ms | p95 ms | p99 ms | p50/p95/p99 × bare |",
             "|---|---:|---:|---:|---:|---:|---:|---|"] if results.get("endpoints") else []
    for row in (results.get("endpoints") or {}).values():
        lines.append(f"| {row['label']} | {row['rps']:.0f} | {row['ratio_bare'] * 100:.1f} % | "
                     f"{row['ratio_rps'] * 100:.1f} % | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
                     f"{row['p50_ms_x_bare']} / {row['p95_ms_x_bare']} / {row['p99_ms_x_bare']} |")
    if results.get("exports"):
        lines += ["" if lines else "", "| export | rows | seconds | × raw dump | first byte ms | peak MiB (tracemalloc) | child max RSS MiB |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for report in results["exports"]:
            raw = min(report["raw_sqlite3_csv"]["seconds"], report["raw_sqlite3_csv_again"]["seconds"])
            rss = report.get("child_rss", {})
            lines.append(f"| raw sqlite3 + csv | {report['rows']:,} | {raw:.3f} | 1.00 | | {report['raw_peak_mib']} | "
                         f"{rss.get('raw', {}).get('max_rss_mib', '')} |")
            for key in ("closed_csv", "closed_xlsx", "open_csv", "open_xlsx"):
                r = report[key]
                child = rss.get(key.split("_")[1], {}).get("max_rss_mib", "") if key.startswith("closed") else ""
                lines.append(f"| {key.replace('_', ' ')} | {report['rows']:,} | {r['seconds']:.3f} | "
                             f"{r['ratio_to_raw']:.2f} | {r['first_byte'] * 1000:.1f} | {r['peak_mib']} | {child} |")
            job = report.get("close_job")
            close = (f"as a job: {job['state']}, {job['reports']} progress reports" if job else "synchronous")
            lines.append(f"| close the cycle ({close}) | {report['rows']:,} | {report['close_seconds']:.2f} | | | | |")
    lines += ["", "| target | value | bound | met |", "|---|---:|---:|---|"]
    for v in results["verdicts"]:
        value = f"{v['value']:.1%}" if v["kind"] == "share_of_bare" else v["value"]
        bound = f"{v['bound']:.0%}" if v["kind"] == "share_of_bare" else v["bound"]
        lines.append(f"| {v['target']} | {value} | {bound} | {'yes' if v['met'] else '**no**'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 2,000 employees; 10 = 20,000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", generate.DEFAULT_URL),
                        help="sqlite:///… (default bench/tmp/bench.db) or postgresql+psycopg://…/bench_NAME")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--instances", type=int, choices=(1, 2), default=1,
                        help="2: two app gunicorns on two ports (PostgreSQL + Redis, JOBS_BACKEND=rq)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--skip-generate", action="store_true", help="reuse the database from a previous run")
    parser.add_argument("--export-rows", type=int, action="append", help="default: 10000 and 100000")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="only the export/close benchmark")
    parser.add_argument("--variant", help="name in the output file (default: sqlite|postgresql, scale, instances)")
    parser.add_argument("--output", help="JSON file (default bench/results/<date>-<variant>.json)")
    args = parser.parse_args(argv)
    backend = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    if args.instances == 2 and backend != "postgresql":
        parser.error("--instances 2 needs --database-url postgresql+psycopg://… (one database for both)")
    variant = args.variant or f"{backend}-scale{args.scale:g}" + (f"-x{args.instances}" if args.instances > 1 else "")
    (ROOT / "bench" / "tmp").mkdir(exist_ok=True)
    started = time.perf_counter()
    results: dict = {}
    if not args.skip_generate and not args.no_http:
        t = time.perf_counter()
        generate.main(["--scale", str(args.scale), "--database-url", args.database_url])
        results["generate_seconds"] = round(time.perf_counter() - t, 1)
        log(f"generated in {results['generate_seconds']} s")
    if not args.no_http:
        extra = {}
        if args.instances == 2:
            extra = {"RATELIMIT_STORAGE_URI": args.redis_url, "REDIS_URL": args.redis_url, "JOBS_BACKEND": "rq",
                     "EXPORT_JOB_ROWS": "0"}
        apps = [Server(args.database_url, extra_env=extra, name=f"app{i + 1}") for i in range(args.instances)]
        bare = [Server(args.database_url, "bench.bare_hello:app", "/", name=f"bare{i + 1}")
                for i in range(args.instances)]
        worker = Worker(apps[0].env) if args.instances == 2 else None
        running = []
        try:
            for server in apps + bare:
                running.append(server.start())
            if worker:
                running.append(worker.start())
                results["two_instances"] = cross_instance_checks(apps[0].url, apps[1].url, args.redis_url)
                log(f"two-instance checks: {results['two_instances']}")
            log(f"gunicorn {WORKERS} sync workers × {args.instances} (+ bare) on "
                f"{', '.join(s.url for s in apps + bare)}; wrk -c{args.connections} -d{args.duration}s")
            results.update(http_benchmarks([s.url for s in apps], [s.url for s in bare], args.runs, args.duration,
                                           args.connections))
        finally:
            for server in running:
                server.stop()
    if not args.no_export:
        results["exports"] = export_benchmarks(args.export_rows or [10_000, 100_000])
    results["verdicts"] = verdicts(results)
    results["setup"] = {"date": dt.date.today().isoformat(), "variant": variant, "scale": args.scale,
                        "employees": max(int(2000 * args.scale), 120),
                        "database": args.database_url.split("@")[-1].replace(str(ROOT) + "/", ""),
                        "instances": args.instances, "gunicorn": f"{WORKERS} sync workers per instance",
                        "wrk": f"-t2 -c{args.connections} -d{args.duration}s (split across ports)", "runs": args.runs,
                        "cpu_count": os.cpu_count(), "seconds": round(time.perf_counter() - started)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = Path(args.output) if args.output else RESULTS / f"{dt.date.today().isoformat()}-{variant}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(results))
    log(f"written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
