"""Demo data for app/appraisal (being built)."""

import datetime as dt


def seed_appraisal(today: dt.date) -> None:
    return None
