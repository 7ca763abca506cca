"""What the four drill kinds' ActivityKind classes share (each kind's ``kind.py`` subclasses it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Select

from app.extensions import db
from app.results.kinds import ActivityKind, day_of

from .spec_render import spec_cited_ids


def since_filter(stmt: Select, employee_column, time_column, employee_ids: Iterable[int] | None,
                 since: dt.datetime | None, by_day: bool = False) -> Select:
    """Limit ``stmt`` to some employees (None: everyone) and to rows from ``since`` on (None: all).

    ``by_day``: add ``employee_id`` and ``day`` columns and group by them (the caller adds its own
    GROUP BY too)."""
    if by_day:
        extra = (employee_column.label("employee_id"), day_of(time_column).label("day"))
        stmt = stmt.add_columns(*extra).group_by(*extra)
    if employee_ids is not None:
        stmt = stmt.where(employee_column.in_(list(employee_ids)))
    if since is not None:
        stmt = stmt.where(time_column >= since)
    return stmt


class DrillKind(ActivityKind):
    """A drill kind: its catalog row keeps the rendered ``spec``, which quotes every cited clause."""

    def cited_clauses(self, activity_id: str) -> list[str]:
        """The clause ids the item's current version cites, in order ([] for an unknown item)."""
        item = db.session.get(self.catalog, activity_id)
        return spec_cited_ids(item.spec) if item is not None else []
