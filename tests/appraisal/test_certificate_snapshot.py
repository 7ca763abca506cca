"""A closed cycle's export shows the certificates as they were at the close (证书状态, 证书到期日 are frozen
in its CycleScore rows); an open cycle's export shows today's. A certificate revoked or expiring after
the close leaves the closed export's bytes as they were; a reopen and re-close freezes the new status."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import itertools
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy import update as sa_update

from app.appraisal import snapshots
from app.appraisal.exports import export_stream
from app.appraisal.exports.columns import HEADERS
from app.appraisal.jobs import enqueue_close
from app.appraisal.models import Cycle, CycleScore
from app.appraisal.snapshots import close_cycle, reopen_cycle
from app.certificates import services
from app.certificates.models import Certificate
from app.content.models import Course
from app.people.models import Role

CLOSE_DAY = dt.date(2026, 10, 15)
AT_CLOSE = dt.datetime(2026, 10, 15, 4, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2027, 1, 20, 4, 0, tzinfo=dt.UTC)  # after the revocation and V2's expiry
_numbers = itertools.count(1)


@pytest.fixture()
def holders(db, make_employee):
    """V valid (expires 2027-01-10, revoked after the close), V2 valid at the close but expiring
    before LATER, E already expired at the close, N without any certificate."""
    for course_id in ("new-hire", "phone"):
        db.session.add(Course(id=course_id, title=course_id, content_hash="x" * 64))
    people = {key: make_employee(employee_no=f"{key}01", name=f"持证{key}") for key in ("V", "V2", "E", "N")}

    def certify(employee, course_id: str, expires_on: dt.date) -> Certificate:
        n = next(_numbers)
        cert = Certificate(number=f"EA-2026-{n:06d}", verification_code=f"code-{n}", employee_id=employee.id,
                           course_id=course_id, score=90.0, issued_at=dt.datetime(2026, 1, 10, 2, 0),
                           expires_on=expires_on, content_hash="x" * 64)
        db.session.add(cert)
        return cert

    certs = {
        "V": certify(people["V"], "new-hire", dt.date(2027, 1, 10)),
        "V2": certify(people["V2"], "new-hire", dt.date(2026, 11, 30)),
        "E": certify(people["E"], "phone", dt.date(2026, 9, 30)),
    }
    db.session.commit()
    return people, certs


def _csv(cycle) -> bytes:
    return b"".join(export_stream(cycle, "csv"))


def _cert_cells(data: bytes) -> dict[str, tuple[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert tuple(rows[0]) == HEADERS
    return {r[0]: (r[-2], r[-1]) for r in rows[1:]}


def _xlsx_cert_cells(cycle) -> dict[str, tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export_stream(cycle, "xlsx")))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()][2:]  # below the two heading lines
    assert tuple(rows[0]) == HEADERS
    return {r[0]: (r[-2] or "", r[-1] or "") for r in rows[1:]}  # a blank cell is left empty (None)


def _snapshot(db, cycle_id: int, version: int) -> dict[str, tuple]:
    rows = db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle_id,
                                                       CycleScore.version == version))
    return {r.employee_no: (r.certificate_status, r.certificate_expires_on) for r in rows}


def _closed_on_close_day(db, make_cycle, time_machine) -> Cycle:
    time_machine.move_to(AT_CLOSE, tick=False)
    cycle = make_cycle(name="2026年下半年")
    close_cycle(cycle, actor_id=None, as_of=CLOSE_DAY)
    db.session.commit()
    return cycle


def _revoke_v_later(certs, make_employee, time_machine) -> None:
    """Later: V's certificate is revoked (and V2's has expired by then)."""
    time_machine.move_to(LATER, tick=False)
    services.revoke(certs["V"], make_employee(role=Role.HR), "证书造假")


AT_CLOSE_CELLS = {
    "V01": ("有效", "2027-01-10"),
    "V201": ("有效", "2026-11-30"),
    "E01": ("已过期", "2026-09-30"),
    "N01": ("", ""),
}
#: what the snapshot rows hold after a close on CLOSE_DAY (a CertStatus value, the earliest unrevoked expiry)
AT_CLOSE_SNAPSHOT = {
    "V01": ("valid", dt.date(2027, 1, 10)),
    "V201": ("valid", dt.date(2026, 11, 30)),
    "E01": ("expired", dt.date(2026, 9, 30)),
    "N01": (None, None),
}
LATER_CELLS = {
    "V01": ("已撤销", ""),  # revoked: no expiry counts any more
    "V201": ("已过期", "2026-11-30"),
    "E01": ("已过期", "2026-09-30"),
    "N01": ("", ""),
}


def test_closed_export_keeps_the_certificates_at_the_close_and_open_export_shows_today(
        db, holders, make_cycle, make_employee, time_machine):
    people, certs = holders
    closed = _closed_on_close_day(db, make_cycle, time_machine)
    before = _csv(closed)
    assert _cert_cells(before) == AT_CLOSE_CELLS

    # later: V's certificate is revoked, V2's has expired
    _revoke_v_later(certs, make_employee, time_machine)
    db.session.commit()
    open_cycle = make_cycle(name="2027年上半年", starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 30))

    after = _csv(db.session.get(Cycle, closed.id))
    assert after == before  # a closed cycle's export is a frozen record: same bytes
    assert _xlsx_cert_cells(closed) == AT_CLOSE_CELLS
    assert _cert_cells(_csv(open_cycle)) == LATER_CELLS  # an open cycle: today's certificates
    assert _xlsx_cert_cells(open_cycle) == LATER_CELLS
    # the snapshot rows carry the status (a CertStatus value) and the earliest unrevoked expiry
    assert _snapshot(db, closed.id, 1) == AT_CLOSE_SNAPSHOT


def test_reopen_and_reclose_freezes_the_status_at_the_new_close(db, holders, make_cycle, make_employee,
                                                                  time_machine):
    people, certs = holders
    cycle = _closed_on_close_day(db, make_cycle, time_machine)

    _revoke_v_later(certs, make_employee, time_machine)
    reopen_cycle(cycle, actor_id=None, reason="补录成绩")
    db.session.commit()
    assert _cert_cells(_csv(cycle)) == LATER_CELLS  # open again: live
    close_cycle(cycle, actor_id=None)  # as of today (LATER)
    db.session.commit()

    assert _cert_cells(_csv(cycle)) == LATER_CELLS
    assert _snapshot(db, cycle.id, 2) == {
        "V01": ("revoked", None),
        "V201": ("expired", dt.date(2026, 11, 30)),
        "E01": ("expired", dt.date(2026, 9, 30)),
        "N01": (None, None),
    }
    # the first close's rows are kept (superseded) with the status at that close
    assert _snapshot(db, cycle.id, 1)["V01"] == ("valid", dt.date(2027, 1, 10))


def test_close_job_in_batches_freezes_the_certificates(client, login_as, db, holders, make_cycle, assign, result,
                                                       time_machine, monkeypatch):
    """The background close (the path the web's 关闭 button takes) writes the same columns, whichever
    batch a row is in: V and E have activities (the streamed batches), V2 and N none (the tail)."""
    people, _certs = holders
    monkeypatch.setattr(snapshots, "CLOSE_BATCH", 1)
    time_machine.move_to(AT_CLOSE, tick=False)
    for key in ("V", "E"):
        assign(people[key], "quiz", "q1", dt.date(2026, 8, 1))
        result(people[key], "quiz", "q1", 80, dt.datetime(2026, 7, 30, 2))
    cycle = make_cycle(name="2026年下半年")
    hr = login_as("hr")
    enqueue_close(cycle, actor_id=hr.id)
    db.session.commit()  # dispatched, and with JOBS_WAIT finished
    cycle = db.session.get(Cycle, cycle.id)
    assert not cycle.is_open and cycle.version == 1
    assert _snapshot(db, cycle.id, 1) == AT_CLOSE_SNAPSHOT
    time_machine.move_to(LATER, tick=False)
    assert _cert_cells(_csv(cycle)) == AT_CLOSE_CELLS


def _migration_0018():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0018_cycle_score_certificates.py"
    spec = importlib.util.spec_from_file_location("migration_0018", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfills_cycles_closed_before_it_with_the_status_at_their_close(
        db, holders, make_cycle, make_employee, time_machine):
    """Cycles closed before migration 0018 recorded no certificates: its backfill works the status at
    each close out of the certificate dates, so upgrading does not blank a closed cycle's export, nor
    fill it with today's statuses. A certificate revoked after the close was valid at the close."""
    people, certs = holders
    closed = _closed_on_close_day(db, make_cycle, time_machine)
    _revoke_v_later(certs, make_employee, time_machine)
    # as a pre-0018 close left them
    db.session.execute(sa_update(CycleScore).values(certificate_status=None, certificate_expires_on=None))
    db.session.commit()
    assert _cert_cells(_csv(closed))["V01"] == ("", "")

    written = _migration_0018().backfill(db.session.connection())
    db.session.commit()
    assert written == 3  # V, V2, E; N holds no certificate
    assert _snapshot(db, closed.id, 1) == AT_CLOSE_SNAPSHOT
    assert _cert_cells(_csv(closed)) == AT_CLOSE_CELLS
