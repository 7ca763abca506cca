"""Errors the drill services raise for the routes to show (never a 500)."""

from __future__ import annotations

import datetime as dt


class DrillError(Exception):
    """Something the user can fix or should know: shown as a flash message. The message is a
    translated (lazy) string."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


class NotAllowed(DrillError):
    """The viewer may not act on this employee or record (the route answers 403)."""


def utcnow() -> dt.datetime:
    """Naive UTC, as every DateTime column in the project."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
