"""Crash durability: every answer the server acknowledged survives a SIGKILL of the whole server.

gunicorn (production config: SQLite in WAL mode with synchronous=FULL, or PostgreSQL) serves a
trainee who starts a quiz and autosaves answers one at a time; each save is acknowledged with 200
and ``ok: true``. Right after the last acknowledgement the master and its workers get SIGKILL (no
shutdown, no cleanup). The server is started again on the same database and every acknowledged
answer must be there, both in the database and on the attempt's pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.live_server import BIN, ROOT, Browser, LiveServer, prepare_database, server_env

pytestmark = pytest.mark.slow

PASSWORD = "Crash-test-pass-1"
QUIZ = "new-hire-final"
#: a summary of the figures, read by SECURITY.md's author (the report prints it too)
RESULTS: dict[str, dict] = {}


def _backends():
    yield "sqlite"
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        yield "postgresql"


@pytest.fixture(params=list(_backends()))
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    name = f"crash_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _create_trainee(env: dict) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "users", "create", "--employee-no", "C001",
                    "--name", "崩溃测试", "--role", "trainee", "--department", "客服部", "--password", PASSWORD,
                    "--no-forced-change"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)


TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
QUESTION = re.compile(r'name="items" value="(\d+)"(.*?)(?=name="items" value=|</form>)', re.S)


def _answers_on(page_html: str) -> dict[int, dict]:
    """For each question on the page, a form answering it (the first option, a text, an order)."""
    answers = {}
    for position, block in QUESTION.findall(page_html):
        field = f"q{position}"
        data: dict = {"items": position}
        choice = re.search(rf'name="{field}" id="{field}-\d+" value="([^"]*)"', block)
        ranks = re.findall(rf'name="({field}-\d+)"', block)
        if choice:
            data[field] = choice.group(1)
        elif ranks:
            for place, name in enumerate(dict.fromkeys(ranks)):
                data[name] = str(place + 1)
        elif tag := re.search(rf'<input type="text"[^>]*name="{field}"[^>]*>', block):
            # a numeric question (inputmode=decimal) refuses text: answer it with a number
            data[field] = str(position) if 'inputmode="decimal"' in tag.group(0) else f"答案{position}"
        else:
            continue
        answers[int(position)] = data
    return answers


def _db_answers(url: str, attempt_id: int) -> dict[int, object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT position, response FROM attempt_item WHERE attempt_id = :a"),
                                {"a": attempt_id}).all()
    finally:
        engine.dispose()
    return {position: response for position, response in rows}


def test_acknowledged_answers_survive_sigkill(database_url, tmp_path):
    env = server_env(database_url)
    prepare_database(env)
    _create_trainee(env)
    server = LiveServer(env, workers=2).start()
    try:
        browser = Browser(server.url)
        status, _ = browser.post("/login", {"employee_no": "C001", "password": PASSWORD}, token_from="/login")
        assert status == 302
        status, _ = browser.post(f"/quizzes/{QUIZ}/start", {}, token_from="/quizzes/")
        assert status == 302
        engine = create_engine(database_url)
        with engine.connect() as conn:
            attempt_id = conn.execute(text("SELECT a.id FROM attempt a JOIN employee e ON e.id = a.employee_id "
                                           "WHERE e.employee_no = 'C001'")).scalar_one()
        engine.dispose()
        status, first = browser.get(f"/quizzes/attempts/{attempt_id}")
        assert status == 200
        pages = max([1] + [int(p) for p in re.findall(r'value="page-(\d+)"', first)])
        token = TOKEN.search(first).group(1)
        acknowledged: dict[int, dict] = {}
        for page in range(1, pages + 1):
            _, html = browser.get(f"/quizzes/attempts/{attempt_id}?page={page}")
            for position, data in _answers_on(html).items():
                status, body = browser.post(f"/quizzes/attempts/{attempt_id}/save",
                                            {**data, "page": str(page), "csrf_token": token})
                reply = json.loads(body)
                assert status == 200 and reply["ok"] and position in reply["saved"], (status, body[:200])
                acknowledged[position] = data
        assert len(acknowledged) >= 10, f"only {len(acknowledged)} answers were saved"
        server.kill()  # SIGKILL the master and its workers right after the last acknowledgement

        found = _db_answers(database_url, attempt_id)
        server = LiveServer(env, workers=1).start()
        browser = Browser(server.url)
        status, _ = browser.post("/login", {"employee_no": "C001", "password": PASSWORD}, token_from="/login")
        assert status == 302
        status, summary = browser.get(f"/quizzes/attempts/{attempt_id}/summary")
        assert status == 200
        lost = sorted(p for p in acknowledged if found.get(p) in (None, [], ""))
        backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
        RESULTS[backend] = {"acknowledged": len(acknowledged), "found": len(acknowledged) - len(lost)}
        print(f"\ncrash durability ({backend}): {len(acknowledged)} answers acknowledged, "
              f"{len(acknowledged) - len(lost)} found after SIGKILL and restart, {len(lost)} lost")
        assert not lost, f"acknowledged answers lost after SIGKILL: {lost}"
        # the restarted server shows the same: the review after submitting counts them as answered
        status, _ = browser.post(f"/quizzes/attempts/{attempt_id}/submit", {"csrf_token": TOKEN.search(summary).group(1)})
        assert status == 302
        assert _db_answers(database_url, attempt_id) == found
    finally:
        server.stop()
