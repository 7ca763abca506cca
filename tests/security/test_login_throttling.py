"""Login throttling shared across gunicorn workers through Redis."""

import socket
import uuid

import pytest

from tests.support.live_server import Browser, LiveServer, prepare_database, server_env

pytestmark = pytest.mark.slow

LIMIT = 5


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture()
def throttled_server(tmp_path):
    if not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    env = server_env(f"sqlite:///{tmp_path / 'live.db'}", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                     RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}", LOGIN_RATE_LIMIT=f"{LIMIT} per minute")
    prepare_database(env, content=False)
    server = LiveServer(env, workers=2).start()
    yield server
    server.stop()


def test_limit_is_shared_by_two_workers(throttled_server):
    statuses = []
    for _ in range(LIMIT + 3):
        browser = Browser(throttled_server.url)  # a fresh connection each time: either worker may answer
        status, _ = browser.post("/login", {"employee_no": "NOBODY", "password": "wrong-password-1"},
                                 token_from="/login")
        statuses.append(status)
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429] * 3
