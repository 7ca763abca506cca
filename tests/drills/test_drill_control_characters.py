"""Drill free text refuses NUL, control and bidi-override characters with a form error; nothing is stored
(NUL would otherwise fail on PostgreSQL with a 500)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.drills.common.errors import DrillError
from app.drills.common.tokens import new_token
from app.drills.models import ComplaintSubmission, LanguageAnswer, Observation
from app.drills.observation.services import submit_observation
from app.extensions import db as _db
from app.results.models import Result
from tests.drills.test_drill_attempts import token_of
from tests.drills.test_drill_observations import marks
from tests.drills.test_drill_rubrics import FULL

BAD = ["漏水\x00严重", "住户\u202e说", "铃\x07响"]


def _count(model) -> int:
    return int(_db.session.scalar(select(func.count()).select_from(model)))


@pytest.mark.parametrize("bad", BAD)
def test_complaint_field_with_control_characters_is_a_form_error(db, drill_catalog, client, login, make_employee,
                                                                 bad):
    login(make_employee())
    client.set_cookie("lang", "en")
    token = token_of(client.get("/drills/complaints/test-leak").get_data(as_text=True))
    response = client.post("/drills/complaints/test-leak", data={**FULL, "account": bad, "token": token})
    assert response.status_code == 200
    assert "invisible control characters" in response.get_data(as_text=True)
    assert _count(ComplaintSubmission) == 0 and _count(Result) == 0


@pytest.mark.parametrize("bad", BAD)
def test_language_answer_with_control_characters_is_a_form_error(db, drill_catalog, client, login, make_employee,
                                                                 bad):
    login(make_employee())
    client.set_cookie("lang", "en")
    page = client.get("/drills/language/test-answer").get_data(as_text=True)
    response = client.post("/drills/language/test-answer",
                           data={"answer": f"您好，物业服务中心，{bad}", "token": token_of(page)})
    assert response.status_code == 200
    assert "invisible control characters" in response.get_data(as_text=True)
    assert _count(LanguageAnswer) == 0 and _count(Result) == 0


def test_multiline_answers_keep_line_breaks(db, drill_catalog, client, login, make_employee):
    login(make_employee())
    page = client.get("/drills/language/test-answer").get_data(as_text=True)
    response = client.post("/drills/language/test-answer",
                           data={"answer": "您好，物业服务中心，\r\n工号036", "token": token_of(page)})
    assert response.status_code == 302
    assert _count(LanguageAnswer) == 1


def test_observation_note_with_control_characters_is_refused_naming_the_item(db, drill_catalog, team_setup):
    lead, member = team_setup["lead"], team_setup["members"][0]
    with pytest.raises(DrillError) as refused:
        submit_observation(lead, member, "test-grooming",
                           marks("pass", "fail", "pass", "pass", notes={"greeting": "没有\x00问候"}), new_token())
    message = str(refused.value.message)
    assert "控制字符" in message or "control characters" in message
    assert _count(Observation) == 0 and _count(Result) == 0


def test_observation_form_shows_the_refusal(db, drill_catalog, client, login, team_setup):
    member = team_setup["members"][0]
    login(team_setup["lead"])
    client.set_cookie("lang", "en")
    url = f"/drills/observations/new/test-grooming/{member.id}"
    page = client.get(url).get_data(as_text=True)
    data = {f"mark-{item}": "pass" for item in ("rings", "greeting", "thanks", "apologise")}
    data |= {"note-rings": "铃\u202e响", "token": token_of(page),
             "version": page.split('name="version" type="hidden" value="')[1].split('"')[0]}
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert "control characters" in response.get_data(as_text=True)
    assert _count(Observation) == 0
