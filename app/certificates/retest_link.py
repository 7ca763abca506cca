"""Certificates and "re-test only what changed" (app/training/retest.py), joined here.

* holders: people with a current, unrevoked certificate of a course whose lessons changed, issued
  before the change set, are re-tested too (``holders`` is registered as a retest holder source);
* ``retest_passed`` → :func:`services.keep_valid` (a passed refresher keeps the certificate valid);
* ``retest_missed`` → :func:`services.mark_needs_renewal` (a missed refresher: renewal now).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db


def holders(course_ids: list[str], before: dt.datetime) -> Iterable[int]:
    if not course_ids:
        return []
    return db.session.scalars(select(Certificate.employee_id).distinct().where(
        Certificate.course_id.in_(sorted(course_ids)), Certificate.revoked_at.is_(None),
        Certificate.superseded_at.is_(None), Certificate.issued_at < before))


def on_retest_passed(_sender=None, *, employee_id: int, course_id: str, changeset_id: int | None = None,
                     **_extra) -> None:
    services.keep_valid(employee_id, course_id)


def on_retest_missed(_sender=None, *, employee_id: int, course_id: str, changeset_id: int | None = None,
                     **_extra) -> None:
    services.mark_needs_renewal(employee_id, course_id,
                                f"refresher on standard change {changeset_id} not passed by its due date")
