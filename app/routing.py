"""Ids in URLs and query strings are bounded: nothing a client types reaches the database as an
integer the database cannot hold. Every id column is an INTEGER, which on PostgreSQL stops at
2**31 - 1 (SQLite's at 2**63 - 1): that is the bound.

- ``<int:...>`` in every route is :class:`BoundedIntConverter` (registered app-wide in
  ``create_app`` before any blueprint): 0 ≤ id ≤ 2**31 - 1, else the URL does not match (404).
- ``query_int(name)`` reads an optional integer query parameter: blank or absent gives the
  default, anything else that is not a bounded non-negative integer answers 400 naming it.
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's int converter with its bounds defaulting to what an INTEGER id column holds."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:
        lower = -MAX_ID if signed else 0
        super().__init__(map, fixed_digits=fixed_digits, min=lower if min is None else min,
                         max=MAX_ID if max is None else max, signed=signed)


def parse_bounded_int(raw: str | None) -> int | None:
    """``raw`` as a non-negative int no larger than MAX_ID (ASCII digits only), else None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 12 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def query_int(name: str, default: int | None = None) -> int | None:
    """An optional integer query parameter; a malformed one is a 400 that names the parameter."""
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return default
    value = parse_bounded_int(raw)
    if value is None:
        abort(400, _("The parameter “%(name)s” must be a whole number.", name=name))
    return value


#: no list has a million pages; a larger page number would overflow OFFSET
MAX_PAGE = 1_000_000


def query_page(name: str = "page") -> int:
    """The page number of a list (1 when absent); 0, a negative or malformed number is a 400."""
    page = query_int(name, 1)
    if page < 1 or page > MAX_PAGE:
        abort(400, _("The parameter “%(name)s” must be a page number from 1 to %(max)d.", name=name, max=MAX_PAGE))
    return page


def reject_nul_in_query() -> None:
    """A NUL in any query parameter is a 400 naming it (PostgreSQL cannot even compare with one)."""
    for name, value in request.args.items(multi=True):
        if "\x00" in value or "\x00" in name:
            abort(400, _("The parameter “%(name)s” contains a NUL character.", name=name.replace("\x00", "")[:40]))
