"""Browser tests: Debian's chromium driven by Playwright against a live gunicorn with CSRF on.

`make e2e` installs chromium with apt when it is missing. Screenshots go to tests/e2e/screenshots/
(git-ignored).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.live_server import BIN, ROOT, LiveServer, prepare_database, server_env


def prepare_schema(env: dict) -> None:
    """The schema exactly as production builds it: the migrations."""
    prepare_database(env, content=False)

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "Academy-2026"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    env = server_env(f"sqlite:///{db_path}")
    prepare_schema(env)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "content", "sync"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "demo", "seed"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=600)
    server = LiveServer(env, workers=2).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e`, which installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture()
def shot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture()
def log_in(live_server):
    def do(page, employee_no: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(live_server.url + "/login")
        page.fill("#employee_no", employee_no)
        page.fill("#password", password)
        page.click("button[type=submit]")

    return do


#: axe-core impacts that fail a page (issue 17 item 10); "minor"/"moderate" are reported only.
AXE_FAILING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe():
    """Run axe-core (the copy shipped inside axe-playwright-python, injected locally: no CDN)
    on the current page; returns ``[(rule id, impact, count, first target)]`` of failing findings."""
    from axe_playwright_python.sync_playwright import Axe

    engine = Axe()

    def run(page) -> list[tuple[str, str, int, str]]:
        response = engine.run(page).response
        return [(v["id"], v["impact"], len(v["nodes"]), ", ".join(map(str, v["nodes"][0]["target"])))
                for v in response["violations"] if v.get("impact") in AXE_FAILING]

    return run
