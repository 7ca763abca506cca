"""Builders of the certificate tests: results that meet (or miss) the shipped rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.results.services import record_result
from app.timeutil import utcnow

_sources = itertools.count(10_000)


@pytest.fixture()
def pass_activity(db):
    """Record a Result as an activity would (``record_result``: the signal issues certificates)."""

    def record(employee, kind: str, activity_id: str, score: float = 90.0, *, passed: bool | None = True,
               at: dt.datetime | None = None, commit: bool = True):
        result = record_result(employee_id=employee.id, kind=kind, activity_id=activity_id, source_id=next(_sources),
                               score=score, finished_at=at or utcnow(), passed=passed)
        if commit:
            db.session.commit()
        return result

    return record
