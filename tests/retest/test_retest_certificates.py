"""Re-testing and certificates together: holders are re-tested, a missed refresher flags the
certificate for renewal, a passed one keeps it valid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.certificates import retest_link, services
from app.certificates.models import Certificate
from app.content.models import ContentChangeSet
from app.timeutil import local_today, utcnow
from app.training import retest, retest_outcome
from tests.retest.conftest import pass_activity, sync_root
from tests.retest.test_retest import _confirmed, _real_change


def test_a_certificate_holder_is_re_tested(db, world, make_employee):
    holder = make_employee()
    # certified on new-hire (the certificate rule: the final quiz) — a result recorded just now
    pass_activity(db, holder, "quiz", "new-hire-final", at=utcnow())
    assert services.current_certificate(holder.id, "new-hire") is not None
    _real_change(world.root)
    set_id = sync_root(world.root, db).change_set_id
    ids = retest.affected_employee_ids(db.session.get(ContentChangeSet, set_id))
    assert holder.id in ids
    assert set(retest_link.holders(["new-hire"], utcnow())) >= {holder.id}
    assert list(retest_link.holders(["new-hire"], dt.datetime(2000, 1, 1))) == []  # issued after: not a holder then


def test_missed_refresher_flags_the_certificate_and_a_pass_clears_it(db, world, client, login):
    employee = world.learned_final
    cert = services.current_certificate(employee.id, "new-hire")
    assert cert is not None and cert.needs_renewal_since is None
    _confirmed(db, world, client, login)
    retest_outcome.sweep(local_today() + dt.timedelta(days=15))
    db.session.commit()
    db.session.expire_all()
    flagged = db.session.scalar(select(Certificate).where(Certificate.id == cert.id))
    assert flagged.needs_renewal_since is not None and "not passed" in flagged.needs_renewal_reason
    assert services.due_for_renewal(flagged)
    retest_link.on_retest_passed(employee_id=employee.id, course_id="new-hire", changeset_id=1)
    db.session.commit()
    assert db.session.get(Certificate, cert.id).needs_renewal_since is None
