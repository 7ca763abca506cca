"""`seed_quizzes`: finished attempts by the demo trainees through the services (so Results exist),
an expired one, one in progress for T001 to resume; idempotent; the pages show the data."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from app.demo.people import seed_people
from app.demo.quizzes import seed_quizzes
from app.quizzes.item_stats import item_analysis
from app.quizzes.models import Attempt, AttemptItem
from app.results.models import Result


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_quizzes_is_realistic_and_idempotent(app, db, shipped_bank):
    today = dt.date(2026, 5, 20)
    seed_people(today)
    db.session.commit()
    seed_quizzes(today)
    db.session.commit()
    attempts, results = _count(db, Attempt), _count(db, Result)
    finished = db.session.scalars(select(Attempt).where(Attempt.state != "in_progress")).all()
    assert attempts >= 50 and results == len(finished) == attempts - 1
    assert {a.state for a in finished} == {"submitted", "expired"}
    scores = [a.score for a in finished]
    assert min(scores) < 60 and max(scores) > 90 and any(a.passed for a in finished) and not all(a.passed for a in finished)
    assert _count(db, AttemptItem) > 900

    in_progress = db.session.scalars(select(Attempt).where(Attempt.state == "in_progress")).all()
    assert len(in_progress) == 1 and in_progress[0].employee.employee_no == "T001"
    assert in_progress[0].deadline is None and 0 < sum(i.answered for i in in_progress[0].items) < len(in_progress[0].items)

    analysis = item_analysis()
    assert analysis.attempts == len(finished) and len(analysis.items) > 100
    assert any(s.discrimination is not None for s in analysis.items)

    seed_quizzes(today)  # twice: nothing new
    db.session.commit()
    assert (_count(db, Attempt), _count(db, Result)) == (attempts, results)


def test_demo_trainee_resumes_and_hr_sees_item_analysis(app, db, shipped_bank):
    today = dt.date.today()
    seed_people(today)
    db.session.commit()
    seed_quizzes(today)
    db.session.commit()
    trainee = app.test_client()
    trainee.post("/login", data={"employee_no": "T001", "password": "Academy-2026"})
    listing = trainee.get("/quizzes/").get_data(as_text=True)
    assert "Resume" in listing or "继续作答" in listing
    attempt = db.session.scalar(select(Attempt).where(Attempt.state == "in_progress"))
    resumed = trainee.post("/quizzes/service-desk-quiz/start")
    assert resumed.headers["Location"].endswith(f"/quizzes/attempts/{attempt.id}")
    page = trainee.get(resumed.headers["Location"]).get_data(as_text=True)
    assert " checked" in page or "selected" in page or 'value="' in page
    hr = app.test_client()
    hr.post("/login", data={"employee_no": "H001", "password": "Academy-2026"})
    analysis = hr.get("/quizzes/item-analysis")
    assert analysis.status_code == 200 and "progress-bar" in analysis.get_data(as_text=True)
    # each item leads with its prompt and a translated type; the id is small (issue 17 item 7)
    body = analysis.get_data(as_text=True)
    assert '<div class="item-prompt">' in body and "单选题</span>" in body
    assert '<span class="badge text-bg-light border">single</span>' not in body
    assert re.search(r'<code class="text-muted" data-question-id>[a-z0-9-]+</code>', body)
    some = db.session.scalar(select(Attempt).where(Attempt.state == "submitted"))
    assert hr.get(f"/quizzes/attempts/{some.id}/review").status_code == 200
