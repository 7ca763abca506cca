"""Demo data for app/training (being built)."""

import datetime as dt


def seed_training(today: dt.date) -> None:
    return None
