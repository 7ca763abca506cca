"""Journey: a trainee finishes the onboarding course, downloads the certificate from 我的培训, and
the public verification page (opened without logging in) says it is valid.

To keep it short, everything but the last step is seeded through the services (the account, the
course's lessons read, the final quiz started with right answers saved); the browser submits the
quiz, which completes the new-hire certification rule.
"""

from __future__ import annotations

import io
import re
import subprocess

from playwright.sync_api import expect

from tests.support.live_server import BIN, ROOT

EMPLOYEE_NO = "C9001"
PASSWORD = "Certified-2026-ok"

SEED = f"""
import random
from sqlalchemy import select
from app import create_app
from app.extensions import db
app = create_app()
with app.app_context():
    from app.content.models import CourseLesson, Lesson
    from app.content.services import mark_read
    from app.demo.quizzes import _answer
    from app.people.models import Employee
    from app.quizzes.attempts import save_answers, start_attempt
    employee = db.session.scalar(select(Employee).where(Employee.employee_no == "{EMPLOYEE_NO}"))
    employee.must_change_password = False
    for lesson in db.session.scalars(select(Lesson).join(CourseLesson, CourseLesson.lesson_id == Lesson.id)
                                     .where(CourseLesson.course_id == "new-hire")):
        mark_read(employee.id, lesson)
    attempt, _ = start_attempt(employee.id, "new-hire-final")
    rng = random.Random(1)
    save_answers(attempt.id, employee.id, {{item.position: _answer(item, True, rng) for item in attempt.items}})
    db.session.commit()
"""


def seed_trainee(live_server) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "users", "create", "--employee-no", EMPLOYEE_NO, "--name", "欧阳证书",
         "--role", "trainee", "--department", "客服部", "--team", "前台一班", "--position", "客服专员",
         "--password", PASSWORD],
        cwd=ROOT, env=live_server.env, check=True, capture_output=True, timeout=120)
    subprocess.run([str(BIN / "python"), "-c", SEED], cwd=ROOT, env=live_server.env, check=True,
                   capture_output=True, timeout=120)


def test_certificate_journey(browser, live_server, log_in, shot, axe, tmp_path):
    import pypdf

    seed_trainee(live_server)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, EMPLOYEE_NO, PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login"))

    # 1. the last step: resume the final quiz and submit it
    page.goto(live_server.url + "/quizzes/")
    page.locator("form[action$='/quizzes/new-hire-final/start'] button").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+"))
    page.locator("button[name=action][value=finish]").click()
    expect(page).to_have_url(re.compile(r"/summary"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#quiz-submit-form button").click()
    expect(page).to_have_url(re.compile(r"/review"))

    # 2. 我的培训 lists the certificate with a download link
    page.goto(live_server.url + "/training/")
    panel = page.locator("#my-certificates")
    expect(panel).to_contain_text("新员工入职培训")
    expect(panel).to_contain_text("有效")
    shot(page, "certificate_01_my_training")
    assert axe(page) == []
    with page.expect_download() as info:
        panel.get_by_role("link", name=re.compile("下载 PDF")).first.click()
    download = info.value
    path = tmp_path / "certificate.pdf"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile3" in data and re.match(r"EA-\d{4}-\d{6}\.pdf", download.suggested_filename)
    text = re.sub(r"[\s\x00]+", "", pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "欧阳证书" in text and "新员工入职培训" in text
    verify_url = re.search(r"https?://[^\s]+/verify/[A-Za-z0-9_-]{32}", text).group(0)
    assert verify_url.startswith(live_server.url)  # no PUBLIC_BASE_URL: the request's host
    context.close()

    # 3. anyone (not logged in) opens the verification page, on a phone
    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    page = visitor.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(verify_url)
    assert response is not None and response.status == 200
    expect(page.locator("[data-status]")).to_contain_text("有效")
    expect(page.locator("[data-holder]")).to_have_text("欧阳证书")
    expect(page.locator("body")).not_to_contain_text(EMPLOYEE_NO)
    shot(page, "certificate_02_verify_phone")
    assert axe(page) == []
    missing = page.goto(live_server.url + "/verify/" + "n" * 32)
    assert missing is not None and missing.status == 404
    expect(page.locator("h1")).to_contain_text("证书不存在")
    visitor.close()
