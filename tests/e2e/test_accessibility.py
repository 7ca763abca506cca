"""Issue 17 item 10: axe-core on every main page of every role, 0 serious or critical findings.

"Main pages" are the landing page, every link of the role's navigation bar, and a few pages one
click deeper (a lesson, a search with results). Each page is also checked for a skip link that
reaches the main content and a focus ring visible on a navbar link.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

ROLES = {"trainee": "T001", "supervisor": "S001", "hr": "H001", "admin": "A001"}
EXTRA = ["/lessons/phone", "/search?q=%E7%94%B5%E8%AF%9D", "/courses/new-hire"]


def _main_pages(page, base: str) -> list[str]:
    links = page.locator("#mainnav ul.me-auto a.nav-link")
    urls = ["/"] + [links.nth(i).get_attribute("href") for i in range(links.count())] + EXTRA
    return list(dict.fromkeys(url.removeprefix(base) for url in urls))


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_axe_findings(browser, live_server, log_in, axe, role):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, ROLES[role])
    expect(page).not_to_have_url(re.compile(r"/login"))
    findings = {}
    pages = _main_pages(page, live_server.url)
    assert len(pages) >= 7
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found = axe(page)
        if found:
            findings[path] = found
    by_rule: dict[str, int] = {}
    for found in findings.values():
        for rule, _impact, nodes, _target in found:
            by_rule[rule] = by_rule.get(rule, 0) + nodes
    print(f"\naxe {role}: {sum(by_rule.values())} serious/critical nodes on {len(findings)} of {len(pages)} pages "
          f"{by_rule}")
    for path, found in findings.items():
        print(f"  {path}: {found}")
    assert not findings, findings
    context.close()


def test_keyboard_user_can_skip_to_content_and_sees_focus(browser, live_server, log_in):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, "T001")
    page.goto(live_server.url + "/courses/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the next stop after the skip link is the navbar: its focus ring is at least 2 px wide
    page.goto(live_server.url + "/courses/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("a.navbar-brand")).to_be_focused()
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2, outline
    context.close()
