"""Reading an employee upload safely: CSV (UTF-8 or GBK) or XLSX, into rows with Excel row numbers.

* **Size.** At most ``IMPORT_MAX_BYTES`` (default 2 MiB; the request itself is capped by
  ``MAX_CONTENT_LENGTH``) and :data:`MAX_ROWS` rows.
* **XLSX safety.** The zip is inspected before openpyxl sees it: it must hold ``xl/workbook.xml``,
  its declared uncompressed size and per-member compression ratio are bounded (zip bombs), and no
  XML part may declare a DOCTYPE or ENTITY (XML bombs, external entities). openpyxl then parses
  it read-only, and with defusedxml installed it refuses entity tricks itself. Anything else
  (an old .xls, a PDF, an image, a renamed zip) is rejected with a clear message.
* **Row numbers** are those the user sees in Excel: the header is row 1; blank rows are skipped
  but keep their numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass, field

from flask_babel import gettext as _

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
#: zip-bomb guards for XLSX uploads
MAX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024  # tiny parts compress absurdly well and are harmless

#: accepted column headers → field
HEADERS = {
    "工号": "employee_no", "employee_no": "employee_no", "employee no": "employee_no",
    "姓名": "name", "name": "name",
    "部门": "department", "department": "department",
    "班组": "team", "team": "team",
    "岗位": "position", "职位": "position", "position": "position",
    "入职日期": "hire_date", "hire_date": "hire_date", "hire date": "hire_date",
    "角色": "role", "role": "role",
}
REQUIRED_FIELDS = ("employee_no", "name")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (too big, not a spreadsheet, bad header …)."""


@dataclass
class ImportRow:
    """One data row: the values as read (cleaned by validation) and what is wrong with it."""

    row: int
    employee_no: str = ""
    name: str = ""
    department: str = ""
    team: str = ""
    position: str = ""
    hire_date: str = ""
    role: str = ""
    errors: list[str] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------


def max_bytes(config: dict) -> int:
    return int(config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def read_upload(filename: str, data: bytes, *, limit: int = DEFAULT_MAX_BYTES) -> tuple[list[ImportRow], list[str]]:
    """Parse a CSV or XLSX upload into rows (raw text values) and notices about ignored columns."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > limit:
        raise ImportFileError(_("The file is too large (at most %(n)s KB).", n=limit // 1024))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("Old .xls workbooks are not supported: save the file as .xlsx or CSV."))
    elif name.endswith((".xlsx", ".xlsm", ".xls")):
        raise ImportFileError(_("This is not an Excel workbook."))
    else:
        table = _read_csv(data)
    return _rows_from_table(table)


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    if b"\x00" in data:
        raise ImportFileError(_("This is not a spreadsheet: upload a CSV or XLSX file."))
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise ImportFileError(_("This is not a spreadsheet: upload a CSV or XLSX file."))
    if any(ord(c) < 32 and c not in "\r\n\t" for c in text[:4096]):
        raise ImportFileError(_("This is not a spreadsheet: upload a CSV or XLSX file."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for number, record in enumerate(reader, start=1):  # a record is one Excel row
            if number > MAX_ROWS + 1:
                raise ImportFileError(_("Too many rows: at most %(n)s employees per file.", n=MAX_ROWS))
            table.append((number, record[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s", error=str(exc))) from exc
    return table


def check_xlsx_zip(data: bytes) -> None:
    """Refuse zip bombs, non-workbooks and XML with DOCTYPE/ENTITY before any XML parser runs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("This is not an Excel workbook.")) from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise ImportFileError(_("This is not an Excel workbook."))
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise ImportFileError(_("The workbook unpacks to too much data."))
        for info in infos:
            if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportFileError(_("The workbook unpacks to too much data."))
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _scan_xml_member(archive, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            # a damaged archive (bad CRC, broken deflate stream, encrypted member) is a bad upload
            raise ImportFileError(_("The workbook cannot be read: %(error)s", error=type(exc).__name__)) from exc


def _scan_xml_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read one part (never more than its declared size) and refuse DOCTYPE / ENTITY declarations."""
    read = 0
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(64 * 1024):
            read += len(chunk)
            if read > info.file_size:  # a lying header: stop before it can unpack further
                raise ImportFileError(_("The workbook unpacks to too much data."))
            window = (tail + chunk).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise ImportFileError(_("The workbook contains XML declarations that are not allowed."))
            tail = chunk[-16:]


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    check_xlsx_zip(data)
    from openpyxl import load_workbook  # after the checks; uses defusedxml when it is installed

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad upload, not a server error
        raise ImportFileError(_("The workbook cannot be read: %(error)s", error=type(exc).__name__)) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise ImportFileError(_("Too many rows: at most %(n)s employees per file.", n=MAX_ROWS))
            table.append((number, list(values)))
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ImportFileError(_("The workbook cannot be read: %(error)s", error=type(exc).__name__)) from exc
    finally:
        workbook.close()
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table: list[tuple[int, list]]) -> tuple[list[ImportRow], list[str]]:
    table = [(n, [_text(v) for v in values]) for n, values in table]
    while table and not any(table[0][1]):
        table.pop(0)
    if not table:
        raise ImportFileError(_("The file has no header row."))
    header_row, header = table[0]
    fields: list[str | None] = []
    notices = []
    for title in header:
        key = HEADERS.get(title.strip().lstrip("\ufeff").lower()) if title else None
        if title and key is None:
            notices.append(_("Column %(name)s is not imported.", name=title))
        if key is not None and key in fields:
            raise ImportFileError(_("Column %(name)s appears twice.", name=title))
        fields.append(key)
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        raise ImportFileError(_("The header row (row %(row)s) needs the columns 工号 and 姓名.", row=header_row))
    rows = []
    for number, values in table[1:]:
        if not any(values):
            continue  # blank lines are skipped, numbering continues
        row = ImportRow(row=number)
        for key, value in zip(fields, values, strict=False):
            if key is not None:
                setattr(row, key, value)
        rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has no employees below the header."))
    return rows, notices
