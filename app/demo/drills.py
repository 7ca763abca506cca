"""Demo data for app/drills (being built)."""

import datetime as dt


def seed_drills(today: dt.date) -> None:
    return None
