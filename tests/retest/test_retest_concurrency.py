"""Two (eight) HR officers confirming the same change set at once: one refresher per employee.

Real threads with their own app context, session and connection, on whichever database the
suite runs on (SQLite serialises writers with BEGIN IMMEDIATE; PostgreSQL locks the change set)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db as _db
from app.people.models import Employee
from app.training import retest
from app.training.models import Assignment, RetestAssignment
from tests.retest.conftest import sync_root
from tests.retest.test_retest import _real_change

THREADS = 6


def test_concurrent_confirmations_create_each_refresher_once(app, db, world):
    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    hr_id = world.hr.id
    db.session.rollback()  # the test's own session holds nothing while the threads run
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)  # before any query: on SQLite the first one takes the write lock
                actor = _db.session.get(Employee, hr_id)
                outcome = retest.confirm(actor, set_id)
                _db.session.commit()
                outcomes[index] = (outcome.created, outcome.already)
            except Exception as exc:  # noqa: BLE001 (reported to the test)
                _db.session.rollback()
                outcomes[index] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == [(0, True)] * (THREADS - 1) + [(2, False)]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 2
    assert db.session.scalar(select(func.count()).select_from(RetestAssignment)) == 2
