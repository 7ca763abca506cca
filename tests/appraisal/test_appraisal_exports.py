"""Exports: CSV (BOM, Chinese) and XLSX (frozen header, number formats), formula cells neutralised,
the same rows from the web and the CLI, a department filter, and every export audited."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from app.appraisal.adjustments import adjust_score
from app.appraisal.exports import export_stream
from app.appraisal.exports.columns import HEADERS
from app.appraisal.snapshots import close_cycle
from app.audit.models import AuditEvent
from app.people.models import Department


@pytest.fixture()
def export_cycle(db, scored_org, make_cycle, make_employee, make_team, assign, result):
    """A closed cycle whose text cells include formula look-alikes, with one adjustment."""
    evil_dept = Department(name="\t=危险部门")
    db.session.add(evil_dept)
    db.session.commit()
    evil_team = make_team("+SUM(A1)", department=evil_dept)
    evil = make_employee(team=evil_team, employee_no="Z001", name="=HYPERLINK(\"http://x\",\"点我\")")
    evil.position = "-2+3"
    db.session.commit()
    assign(evil, "quiz", "q1", dt.date(2026, 8, 1))
    result(evil, "quiz", "q1", 77.5, dt.datetime(2026, 7, 30, 2))
    cycle = make_cycle(name="2026年下半年")
    close_cycle(cycle, actor_id=None, as_of=dt.date(2026, 10, 15))
    adjust_score(cycle, evil.id, -2.5, "@cmd 扣分", actor_id=None)
    adjust_score(cycle, scored_org["b"].id, 1, "表现良好", actor_id=None)
    db.session.commit()
    return cycle


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _xlsx_rows(data: bytes) -> tuple[list[list], object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()], sheet


def test_csv_download(client, login_as, export_cycle, db):
    hr = login_as("hr")
    response = client.get(f"/appraisal/{export_cycle.id}/export.csv", buffered=True)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # streamed: the length is not known up front
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.get_data())
    assert tuple(rows[0]) == HEADERS
    by_no = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    a = by_no["A001"]
    assert (a["姓名"], a["部门"], a["班组"], a["总分"], a["等级"], a["完成率"], a["逾期数"]) == (
        "张三", "客服部", "前台一班", "51.43", "不合格", "50.0%", "1")
    assert a["理论成绩"] == "45.00" and a["观察成绩"] == ""
    b = by_no["B001"]
    assert (b["总分"], b["调整分"], b["调整原因"], b["等级"]) == ("90.29", "1.00", "表现良好", "优秀")
    z = by_no["Z001"]
    assert z["姓名"] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert z["部门"] == "'\t=危险部门"
    assert z["班组"] == "'+SUM(A1)"
    assert z["岗位"] == "'-2+3"
    assert z["调整原因"] == "'@cmd 扣分"
    assert z["调整分"] == "-2.50"  # a number, not text: left as it is
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.export"))
    assert event.actor_id == hr.id and event.target == f"cycle:{export_cycle.id}"
    assert event.details["format"] == "csv" and event.details["department_id"] is None


def test_csv_first_chunk_is_bom_and_header_before_any_row_is_read(export_cycle):
    stream = export_stream(export_cycle, "csv")
    first = next(stream)
    assert first == ("\ufeff" + ",".join(HEADERS) + "\r\n").encode("utf-8")
    rest = b"".join(stream)
    assert rest.count(b"\r\n") >= 5


def test_xlsx_stream_removes_its_temp_file(export_cycle, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chunks = list(export_stream(export_cycle, "xlsx"))
    assert b"".join(chunks)[:2] == b"PK"
    assert list(tmp_path.iterdir()) == []


def test_xlsx_download(client, login_as, export_cycle):
    login_as("admin")
    response = client.get(f"/appraisal/{export_cycle.id}/export.xlsx", buffered=True)
    assert response.status_code == 200 and "Content-Length" not in response.headers
    data = response.get_data()
    assert data[:2] == b"PK"
    rows, sheet = _xlsx_rows(data)
    # what the sheet is, above the table: the cycle's name, window, state and scope
    assert rows[0][0] == "2026年下半年"
    assert rows[1][0].startswith(f"考核窗口：{export_cycle.starts_on:%Y-%m-%d} 至 {export_cycle.ends_on:%Y-%m-%d}")
    assert "状态：已关闭" in rows[1][0] and "范围：全部部门" in rows[1][0]
    rows = rows[2:]
    assert tuple(rows[0]) == HEADERS
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")
    assert sheet.column_dimensions["O"].width >= 30  # 调整原因 is wide
    by_no = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    a = by_no["A001"]
    assert a["总分"] == 51.43 and a["完成率"] == 0.5 and a["逾期数"] == 1 and a["等级"] == "不合格"
    assert a["观察成绩"] is None
    row_index = [r[0] for r in rows].index("A001") + 3
    assert sheet.cell(row_index, 10).number_format == "0.00"
    assert sheet.cell(row_index, 12).number_format == "0.0%"
    z_index = [r[0] for r in rows].index("Z001") + 3
    for col, text in ((2, "=HYPERLINK(\"http://x\",\"点我\")"), (3, "\t=危险部门"), (4, "+SUM(A1)"), (5, "-2+3"),
                      (15, "@cmd 扣分")):
        cell = sheet.cell(z_index, col)
        assert cell.value == text
        assert cell.data_type == "s", (col, cell.data_type)  # a string, never a formula
        assert cell.quotePrefix, col  # Excel keeps it text even when the cell is edited
    assert sheet.cell(z_index, 14).value == -2.5


def test_xlsx_heading_names_department_and_neutralises_a_formula_like_cycle_name(client, login_as, export_cycle,
                                                                              scored_org, db):
    login_as("hr")
    export_cycle.name = "=HYPERLINK(1)"
    db.session.commit()
    d2 = scored_org["d2"]
    rows, sheet = _xlsx_rows(client.get(f"/appraisal/{export_cycle.id}/export.xlsx?department={d2.id}",
                                        buffered=True).get_data())
    assert rows[0][0] == "=HYPERLINK(1)" and sheet.cell(1, 1).data_type == "s" and sheet.cell(1, 1).quotePrefix
    assert f"范围：{d2.name}" in rows[1][0]
    assert [r[0] for r in rows[3:]] == ["F001"]
    # the CSV of the same export stays a bare table: header first, no heading lines
    csv_rows = _csv_rows(client.get(f"/appraisal/{export_cycle.id}/export.csv?department={d2.id}",
                                    buffered=True).get_data())
    assert tuple(csv_rows[0]) == HEADERS


def test_department_filter_and_audit(client, login_as, export_cycle, scored_org, db):
    login_as("hr")
    d2 = scored_org["d2"]
    rows = _csv_rows(client.get(f"/appraisal/{export_cycle.id}/export.csv?department={d2.id}", buffered=True).get_data())
    assert [r[0] for r in rows[1:]] == ["F001"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "appraisal.export")).all()[-1]
    assert event.details["department_id"] == d2.id
    assert client.get(f"/appraisal/{export_cycle.id}/export.csv?department=999999", buffered=True).status_code == 404
    assert client.get(f"/appraisal/{export_cycle.id}/export.pdf", buffered=True).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_writes_the_same_rows_as_the_web(client, login_as, runner, export_cycle, tmp_path, fmt, db):
    login_as("hr")
    web = client.get(f"/appraisal/{export_cycle.id}/export.{fmt}", buffered=True).get_data()
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(args=["appraisal", "export", "--cycle", str(export_cycle.id), "--format", fmt,
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    cli = out.read_bytes()
    if fmt == "csv":
        assert cli == web
        assert _csv_rows(cli) == _csv_rows(web)
    else:
        assert _xlsx_rows(cli)[0] == _xlsx_rows(web)[0]
        assert cli == web  # a closed cycle's workbook is byte-stable (its close time is the date)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "appraisal.export")).all()
    assert [e.details["via"] for e in events] == ["web", "cli"]


def test_open_cycle_exports_live_scores(client, login_as, scored_org, make_cycle, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 4, 0, tzinfo=dt.UTC))
    cycle = make_cycle()
    login_as("hr")
    rows = _csv_rows(client.get(f"/appraisal/{cycle.id}/export.csv", buffered=True).get_data())
    a = next(r for r in rows if r[0] == "A001")
    assert a[9] == "51.43"


def test_export_is_hr_and_admin_only(client, login_as, export_cycle):
    login_as("supervisor")
    assert client.get(f"/appraisal/{export_cycle.id}/export.csv", buffered=True).status_code == 403


def test_cli_rejects_unknown_cycle(runner, tmp_path, db):
    result = runner.invoke(args=["appraisal", "export", "--cycle", "999", "--format", "csv",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "999" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_compression_leaves_export_streams_alone(client, login_as, export_cycle, fmt):
    """Flask-Compress is on for HTML/JSON; a browser asking for br/gzip still gets the export as a
    stream (no Content-Encoding, nothing buffered) with the very bytes of a plain download."""
    login_as("hr")
    url = f"/appraisal/{export_cycle.id}/export.{fmt}"
    plain = client.get(url, buffered=True).get_data()
    streamed = client.get(url, headers={"Accept-Encoding": "br, gzip, zstd"}, buffered=True)
    assert streamed.status_code == 200
    assert "Content-Encoding" not in streamed.headers
    assert "Content-Length" not in streamed.headers  # still a stream: a compressed body would carry its length
    assert streamed.get_data() == plain
