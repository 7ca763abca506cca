"""The one way every page shows a time, a date and a score.

Timestamps are stored as naive UTC; pages show them in the site's time zone
(``app.timeutil.site_timezone``) in one format, ``YYYY-MM-DD HH:MM``. Scores are shown with one
decimal, rounded half away from zero (``87.25`` → ``87.3``), everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
SCORE_DIGITS = 1


def _to_site(value):
    from app.timeutil import to_site_time

    if isinstance(value, str):  # an ISO timestamp kept in JSON (snapshots): naive means UTC
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return to_site_time(value)


def localtime(value, fmt: str = DATETIME_FORMAT) -> str:
    """A stored timestamp (naive UTC, aware, or its ISO text) in site time; "—" when missing."""
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT)
    local = _to_site(value)
    return local.strftime(fmt) if local else str(value)


def localdate(value) -> str:
    """The site-calendar day of a timestamp, or a date as it is."""
    return localtime(value, DATE_FORMAT)


def round_score(value, digits: int = SCORE_DIGITS) -> float | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(str(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def score(value, digits: int = SCORE_DIGITS, signed: bool = False) -> str:
    """A score with one decimal (the one rounding rule); "—" when there is none. ``signed`` for
    adjustments (+2.5 / -1.0)."""
    rounded = round_score(value, digits)
    if rounded is None:
        return Markup('<span class="text-muted">—</span>')
    return f"{rounded:+.{digits}f}" if signed else f"{rounded:.{digits}f}"


def register_filters(app) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["score"] = score
