"""CSV: UTF-8 with a BOM (so Excel shows Chinese), CRLF rows, streamed in small chunks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from app.appraisal.exports.columns import COLUMNS, HEADERS, INT, PERCENT, SCORE, cell_value, neutralise

BOM = "\ufeff"
#: rows per yielded chunk: small enough for a quick first byte, large enough to keep writes cheap
CHUNK_ROWS = 500


def csv_cell(column, row) -> str:
    value = cell_value(column, row)
    if value is None:
        return ""
    if column.kind == SCORE:
        return f"{value:.2f}"
    if column.kind == PERCENT:
        return f"{value * 100:.1f}%"
    if column.kind == INT:
        return str(value)
    return neutralise(value)


def csv_stream(rows: Iterable) -> Iterator[bytes]:
    """Yield the file: the BOM and header at once, then the rows as they are read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield (BOM + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for row in rows:
        writer.writerow([csv_cell(c, row) for c in COLUMNS])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")
