"""Catalogue, course, lesson, progress, handbook and search pages."""

from sqlalchemy import select

from app.content.models import LessonProgress
from app.people.models import Role


def test_catalogue_lists_courses_with_progress(client, synced, login_as):
    login_as(Role.TRAINEE)
    page = client.get("/courses/").get_data(as_text=True)
    assert "新员工入职培训" in page
    assert "0%" in page


def test_lesson_page_has_toc_anchors_and_neighbours(client, synced, login_as):
    login_as(Role.TRAINEE)
    response = client.get("/lessons/phone?course=new-hire")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="phone.answer.rings"' in page
    assert 'href="#phone.answer"' in page  # table of contents
    assert "/lessons/gestures?course=new-hire" in page  # previous
    assert "/lessons/language?course=new-hire" in page  # next


def test_unknown_lesson_is_404(client, synced, login_as):
    login_as(Role.TRAINEE)
    assert client.get("/lessons/nope").status_code == 404
    assert client.get("/courses/nope").status_code == 404


def test_mark_read_tracks_progress(client, db, synced, login_as):
    me = login_as(Role.TRAINEE)
    response = client.post("/lessons/grooming/read", data={"course": "new-hire"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/lessons/posture?course=new-hire")
    client.post("/lessons/grooming/read", data={"course": "new-hire"})  # twice: still one row
    rows = db.session.scalars(select(LessonProgress).where(LessonProgress.employee_id == me.id)).all()
    assert [r.lesson_id for r in rows] == ["grooming"]
    course_page = client.get("/courses/new-hire").get_data(as_text=True)
    assert "已读 1 / 9 课" in course_page
    assert "11%" in course_page


def test_progress_is_per_employee(client, db, synced, login_as, make_employee, login):
    login_as(Role.TRAINEE)
    client.post("/lessons/grooming/read", data={"course": "new-hire"})
    other = make_employee()
    client.post("/logout")
    login(other)
    assert "已读 0 / 9 课" in client.get("/courses/new-hire").get_data(as_text=True)


def test_handbook_has_every_lesson_with_page_breaks(client, synced, login_as):
    login_as(Role.TRAINEE)
    page = client.get("/handbook").get_data(as_text=True)
    for lesson_id in ("grooming", "posture", "gestures", "phone", "language", "conduct", "complaints",
                      "desk-service", "desk-ops"):
        assert f'id="lesson-{lesson_id}"' in page
    assert page.count("page-break") >= 9


def test_search_finds_two_character_chinese_words(client, synced, login_as):
    login_as(Role.TRAINEE)
    elevator = client.get("/search?q=电梯").get_data(as_text=True)
    assert "/lessons/posture#posture.elevator" in elevator
    complaints = client.get("/search?q=投诉").get_data(as_text=True)
    assert "/lessons/complaints#complaints." in complaints
    nothing = client.get("/search?q=不存在的词语xyz").get_data(as_text=True)
    assert "找到 0 条" in nothing


def test_search_escapes_like_wildcards(client, synced, login_as):
    login_as(Role.TRAINEE)
    page = client.get("/search?q=%25").get_data(as_text=True)
    assert "找到 0 条" in page or "%" in page


def test_pages_need_login(client, synced):
    for url in ("/courses/", "/lessons/phone", "/handbook", "/search?q=电梯"):
        assert client.get(url).status_code == 302
