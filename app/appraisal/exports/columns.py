"""The export's columns (Chinese headers, as HR's spreadsheets expect) and cell neutralisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TEXT, SCORE, PERCENT, INT, BAND = "text", "score", "percent", "int", "band"

#: the printed names of the bands in every export, whatever the interface language
BAND_LABELS_ZH = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}

#: a text cell starting with one of these could be run as a formula by a spreadsheet
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    #: XLSX column width in characters
    width: float


COLUMNS = (
    Column("工号", "employee_no", TEXT, 12),
    Column("姓名", "name", TEXT, 12),
    Column("部门", "department", TEXT, 16),
    Column("班组", "team", TEXT, 16),
    Column("岗位", "position", TEXT, 14),
    Column("直属上级", "supervisor", TEXT, 12),
    Column("理论成绩", "theory", SCORE, 10),
    Column("实操成绩", "practice", SCORE, 10),
    Column("观察成绩", "observation", SCORE, 10),
    Column("总分", "total", SCORE, 9),
    Column("等级", "band", BAND, 8),
    Column("完成率", "completion", PERCENT, 9),
    Column("逾期数", "overdue", INT, 8),
    Column("调整分", "adjustment", SCORE, 9),
    Column("调整原因", "adjustment_reason", TEXT, 40),
    #: the status of the employee's certificates (the worst: 已过期 > 已撤销 > 有效; blank: none), today's
    #: while the cycle is open, as at the close once it is closed (``formats.export_select``)
    Column("证书状态", "certificate_status", TEXT, 10),
    #: the earliest expiry date of the employee's unrevoked certificates (today's / as at the close, as above)
    Column("证书到期日", "certificate_expires_on", TEXT, 12),
)

HEADERS = tuple(c.header for c in COLUMNS)


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def neutralise(text: str) -> str:
    """Prefix a text that a spreadsheet would read as a formula with an apostrophe (CSV cells)."""
    return "'" + text if is_dangerous(text) else text


def raw_columns(rows: Sequence, columns: Sequence[Column] = COLUMNS) -> list[Sequence]:
    """The chunk's raw values, one sequence per column: result rows and named tuples are transposed
    in C (``zip(*rows)``); other objects are read attribute by attribute."""
    fields = getattr(rows[0], "_fields", None) if rows else None
    if fields is not None:
        by_field = dict(zip(fields, zip(*rows, strict=True), strict=True))
        return [by_field[c.field] for c in columns]
    return [[getattr(row, c.field) for row in rows] for c in columns]


def _typed(kind: str, values: Sequence) -> list:
    """One column's typed values: str for text and band ("" when blank), float / int for numbers,
    None when blank. A whole column at once: one comprehension instead of a call per cell made the
    CSV export four times the cost of a bare dump (``bench/export_bench.py``)."""
    if kind == BAND:
        return [BAND_LABELS_ZH.get(v, "") if v else "" for v in values]
    if kind == TEXT:
        return ["" if v is None else str(v) for v in values]
    if kind == INT:
        return [None if v is None else int(v) for v in values]
    return [None if v is None else float(v) for v in values]


def typed_columns(rows: Sequence, columns: Sequence[Column] = COLUMNS) -> list[list]:
    """Per column, the chunk's typed values (:func:`_typed`): what both the CSV and the XLSX write."""
    return [_typed(c.kind, values) for c, values in zip(columns, raw_columns(rows, columns), strict=True)]
