"""Errors the drill services raise for the routes to show (never a 500)."""

from __future__ import annotations


class DrillError(Exception):
    """Something the user can fix or should know: shown as a flash message. The message is a
    translated (lazy) string."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


class NotAllowed(DrillError):
    """The viewer may not act on this employee or record (the route answers 403)."""


