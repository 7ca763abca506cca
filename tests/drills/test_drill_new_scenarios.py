"""The eight issue-14 role-plays: every path through each, walked with the real path rules.

Handover day, fee counter, power cut, elderly caller, visitor with cards, home visit, after-hours
call, forum reply through approval. For each: the best path scores 100 and ends well; no path
with a critical mistake (or a missed deadline) ends in the good ending; the longest choice is not
a way to pass; every choice takes time on a clock; the deadlines carry the standard's figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from app.content.loader import load_content
from app.drills.drill_content import load_drills
from app.drills.scenario.path import longest_is_best, replay, resolve_ending
from app.drills.scenario.spec import scenario_payload
from app.drills.scenario.spec_checks import plain_length
from bench.blind_drills import _plain

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards"
NEW = ("handover-day", "fee-counter", "power-outage", "elderly-caller", "visitor-cards", "home-visit",
       "after-hours", "forum-approval")


@pytest.fixture(scope="module")
def specs() -> dict[str, dict]:
    content = load_content(ROOT)
    drills = load_drills(content)
    assert [str(p) for p in drills.problems] == []
    known = content.clause_index()
    return {doc.id: scenario_payload(doc, known) for doc in drills.scenarios}


def paths(spec: dict, node_id: str | None = None, taken: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every ``(taken, ending node)`` from the start (the shipped graphs have no loops)."""
    node_id = node_id or spec["start"]
    node = spec["nodes"][node_id]
    if node.get("ending"):
        yield taken, node_id
        return
    for index, choice in enumerate(node["choices"]):
        yield from paths(spec, choice["next"], (*taken, (node_id, index)))


def outcome(spec: dict, taken: tuple, reached: str) -> tuple[float, str, list[str]]:
    """The run's score, the outcome of the ending shown and the critical mistakes' reasons."""
    gained = possible = 0
    for node_id, index in taken:
        scores = [c["score"] for c in spec["nodes"][node_id]["choices"]]
        gained += scores[index] - min(scores)
        possible += max(scores) - min(scores)
    score = round(100 * gained / possible, 1) if possible else 100.0
    mistakes = [m.reason for m in replay(spec, taken).mistakes]
    shown = resolve_ending(spec["nodes"], reached, score, bool(mistakes))
    return score, spec["nodes"][shown]["ending"]["outcome"], mistakes


def pick_path(spec: dict, pick) -> tuple[tuple, str]:
    node_id, taken = spec["start"], ()
    while not spec["nodes"][node_id].get("ending"):
        choices = spec["nodes"][node_id]["choices"]
        index = pick(choices)
        taken, node_id = (*taken, (node_id, index)), choices[index]["next"]
    return taken, node_id


def best(choices) -> int:
    scores = [c["score"] for c in choices]
    return scores.index(max(scores))


def longest(choices) -> int:
    lengths = [plain_length(_plain(c["text_html"])) for c in choices]
    return lengths.index(max(lengths))


def test_seventeen_role_plays_ship(specs):
    assert len(specs) >= 17 and set(NEW) <= set(specs)
    assert {specs[s]["type"] for s in NEW} == {"desk", "phone", "forum", "visit"}


@pytest.mark.parametrize("scenario_id", NEW)
def test_the_best_path_scores_100_and_ends_well(specs, scenario_id):
    spec = specs[scenario_id]
    score, result, mistakes = outcome(spec, *pick_path(spec, best))
    assert (score, result, mistakes) == (100.0, "good", [])


@pytest.mark.parametrize("scenario_id", NEW)
def test_no_critical_mistake_ends_in_the_good_ending(specs, scenario_id):
    spec = specs[scenario_id]
    seen_critical = 0
    for taken, reached in paths(spec):
        score, result, mistakes = outcome(spec, taken, reached)
        if mistakes:
            seen_critical += 1
            assert result != "good", (taken, mistakes)
        if result == "good":
            assert score >= 70
    assert seen_critical > 0  # every new role-play has at least one critical mistake to make


@pytest.mark.parametrize("scenario_id", NEW)
def test_the_longest_choice_does_not_pass(specs, scenario_id):
    spec = specs[scenario_id]
    score, result, _ = outcome(spec, *pick_path(spec, longest))
    assert result != "good" and score < 80
    decisions = [longest_is_best([(plain_length(_plain(c["text_html"])), c["score"]) for c in node["choices"]])
                 for node in spec["nodes"].values() if node.get("choices")]
    decisions = [d for d in decisions if d is not None]
    assert sum(decisions) <= len(decisions) // 3  # the best choice is the longest at most at a third of nodes


@pytest.mark.parametrize("scenario_id", NEW)
def test_every_choice_takes_time_on_a_clock(scenario_id):
    data = yaml.safe_load((ROOT / "scenarios" / f"{scenario_id}.yml").read_text(encoding="utf-8"))
    assert ":" in data["clock"]
    choices = [c for node in data["nodes"].values() for c in node.get("choices", [])]
    assert choices and all("minutes" in c for c in choices)


@pytest.mark.parametrize(("scenario_id", "slow", "within", "reason"), [
    # the fee counter: rebooting the card reader again and again passes the 12-minute limit
    ("fee-counter", [("question", 0), ("machine", 2)], 12, "12分钟"),
    # the fee counter: letting the resident wait while serving others passes it too
    ("fee-counter", [("question", 0), ("machine", 1), ("neighbour", 0), ("notice", 0)], 12, "12分钟"),
    # the forum reply: waiting for the approval past the hour after the hand-over
    ("forum-approval", [("handed", 0), ("draft", 0), ("approval", 2)], 60, "一小时"),
])
def test_deadlines_carry_the_standards_figures(specs, scenario_id, slow, within, reason):
    spec = specs[scenario_id]
    state = replay(spec, slow)
    assert state.elapsed > within and any(reason in m.reason for m in state.mistakes)
    node = spec["nodes"][spec["nodes"][slow[-1][0]]["choices"][slow[-1][1]]["next"]]
    assert node["deadline"]["within"] == within


def test_the_incident_report_is_due_an_hour_after_the_power_cut(specs):
    spec = specs["power-outage"]
    assert spec["clock"] == 19 * 60 + 40
    report = spec["nodes"]["report"]["choices"]
    best_text = _plain(report[best(report)]["text_html"])
    assert "{start+60}" in best_text  # shown as 20:40 on the play page
    late = replay(spec, [("first-call", 0), ("report", 1)])
    assert late.mistakes and "1小时" in late.mistakes[0].reason
