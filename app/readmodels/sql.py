"""Atomic counter updates for read models: ``INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c``.

One statement per table whatever the number of rows, on SQLite (3.24+) and PostgreSQL alike, so
that concurrent writers add to a counter row without a read-modify-write race. Rows are sent in
key order: two PostgreSQL transactions touching the same rows lock them in the same order and
cannot deadlock each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db

#: rows per statement (SQLite binds at most 32,766 parameters in one)
BATCH = 500


def add_to_counters(table: Table, keys: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Add each row's non-key values to the row of the same key (created at those values).

    ``rows`` must not repeat a key (aggregate first). Returns how many rows were sent.
    """
    values = sorted((dict(r) for r in rows), key=lambda r: tuple(r[k] for k in keys))
    if not values:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    counters = [c for c in values[0] if c not in keys]
    for start in range(0, len(values), BATCH):
        stmt = insert(table).values(values[start:start + BATCH])
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={c: table.c[c] + stmt.excluded[c] for c in counters},
        )
        db.session.execute(stmt)
    return len(values)
