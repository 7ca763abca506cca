"""Pagers link to a window of pages, not to every page: a list that grows with the company (the HR
cycle overview of 20,000 employees had 400 page links) keeps a page of bounded size."""

import pytest

from app.ui.pagination import page_window


@pytest.mark.parametrize(("page", "pages", "expected"), [
    (1, 1, [1]),
    (3, 5, [1, 2, 3, 4, 5]),
    (10, 400, [1, 2, None, 8, 9, 10, 11, 12, None, 399, 400]),
    (1, 400, [1, 2, 3, None, 399, 400]),
    (400, 400, [1, 2, None, 398, 399, 400]),
    (7, 12, [1, 2, None, 5, 6, 7, 8, 9, 10, 11, 12]),  # a one-page gap shows the page, not "…"
])
def test_page_window(page, pages, expected):
    assert page_window(page, pages) == expected


def test_the_window_does_not_grow_with_the_number_of_pages():
    sizes = {len(page_window(page, pages)) for pages in (20, 400, 40_000) for page in (1, pages // 2, pages)}
    assert max(sizes) <= 11
