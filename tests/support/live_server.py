"""Start the real app under gunicorn on a free loopback port, for tests that need real processes.

Used by the login-throttling test (two workers sharing Redis), the crash-durability test
(SIGKILL and restart) and the browser tests.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict, *, content: bool = True) -> None:
    """Build the schema (migrations) and, unless told not to, sync the content into it."""
    for args in (["db", "upgrade"], ["content", "sync"])[: 2 if content else 1]:
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)


@dataclass
class LiveServer:
    env: dict
    workers: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(self.workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not become healthy")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die without any cleanup."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def server_env(database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    env.update({"APP_ENV": "production", "SECRET_KEY": "live-test-" + "x" * 32, "SESSION_COOKIE_SECURE": "0",
                "DATABASE_URL": database_url})
    env.update(extra)
    return env


class Browser:
    """A tiny cookie-keeping HTTP client that fills in CSRF tokens like a browser form would."""

    TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path))

    def token(self, path: str) -> str:
        status, body = self.get(path)
        match = self.TOKEN.search(body)
        if not match:
            raise AssertionError(f"no CSRF token on {path} ({status})")
        return match.group(1)

    def post(self, path: str, data: dict, token_from: str | None = None) -> tuple[int, str]:
        payload = dict(data)
        if token_from is not None:
            payload["csrf_token"] = self.token(token_from)
        body = urllib.parse.urlencode(payload).encode()
        return self._send(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
