"""Issue 17 item 7: pages that cite clauses show words (text, lesson title, section), the id small."""

import uuid

from sqlalchemy import select

from app.drills.language.models import LanguageAnswer
from app.drills.language.services import submit_language


def test_search_results_name_the_lesson_and_section(client, synced, login_as):
    login_as("trainee")
    page = client.get("/search?q=第三声").get_data(as_text=True)
    assert "电话礼仪 › 接听电话" in page
    assert '<code class="clause-id text-muted">phone.answer.rings</code>' in page


def test_language_result_quotes_where_to_reread_not_the_code(client, db, synced, login, make_employee):
    trainee = make_employee()
    answer = submit_language(trainee, "close-call", "好的，再见。", uuid.uuid4().hex)
    db.session.commit()
    login(trainee)
    response = client.get(f"/drills/language/answers/{answer.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "重读条款" not in page
    assert "重读：电话礼仪 › " in page
    assert db.session.scalar(select(LanguageAnswer.id)) == answer.id
