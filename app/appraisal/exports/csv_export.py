"""CSV: UTF-8 with a BOM (so Excel shows Chinese), CRLF rows, streamed in small chunks.

The rows are converted a chunk at a time, column by column (one list comprehension per column of
500 rows, then ``csv.writer.writerows``): a function call per cell made the export four times the
cost of a bare ``sqlite3`` + ``csv`` dump of the same rows (``bench/export_bench.py``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from app.appraisal.exports.columns import (
    COLUMNS,
    DANGEROUS_PREFIXES,
    HEADERS,
    INT,
    PERCENT,
    SCORE,
    Column,
    neutralise,
    typed_columns,
)

BOM = "\ufeff"
#: rows per yielded chunk: small enough for a quick first byte, large enough to keep writes cheap
CHUNK_ROWS = 500


def _text(kind: str) -> Callable[[list], list[str]]:
    """One column's typed values (``columns.typed_columns``) → the text of its cells."""
    if kind == SCORE:
        return lambda values: ["" if v is None else f"{v:.2f}" for v in values]
    if kind == PERCENT:
        return lambda values: ["" if v is None else f"{v * 100:.1f}%" for v in values]
    if kind == INT:
        return lambda values: ["" if v is None else str(v) for v in values]
    # text and band: a cell a spreadsheet would read as a formula gets an apostrophe
    return lambda values: [neutralise(v) if v.startswith(DANGEROUS_PREFIXES) else v for v in values]


def csv_chunk(rows: Sequence, columns: Sequence[Column] = COLUMNS) -> list[tuple[str, ...]]:
    """Rows (result rows, or anything with the columns' fields as attributes) → the CSV cells, row by row."""
    if not rows:
        return []
    typed = typed_columns(rows, columns)
    text = [_text(c.kind)(values) for c, values in zip(columns, typed, strict=True)]
    return list(zip(*text, strict=True))


def csv_stream(rows: Iterable) -> Iterator[bytes]:
    """Yield the file: the BOM and header at once, then the rows as they are read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield (BOM + buffer.getvalue()).encode("utf-8")
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(csv_chunk(chunk))
        yield buffer.getvalue().encode("utf-8")
