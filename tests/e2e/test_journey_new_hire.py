"""Journey 1, a new hire: first login and password change, a lesson, the onboarding quiz with a
closed tab in the middle (autosave, resume), submit and review, then a complaint role-play."""

from __future__ import annotations

import re
import subprocess

from playwright.sync_api import expect

from tests.support.live_server import BIN, ROOT

EMPLOYEE_NO = "N9001"
FIRST_PASSWORD = "Welcome-2026-first"
NEW_PASSWORD = "Etiquette-Newhire-77"


def create_new_hire(live_server) -> None:
    """`flask users create` against the live database, as HR would at the shell."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "users", "create", "--employee-no", EMPLOYEE_NO, "--name", "新同事",
         "--role", "trainee", "--department", "客服部", "--team", "前台一班", "--position", "客服专员",
         "--password", FIRST_PASSWORD],
        cwd=ROOT, env=live_server.env, check=True, capture_output=True, timeout=120)


def answer_visible_questions(page, how_many: int) -> list[tuple[str, str, str]]:
    """Answer the first `how_many` choice or text questions on the page: (kind, field, value)."""
    chosen = []
    for box in page.locator("fieldset.quiz-question").all():
        if len(chosen) == how_many:
            break
        option = box.locator("input[type=radio], input[type=checkbox]").first
        text = box.locator("input[type=text]").first
        if option.count():
            option.check()
            chosen.append(("choice", option.get_attribute("name"), option.get_attribute("value")))
        elif text.count():
            text.fill("30")
            text.press("Tab")
            chosen.append(("text", text.get_attribute("name"), "30"))
    return chosen


def test_new_hire_journey(browser, live_server, log_in, shot):
    create_new_hire(live_server)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)

    # 1. first login: forced to change the password
    log_in(page, EMPLOYEE_NO, FIRST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/password"))
    shot(page, "new_hire_01_change_password")
    page.fill("#current_password", FIRST_PASSWORD)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("form:has(#new_password) button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/password"))
    expect(page.locator(".alert-success").first).to_be_visible()

    # 2. read a lesson and mark it read
    page.goto(live_server.url + "/lessons/grooming")
    expect(page.locator("h1").first).to_be_visible()
    shot(page, "new_hire_02_lesson")
    page.locator("form[action$='/lessons/grooming/read'] button").click()
    expect(page.locator(".alert-success").first).to_contain_text(re.compile("读完|read"))

    # 3. start the onboarding quiz and answer a few questions (autosave)
    page.goto(live_server.url + "/quizzes/")
    page.locator("form[action$='/quizzes/new-hire-final/start'] button").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+"))
    attempt_url = page.url.split("?")[0]
    page.wait_for_load_state("load")  # quiz_attempt.js listens for changes from here on
    chosen = answer_visible_questions(page, 3)
    assert len(chosen) >= 2, "the first page should offer choice or text questions"
    expect(page.locator("#autosave-status")).to_have_text(re.compile("已保存|saved"), timeout=10_000)
    for _kind, name, _value in chosen:
        box = page.locator(f"fieldset.quiz-question:has(input[name='{name}'])")
        expect(box.locator(".quiz-saved-mark")).to_be_visible(timeout=10_000)
    shot(page, "new_hire_03_quiz_autosaved")

    # 4. close the page (and the whole browser context: the session cookie goes with it)
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, EMPLOYEE_NO, NEW_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(live_server.url + "/quizzes/")
    resume = page.locator("form[action$='/quizzes/new-hire-final/start'] button")
    expect(resume).to_have_text(re.compile("继续|Resume"))
    resume.click()
    expect(page).to_have_url(re.compile(re.escape(attempt_url)))
    for kind, name, value in chosen:
        if kind == "choice":
            expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()
        else:
            expect(page.locator(f"input[name='{name}']")).to_have_value(value)
    shot(page, "new_hire_04_quiz_resumed")

    # 5. finish, submit, review
    page.locator("button[name=action][value=finish]").click()
    expect(page).to_have_url(re.compile(r"/summary"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#quiz-submit-form button").click()
    expect(page).to_have_url(re.compile(r"/review"))
    expect(page.locator(".alert-success").first).to_be_visible()
    shot(page, "new_hire_05_quiz_review")

    # 6. a complaint role-play played to an ending
    page.goto(live_server.url + "/drills/scenarios/leak")
    page.locator("form[action$='/drills/scenarios/leak/start'] button").click()
    expect(page).to_have_url(re.compile(r"/drills/runs/\d+"))
    shot(page, "new_hire_06_roleplay")
    for _step in range(30):
        if "/review" in page.url:
            break
        page.locator("button[name=choice]").first.click()
        page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/drills/runs/\d+/review"))
    shot(page, "new_hire_07_roleplay_ending")
    context.close()
