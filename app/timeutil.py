"""The app's one clock.

Timestamps are stored as naive UTC (every DateTime column); due dates and cycle windows are
calendar days in the site's time zone (``BABEL_DEFAULT_TIMEZONE``, from ``APP_TIMEZONE``). Every
module reads "now" and "today" through these functions, so tests can freeze time with time-machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def site_timezone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local_today() -> dt.date:
    """Today's date where the site is: a due date passes at local midnight, not UTC midnight."""
    return dt.datetime.now(site_timezone()).date()


def to_site_time(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp as an aware datetime in the site's time zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(site_timezone())


def isoformat_site(value: dt.datetime | None) -> str | None:
    """ISO 8601 in the site's time zone with an explicit offset (what the API sends)."""
    local = to_site_time(value)
    return local.isoformat(timespec="seconds") if local else None


def site_day_start(day: dt.date) -> dt.datetime:
    """The naive-UTC instant at which ``day`` begins in the site's time zone (for filters on
    stored timestamps by calendar day)."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=site_timezone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)
