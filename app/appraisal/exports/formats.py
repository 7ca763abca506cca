"""The export formats registry and the row source shared by the web download and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import case, func, literal, select

from app.appraisal import live
from app.appraisal.exports.csv_export import csv_stream
from app.appraisal.exports.xlsx_export import xlsx_stream
from app.appraisal.models import Cycle, CycleScore
from app.appraisal.scoring import scope_condition
from app.appraisal.snapshots import cycle_scores, snapshot_select, with_certificates
from app.audit.services import record_event
from app.certificates.queries import RANK_LABELS_ZH, STATUS_LABELS_ZH
from app.extensions import db
from app.people.models import Department, Employee
from app.timeutil import local_today, utcnow
from app.ui.formatting import localdate, localtime

#: rows fetched per round trip (a server-side cursor on PostgreSQL)
YIELD_PER = 1000


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    mimetype: str
    write: Callable[..., Iterator[bytes]]


FORMATS = {
    "csv": ExportFormat("csv", "csv", "text/csv; charset=utf-8", lambda rows, **_: csv_stream(rows)),
    "xlsx": ExportFormat("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         lambda rows, **kw: xlsx_stream(rows, **kw)),
}


def export_rows(cycle: Cycle, department_id: int | None = None,
                progress: Callable[[int], object] | None = None) -> Iterator:
    """Stream the cycle's score rows (Core columns, not ORM objects), ordered by 工号.

    ``progress(rows_so_far)`` is called every YIELD_PER rows (the background export's bar).
    """
    stmt = export_select(cycle, department_id)
    # on the session's connection, not through the ORM's result loading (Core columns only; ~20 % of the CSV's time)
    rows = db.session.connection().execute(stmt, execution_options={"yield_per": YIELD_PER})
    if progress is None:
        yield from rows
        return
    for count, row in enumerate(rows, start=1):
        yield row
        if count % YIELD_PER == 0:
            progress(count)


def export_select(cycle: Cycle, department_id: int | None = None, today=None):
    """The export's rows, ordered by 工号: the score columns plus 证书状态 and 证书到期日.

    A closed cycle's export is a frozen record: its certificate columns are the ones its snapshot
    kept at the close (a certificate revoked or expiring later changes nothing). An open cycle's live
    rows are joined to today's certificates.
    """
    if cycle.is_open:
        return with_certificates(cycle_scores(cycle, department_id=department_id), today or local_today(),
                                 RANK_LABELS_ZH)
    status = case(*[(CycleScore.certificate_status == key, literal(label)) for key, label in STATUS_LABELS_ZH.items()])
    return snapshot_select(cycle, department_id=department_id).add_columns(
        status.label("certificate_status"), CycleScore.certificate_expires_on)


def export_size(cycle: Cycle, department_id: int | None = None) -> int:
    """About how many rows the export has, cheaply: the snapshot rows of a closed cycle, the
    employees in scope of an open one (decides between a streamed download and a job)."""
    if cycle.is_open:
        if department_id is None:
            return live.scope_size(cycle)
        stmt = select(func.count(Employee.id)).where(scope_condition(cycle), Employee.department_id == department_id)
    else:
        stmt = select(func.count(CycleScore.id)).where(
            CycleScore.cycle_id == cycle.id, CycleScore.version == cycle.version, CycleScore.superseded.is_(False))
        if department_id is not None:
            stmt = stmt.where(CycleScore.department_id == department_id)
    return int(db.session.scalar(stmt) or 0)


def sheet_heading(cycle: Cycle, department_name: str | None, created) -> list[str]:
    """What the XLSX sheet says above its table: the cycle, its window and state, the scope.
    (The CSV stays a bare table: its bytes are what HR systems import.)"""
    window = f"考核窗口：{localdate(cycle.starts_on)} 至 {localdate(cycle.ends_on)}"
    if cycle.is_open:
        state = f"状态：进行中（实时成绩，导出于 {localtime(created)}）"
    else:
        state = f"状态：已关闭（{localtime(cycle.closed_at)} 关闭，第 {cycle.version} 版）"
    scope = f"范围：{department_name}" if department_name else "范围：全部部门"
    return [cycle.name, f"{window}　{state}　{scope}"]


def export_stream(cycle: Cycle, fmt: str, department_id: int | None = None,
                  progress: Callable[[int], object] | None = None) -> Iterator[bytes]:
    """The bytes of the export file. A closed cycle's XLSX carries its close time, so it is stable."""
    export = FORMATS[fmt]
    created = cycle.closed_at if not cycle.is_open else utcnow()
    department_name = db.session.get(Department, department_id).name if department_id is not None else None
    return export.write(export_rows(cycle, department_id, progress), title=cycle.name, created=created,
                        heading=sheet_heading(cycle, department_name, created))


def export_filename(cycle: Cycle, fmt: str, department_name: str | None = None) -> tuple[str, str]:
    """(ASCII fallback, RFC 5987 encoded UTF-8 name) for Content-Disposition."""
    ext = FORMATS[fmt].extension
    ascii_name = f"appraisal-{cycle.id}.{ext}"
    readable = f"{cycle.name}{'-' + department_name if department_name else ''}.{ext}"
    return ascii_name, quote(readable)


def record_export(cycle: Cycle, fmt: str, department_id: int | None, *, actor_id: int | None, ip: str = "",
                  via: str = "web") -> None:
    record_event("appraisal.export", actor_id=actor_id, target=f"cycle:{cycle.id}", ip=ip,
                 details={"format": fmt, "department_id": department_id, "via": via, "state": cycle.state,
                          "version": cycle.version})
