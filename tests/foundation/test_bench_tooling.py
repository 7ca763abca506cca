"""The benchmark tooling (bench/, never run by `make test`) still imports and parses its options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_run_help():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    for option in ("--scale", "--database-url", "--instances", "--redis-url", "--export-rows", "--variant"):
        assert option in out.stdout


def test_export_bench_help():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "export_bench.py"), "--help"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "--rows" in out.stdout


def test_bare_hello_is_bare_flask():
    from bench.bare_hello import app

    assert app.extensions == {} and set(app.blueprints) == set()
    response = app.test_client().get("/")
    assert response.status_code == 200 and response.data == b"Hello, world!"
