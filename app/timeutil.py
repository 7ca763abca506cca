"""The app's one clock: naive UTC, the form every DateTime column stores."""

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
