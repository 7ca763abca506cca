"""XLSX with XlsxWriter in constant-memory mode, written to a temporary file and streamed from it.

``in_memory=True`` would silently switch constant_memory off (DESIGN §8), so the workbook goes to a
temp file row by row (memory stays flat however many rows there are) and is then sent in chunks
and deleted. Text cells are written with ``write_string`` (never parsed as formulas); those that
start like a formula also get Excel's quote prefix, so editing the cell does not turn them into one.
Above the table, ``heading`` lines (the cycle's name, window and state) say what the sheet is; the
column headers follow, with the panes frozen and the autofilter set on them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import xlsxwriter

from app.appraisal.exports.columns import (
    BAND,
    COLUMNS,
    DANGEROUS_PREFIXES,
    INT,
    PERCENT,
    SCORE,
    TEXT,
    is_dangerous,
    typed_columns,
)

CHUNK_BYTES = 64 * 1024
#: rows converted at a time (column by column, see ``columns.typed_columns``)
CHUNK_ROWS = 500


def write_workbook(rows: Iterable, path: str, *, title: str = "", created: dt.datetime | None = None,
                   heading: Sequence[str] = ()) -> int:
    """Write the heading lines, the column headers and the rows to ``path``; returns the number of data rows."""
    workbook = xlsxwriter.Workbook(path, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "tmpdir": tempfile.gettempdir(),
    })
    properties = {"title": title, "created": created or dt.datetime(2000, 1, 1)}
    workbook.set_properties(properties)
    sheet = workbook.add_worksheet("成绩")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    formats = {
        SCORE: workbook.add_format({"num_format": "0.00"}),
        PERCENT: workbook.add_format({"num_format": "0.0%"}),
        INT: workbook.add_format({"num_format": "0"}),
        TEXT: workbook.add_format({"num_format": "@"}),
        BAND: workbook.add_format({"num_format": "@", "align": "center"}),
    }
    quoted = workbook.add_format({"num_format": "@", "quote_prefix": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    line_format = workbook.add_format({"font_color": "#404040"})
    for i, column in enumerate(COLUMNS):
        sheet.set_column(i, i, column.width)
    for line_no, line in enumerate(heading):
        # heading text comes from HR-entered names: always a string, quoted when it looks like a formula
        fmt = title_format if line_no == 0 else line_format
        sheet.write_string(line_no, 0, line, quoted if is_dangerous(line) else fmt)
    top = len(heading)
    sheet.freeze_panes(top + 1, 0)
    for i, column in enumerate(COLUMNS):
        sheet.write_string(top, i, column.header, header)
    count = 0
    write_string, write_number = sheet.write_string, sheet.write_number
    texts = [(i, formats[c.kind]) for i, c in enumerate(COLUMNS) if c.kind in (TEXT, BAND)]
    numbers = [(i, formats[c.kind]) for i, c in enumerate(COLUMNS) if c.kind not in (TEXT, BAND)]
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        values = typed_columns(chunk)  # per column, the chunk's typed values (the one set of cell rules)
        text_values = [(i, fmt, values[i]) for i, fmt in texts]
        number_values = [(i, fmt, values[i]) for i, fmt in numbers]
        for offset in range(len(chunk)):
            line = top + count + offset + 1
            for i, fmt, column in text_values:
                if value := column[offset]:
                    write_string(line, i, value, quoted if value.startswith(DANGEROUS_PREFIXES) else fmt)
            for i, fmt, column in number_values:
                if (value := column[offset]) is not None:
                    write_number(line, i, value, fmt)
        count += len(chunk)
    sheet.autofilter(top, 0, top + max(count, 1), len(COLUMNS) - 1)
    workbook.close()
    return count


def xlsx_stream(rows: Iterable, *, title: str = "", created: dt.datetime | None = None,
                heading: Sequence[str] = ()) -> Iterator[bytes]:
    """Build the workbook in a temp file, then yield it in chunks; the file is always removed."""
    fd, path = tempfile.mkstemp(prefix="appraisal-", suffix=".xlsx")
    os.close(fd)
    try:
        write_workbook(rows, path, title=title, created=created, heading=heading)
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)
