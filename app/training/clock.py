"""The training layer's notion of "now" and "today".

Timestamps are stored as naive UTC (like every table here); due dates are calendar days in the
site's time zone (``BABEL_DEFAULT_TIMEZONE``, from ``APP_TIMEZONE``). Both are read through these
two functions so tests can freeze time with time-machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"



def site_timezone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local_today() -> dt.date:
    """Today's date where the site is: a due date passes at local midnight, not UTC midnight."""
    return dt.datetime.now(site_timezone()).date()
