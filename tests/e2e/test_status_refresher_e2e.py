"""Issue 17 items 1, 5 and 9 in the browser: a supervisor lands on the team dashboard, failed work
reads "未通过" (a label, not only a colour), and the one-click refresher assigns (no "表单已过期")."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_supervisor_lands_sees_not_passed_and_assigns_a_refresher(browser, live_server, log_in, shot):
    page = browser.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "S001")
    expect(page).to_have_url(re.compile(r"/training/team$"))  # the supervisor's home, not a grid of links

    badges = page.locator("#matrix .status-not-passed")
    assert badges.count() > 0, "the demo has failed quizzes: they must read 未通过"
    expect(badges.first).to_contain_text("未通过")
    assert page.locator("#matrix .badge.bg-success", has_text=re.compile(r"已完成")).count() > 0
    shot(page, "i17_dashboard_not_passed")

    button = page.locator("form[action*='/refresher'] button").first
    expect(button).to_be_visible()
    button.click()
    expect(page).to_have_url(re.compile(r"/training/team"))
    alerts = page.locator(".alert")
    expect(alerts.first).to_be_visible()
    text = " ".join(alerts.all_inner_texts())
    assert "表单已过期" not in text and "复训" in text, text
    shot(page, "i17_refresher_done")
    page.close()


def test_hr_and_admin_land_on_their_home(browser, live_server, log_in):
    for employee_no, url in (("H001", r"/appraisal/$"), ("A001", r"/people/$")):
        page = browser.new_page()
        log_in(page, employee_no)
        expect(page).to_have_url(re.compile(url))
        page.close()
