"""Issue 14 grading rules: complaint records reward recording, role-play outcomes follow the path,
and the blind strategies stay far below a careful answer on the shipped content."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.content.loader import load_content
from app.drills.complaint.grading import grade_complaint
from app.drills.complaint.rules import FIELD_CODES, channel_expected
from app.drills.complaint.spec import complaint_payload
from app.drills.drill_content import load_drills
from app.drills.models import ScenarioRun
from app.drills.scenario.path import fill_time, format_clock, longest_is_best, replay, resolve_ending
from app.drills.scenario.services import choice_order, choose, current_node, start_run
from bench import blind_drills

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards"


@pytest.fixture(scope="module")
def shipped():
    content = load_content(ROOT)
    drills = load_drills(content)
    assert [str(p) for p in drills.problems] == []
    return drills, content.clause_index()


def _spec(shipped, exercise_id):
    drills, known = shipped
    return complaint_payload(next(d for d in drills.complaints if d.id == exercise_id), known)


def _careful(spec):
    answers = {code: spec["fields"][code]["sample"] for code in FIELD_CODES}
    answers.update({code: rule["expected"] for code, rule in spec["rules"].items()})
    return answers


def test_complaint_paste_attack_scores_below_30_and_careful_record_100(shipped):
    drills, known = shipped
    assert len(drills.complaints) >= 10
    assert {d.severity for d in drills.complaints} == {"major", "important", "minor"}
    assert {d.channel for d in drills.complaints} == {"desk", "phone", "forum"}
    for doc in drills.complaints:
        spec = complaint_payload(doc, known)
        pasted = blind_drills._plain(spec["complaint_html"])
        paste = grade_complaint(spec, {code: pasted for code in FIELD_CODES})
        assert paste["score"] < 30, doc.id
        assert all(f["over_budget"] for f in paste["fields"]), doc.id
        assert grade_complaint(spec, _careful(spec))["score"] == 100.0, doc.id


def test_a_field_over_its_budget_scores_nothing(shipped):
    spec = _spec(shipped, "leak-1202")
    answers = _careful(spec)
    answers["contact"] = "王建国，手机 138 0013 1202，" + "住户很着急" * 6
    field = next(f for f in grade_complaint(spec, answers)["fields"] if f["code"] == "contact")
    assert field["over_budget"] and field["points"] == 0 and field["found"] == ["13800131202"]


def test_facts_of_other_fields_cost_points_beyond_the_first(shipped):
    spec = _spec(shipped, "leak-1202")
    answers = _careful(spec)
    answers["target"] = "楼上1302，昨晚"                   # one foreign fact: tolerated
    one = next(f for f in grade_complaint(spec, answers)["fields"] if f["code"] == "target")
    assert one["foreign"] == ["昨晚"] and one["points"] == one["max"]
    answers["target"] = "楼上1302，昨晚十点，卫生间"       # three foreign facts: two cost a third each
    three = next(f for f in grade_complaint(spec, answers)["fields"] if f["code"] == "target")
    assert len(three["foreign"]) == 3 and three["points"] == pytest.approx(3.3, abs=0.1)


@pytest.mark.parametrize(("exercise_id", "escalation", "deadline", "approval", "channel"), [
    ("water-outage", "dept-10min-gm-same-day", "answer-2d-resolve-10d", "not-beyond-10d", "incident-1h"),
    ("leak-1202", "dept-10min-manager-1h", "3d", "gm", "none"),
    ("garbage-forum", "dept-10min", "2d-or-resident", "manager", "forum-2h"),
    ("forum-garage-flood", "dept-10min-gm-same-day", "answer-2d-resolve-10d", "not-beyond-10d",
     "forum-2h-incident-1h"),
])
def test_consequences_follow_the_severity_and_channel(shipped, exercise_id, escalation, deadline, approval, channel):
    spec = _spec(shipped, exercise_id)
    rules = {code: rule["expected"] for code, rule in spec["rules"].items()}
    assert (rules["escalation"], rules["deadline"], rules["approval"], rules["channel"]) == (
        escalation, deadline, approval, channel)
    answers = _careful(spec)
    answers["channel"] = "none" if channel != "none" else "forum-2h"
    graded = grade_complaint(spec, answers)
    assert graded["score"] == 94.0   # the channel limit is worth 6 and not free
    answers = _careful(spec)
    answers["escalation"] = "dept-10min" if escalation != "dept-10min" else "dept-10min-manager-1h"
    assert grade_complaint(spec, answers)["score"] == 90.0


def test_channel_expected():
    assert channel_expected("desk", False) == "none"
    assert channel_expected("forum", False) == "forum-2h"
    assert channel_expected("phone", True) == "incident-1h"


def test_clock_formatting_and_placeholders():
    assert format_clock(14 * 60 + 5) == "14:05"
    assert format_clock(24 * 60 + 8 * 60 + 35) == "次日 08:35"
    assert format_clock(3 * 24 * 60) == "第4天 00:00"
    assert fill_time("现在是{time}，{start+10}前送出", 14 * 60 + 20, 14 * 60) == "现在是14:20，14:10前送出"
    assert fill_time("{time}", None, None) == "{time}"


SPEC = {
    "start": "a", "clock": 600,
    "nodes": {
        "a": {"choices": [{"score": 3, "minutes": 5, "next": "b"},
                          {"score": -2, "minutes": 5, "critical": "争吵", "next": "b"},
                          {"score": 0, "minutes": 90, "next": "b"}]},
        "b": {"deadline": {"within": 60, "reason": "超时"}, "choices": [{"score": 3, "next": "good"}]},
        "good": {"ending": {"outcome": "good", "min_score": 70, "allow_critical": False, "otherwise": "fair"}},
        "fair": {"ending": {"outcome": "fair", "min_score": 0, "allow_critical": True, "otherwise": ""}},
    },
}


def test_critical_mistakes_and_deadlines_rule_out_the_good_ending():
    clean = replay(SPEC, [("a", 0), ("b", 0)])
    assert clean.mistakes == [] and clean.clock_at(1) == 605
    assert resolve_ending(SPEC["nodes"], "good", 100.0, False) == "good"
    quarrel = replay(SPEC, [("a", 1), ("b", 0)])
    assert [m.reason for m in quarrel.mistakes] == ["争吵"]
    assert resolve_ending(SPEC["nodes"], "good", 100.0, True) == "fair"     # a high score is not enough
    late = replay(SPEC, [("a", 2)])
    assert [m.reason for m in late.mistakes] == ["超时"] and late.now == 690
    assert resolve_ending(SPEC["nodes"], "good", 69.9, False) == "fair"     # nor is a clean but low path


def test_longest_is_best():
    assert longest_is_best([(10, 3), (5, -2)]) is True
    assert longest_is_best([(5, 3), (10, -2)]) is False
    assert longest_is_best([(5, 1), (10, 1)]) is None


def test_a_quarrel_cannot_end_in_the_good_ending(db, shipped_drills, make_employee):
    trainee = make_employee()
    run = start_run(trainee, "escalate-hour")
    spec = run.version.spec
    path = []
    node = spec["start"]
    while not spec["nodes"][node].get("ending"):
        choices = spec["nodes"][node]["choices"]
        index = max(range(len(choices)), key=lambda i: choices[i]["score"])
        if node == "arrive":   # the defensive choice, then the best everywhere else
            index = next(i for i, c in enumerate(choices) if c.get("critical"))
        path.append((node, index))
        node = choices[index]["next"]
    for position, (node_id, index) in enumerate(path):
        assert choose(run.id, trainee.id, position, node_id, index).recorded
    db.session.commit()
    assert run.finished and run.score >= 70
    assert run.current_node == "fair-end"


def test_later_nodes_show_the_time_reached(db, shipped_drills, make_employee):
    trainee = make_employee()
    run = start_run(trainee, "forum-reply")
    spot = run.version.spec["nodes"]["spot"]["choices"]
    late = next(i for i, c in enumerate(spot) if c["next"] == "late")
    choose(run.id, trainee.id, 0, "spot", late)
    node = current_node(run)
    assert "14:00" in node["situation_html"] and "{time}" not in node["situation_html"]


def test_choice_order_is_shuffled_per_run_and_stable(db, shipped_drills, make_employee):
    orders = set()
    for _ in range(8):
        trainee = make_employee()
        run = start_run(trainee, "leak")
        db.session.commit()
        first = choice_order(run, 3)
        again = choice_order(db.session.scalar(select(ScenarioRun).where(ScenarioRun.id == run.id)), 3)
        assert first == again and sorted(first) == [0, 1, 2] and run.seed > 0
        orders.add(tuple(first))
    assert len(orders) > 1


def test_blind_strategies_stay_below_the_pass_mark():
    rows, detail = blind_drills.measure(ROOT)
    assert blind_drills.check(rows, detail) == []
    assert {r.drill for r in rows} == {"complaint", "scenario", "language"}
