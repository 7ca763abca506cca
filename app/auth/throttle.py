"""Login throttling: failed attempts are counted, successful logins never are.

Two moving-window counters, both in the rate-limit storage (``RATELIMIT_STORAGE_URI``: Redis
wherever more than one worker runs, so every worker sees the same counts; the embedded
``memory://`` default counts per process):

- per account (the typed employee number, whether or not it exists, so the answer reveals
  nothing): ``LOGIN_ACCOUNT_FAILURES`` (default 10 per 15 minutes) locks that account;
- per client IP: ``LOGIN_IP_FAILURES`` (default 50 per 10 minutes) stops one address guessing
  across many accounts.

A training room of 30 new hires behind one office IP who type their passwords right is never
refused. A success clears the account's counter (not the IP's).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

EXTENSION_KEY = "login_throttle"


@dataclass
class Throttle:
    limiter: MovingWindowRateLimiter
    account_limit: RateLimitItem
    ip_limit: RateLimitItem
    prefix: str


def init_throttle(app: Flask) -> None:
    """One storage per app (not the Limiter singleton's), so test apps never share counters."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions[EXTENSION_KEY] = Throttle(
        limiter=MovingWindowRateLimiter(storage),
        account_limit=parse(app.config["LOGIN_ACCOUNT_FAILURES"]),
        ip_limit=parse(app.config["LOGIN_IP_FAILURES"]),
        prefix=app.config.get("RATELIMIT_KEY_PREFIX", "academy"),
    )


def _throttle() -> Throttle | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return current_app.extensions.get(EXTENSION_KEY)


def _keys(t: Throttle, employee_no: str, ip: str) -> list[tuple[RateLimitItem, str]]:
    account = (employee_no or "").strip().lower()[:64]
    return [(t.account_limit, f"{t.prefix}:login-fail:account:{account}"),
            (t.ip_limit, f"{t.prefix}:login-fail:ip:{ip or '-'}")]


def locked_minutes(employee_no: str, ip: str) -> int:
    """0 when a login may be tried; else the minutes until the account (or IP) may try again."""
    t = _throttle()
    if t is None:
        return 0
    wait = 0.0
    for item, key in _keys(t, employee_no, ip):
        if not t.limiter.test(item, key):
            reset_at, _remaining = t.limiter.get_window_stats(item, key)
            wait = max(wait, reset_at - time.time(), 1.0)
    return math.ceil(wait / 60) if wait else 0


def record_failure(employee_no: str, ip: str) -> None:
    t = _throttle()
    if t is not None:
        for item, key in _keys(t, employee_no, ip):
            t.limiter.hit(item, key)


def record_success(employee_no: str, ip: str) -> None:
    t = _throttle()
    if t is not None:
        item, key = _keys(t, employee_no, ip)[0]
        t.limiter.clear(item, key)
