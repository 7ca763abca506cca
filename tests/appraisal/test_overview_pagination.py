"""The HR cycle overview links a window of pages: with 20,000 employees it rendered 400 page links,
a page whose cost grew with the company (app/ui/pagination.py)."""

import re

from app.appraisal import routes as appraisal_routes


def test_cycle_overview_links_a_window_of_pages(client, db, login_as, make_employee, make_cycle, monkeypatch):
    monkeypatch.setattr(appraisal_routes, "PAGE_SIZE", 1)  # one employee per page: 30 pages
    for n in range(30):
        make_employee(employee_no=f"P{n:03d}")
    cycle = make_cycle()
    db.session.commit()
    login_as("hr")
    html = client.get(f"/appraisal/{cycle.id}?page=15").get_data(as_text=True)
    links = re.findall(r'class="page-link"[^>]*href="[^"]*page=(\d+)', html)
    assert "…" in html and len(links) <= 11
    assert {"1", "2", "13", "14", "15", "16", "17"} <= set(links)
    assert re.search(r'aria-current="page" href="[^"]*page=15', html)
    assert int(max(links, key=int)) >= 30  # the last page is linked (30 trainees plus the HR user)
