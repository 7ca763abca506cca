"""Journey 4, the administrator: read the audit log in words, filter it, look at people and teams.
Every page is checked with axe-core (0 serious or critical findings)."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_admin_reads_the_audit_log_and_people_pages(browser, live_server, log_in, shot, axe):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "A001")
    expect(page).not_to_have_url(re.compile(r"/login"))
    assert axe(page) == []

    # 1. the audit log: sentences with names, the codes small beside them
    page.locator("#mainnav a.nav-link[href$='/admin/audit']").click()
    expect(page).to_have_url(re.compile(r"/admin/audit"))
    own_login = page.locator("td.audit-text", has_text="管理员 (A001) 登录").first
    expect(own_login).to_be_visible()
    expect(own_login.locator("code[data-action]")).to_have_text("auth.login")
    assert "employee:" not in own_login.inner_text().split("\n")[0]
    shot(page, "admin_01_audit_log")
    assert axe(page) == []

    # 2. filter by an action, offered by its name
    page.select_option("select[name=action]", label="登录")
    page.locator("form[method=get] button").click()
    expect(page).to_have_url(re.compile(r"action=auth\.login"))
    rows = page.locator("td.audit-text")
    assert rows.count() >= 1
    for i in range(rows.count()):
        expect(rows.nth(i).locator("code[data-action]")).to_have_text("auth.login")
    assert axe(page) == []

    # 3. people and teams
    for path, heading in (("/people/", "h1"), ("/teams/", "h1")):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        expect(page.locator(heading).first).to_be_visible()
        assert axe(page) == [], path
    shot(page, "admin_02_teams")
    context.close()
