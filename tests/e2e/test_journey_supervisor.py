"""Journey 2, a supervisor on a phone: assign a drill to the team, then score a grooming
observation of a team member on the floor."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE


def test_supervisor_journey_on_a_phone(browser, live_server, log_in, shot):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "S001")
    expect(page).not_to_have_url(re.compile(r"/login"))

    # 1. assign a role-play drill to the whole of 前台一班
    page.goto(live_server.url + "/training/assign")
    page.select_option("#activity", "scenario:elevator-escort")
    team = page.locator("input[name=teams]").first
    team.check()
    shot(page, "supervisor_01_assign")
    page.locator("form:has(#activity) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/training/team"))
    expect(page.locator(".alert-success").first).to_be_visible()
    shot(page, "supervisor_02_team_dashboard")
    # the page fits the phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # 2. score a grooming observation of the first team member
    page.goto(live_server.url + "/drills/observations/new?checklist=grooming")
    person = page.locator("a[href*='/drills/observations/new/grooming/']").first
    person_name = person.locator(".fw-semibold").inner_text()
    person.click()
    expect(page).to_have_url(re.compile(r"/drills/observations/new/grooming/\d+"))
    expect(page.locator("body")).to_contain_text(person_name)
    items = page.locator("#observation-form fieldset[data-obs-item]")
    count = items.count()
    assert count >= 3
    for index in range(count):
        mark = "fail" if index == 1 else "pass"
        items.nth(index).locator(f"label[for$='-{mark}']").click()
    page.locator("#observation-form input[id^=note-]").nth(1).fill("领带未系好")
    shot(page, "supervisor_03_observation_form")
    page.locator("#observation-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/drills/observations/\d+$"))
    body = page.locator("main, body").first
    expect(body).to_contain_text(person_name)
    expect(body).to_contain_text("领带未系好")
    shot(page, "supervisor_04_observation_saved")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    context.close()
