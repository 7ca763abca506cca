"""Which page numbers a pager links to: the first and last pages and a few around the current one,
with a gap (None) for each run left out, so a list of 20,000 employees (400 pages) renders about a
dozen links, not 400 (the HR cycle overview did: its cost grew with the company)."""

from __future__ import annotations


def page_window(page: int, pages: int, edge: int = 2, around: int = 2) -> list[int | None]:
    """``page_window(10, 400)`` → ``[1, 2, None, 8, 9, 10, 11, 12, None, 399, 400]``; every page when
    they are few enough that a gap would hide no more than a page or two."""
    if pages <= 2 * edge + 2 * around + 3:
        return list(range(1, pages + 1))
    shown = sorted({*range(1, edge + 1), *range(max(1, page - around), min(pages, page + around) + 1),
                    *range(pages - edge + 1, pages + 1)})
    out: list[int | None] = []
    for p in shown:
        if out and p == out[-1] + 2:  # a gap of one page: show the page rather than "…"
            out.append(p - 1)
        elif out and p != out[-1] + 1:
            out.append(None)
        out.append(p)
    return out
