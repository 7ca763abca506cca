"""The export's cells, converted a column at a time: blanks, zeros, rounding, bands, dates and formula
look-alikes come out the same for result rows (transposed in C) and for plain objects (attribute by
attribute), in the CSV text and in the typed values the XLSX writes."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from decimal import Decimal
from types import SimpleNamespace

from app.appraisal.exports.columns import COLUMNS, typed_columns
from app.appraisal.exports.csv_export import csv_chunk

FIELDS = [c.field for c in COLUMNS]
Row = namedtuple("Row", ["employee_id", *FIELDS])  # an extra leading column, as the export query has


def _row(**values):
    base = dict.fromkeys(FIELDS)
    base.update(values)
    return base


ROWS = [
    _row(employee_no="E1", name="=HYPERLINK(\"x\")", department="客服部", team=None, position="-5", supervisor="@boss",
         theory=Decimal("2.675"), practice=0, observation=None, total=88.04999, band="good", completion=0.5,
         overdue=0, adjustment=-1.5, adjustment_reason="\t申诉", certificate_status="有效",
         certificate_expires_on=dt.date(2027, 3, 1)),
    _row(employee_no="E2", name="李四", band="unknown-band", completion=None, overdue=None, total=100),
]

CSV = [
    ("E1", "'=HYPERLINK(\"x\")", "客服部", "", "'-5", "'@boss", "2.67", "0.00", "", "88.05", "良好", "50.0%", "0",
     "-1.50", "'\t申诉", "有效", "2027-03-01"),
    ("E2", "李四", "", "", "", "", "", "", "", "100.00", "", "", "", "", "", "", ""),
]


def test_csv_cells_for_result_rows_and_plain_objects():
    as_tuples = [Row(employee_id=i, **values) for i, values in enumerate(ROWS)]
    as_objects = [SimpleNamespace(**values) for values in ROWS]
    assert csv_chunk(as_tuples) == CSV
    assert csv_chunk(as_objects) == CSV
    assert csv_chunk([]) == []


def test_typed_values_for_the_xlsx():
    columns = dict(zip(FIELDS, typed_columns([Row(employee_id=1, **values) for values in ROWS]), strict=True))
    assert columns["theory"] == [2.675, None] and isinstance(columns["theory"][0], float)
    assert columns["practice"] == [0.0, None]  # a zero is a number, a blank is None
    assert columns["overdue"] == [0, None] and isinstance(columns["overdue"][0], int)
    assert columns["band"] == ["良好", ""]  # an unknown band prints nothing rather than its code
    assert columns["team"] == ["", ""] and columns["certificate_expires_on"] == ["2027-03-01", ""]
    assert columns["name"][0] == "=HYPERLINK(\"x\")"  # the XLSX writes it as a string with a quote prefix
