"""Reading uploads: CSV (UTF-8 BOM, GBK), XLSX, and the files that must be refused."""

from pathlib import Path

import pytest
from flask_babel import force_locale

from app.people.import_files import MAX_ROWS, ImportFileError, read_upload

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def _read(name: str, **kw):
    return read_upload(name, (FIXTURES / name).read_bytes(), **kw)


def _refused(name: str, data: bytes | None = None, **kw) -> str:
    with force_locale("en"), pytest.raises(ImportFileError) as info:
        read_upload(name, data if data is not None else (FIXTURES / name).read_bytes(), **kw)
    return str(info.value)


def test_csv_with_bom_row_numbers_as_in_excel(app):
    with app.app_context():
        rows, notices = _read("good.csv")
    assert [(r.row, r.employee_no, r.name, r.team) for r in rows] == [
        (2, "N101", "钱新", "前台一班"), (3, "N102", "孙新", ""), (5, "N104", "李新", "前台二班")]
    assert rows[1].hire_date == "2026/11/03" and notices == []


def test_gbk_csv_from_chinese_excel(app):
    with app.app_context():
        rows, _ = _read("gbk.csv")
    assert (rows[0].employee_no, rows[0].name, rows[0].department) == ("G201", "国标", "客服部")


def test_xlsx_values(app):
    with app.app_context():
        rows, _ = _read("good.xlsx")
    assert [(r.row, r.employee_no) for r in rows] == [(2, "N001"), (3, "1002"), (4, "N003")]
    assert rows[0].hire_date == "2026-11-02" and rows[0].role == "学员"


def test_unknown_columns_are_reported_not_fatal(app):
    data = "工号,姓名,备注\r\nK1,甲,随便\r\n".encode()
    with app.app_context(), force_locale("en"):
        rows, notices = read_upload("x.csv", data)
    assert len(rows) == 1 and "备注" in notices[0]


@pytest.mark.parametrize(("name", "message"), [
    ("bomb.xlsx", "too much data"),
    ("entities.xlsx", "not allowed"),
    ("not_a_workbook.xlsx", "not an excel workbook"),
    ("pdf_renamed.xlsx", "not an excel workbook"),
    ("old.xls", ".xls"),
    ("no_employee_no_column.csv", "工号"),
])
def test_refused_files(app, name, message):
    with app.app_context():
        assert message in _refused(name).lower()


def test_binary_disguised_as_csv(app):
    with app.app_context():
        assert "not a spreadsheet" in _refused("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").lower()


def test_size_limit(app):
    with app.app_context():
        assert "too large" in _refused("big.csv", b"x" * 2048, limit=1024).lower()
        assert "empty" in _refused("empty.csv", b"").lower()


def test_row_limit(app):
    data = ("工号,姓名\r\n" + "".join(f"R{i},名{i}\r\n" for i in range(MAX_ROWS + 1))).encode()
    with app.app_context():
        assert "too many rows" in _refused("many.csv", data, limit=10 * 1024 * 1024).lower()


def test_openpyxl_uses_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
