"""Sync of the drill catalog (idempotent, versions, retire) and `content stats --json`."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.content.loader import load_content
from app.drills.content_plugin import stats
from app.drills.models import Checklist, ComplaintExercise, LanguagePrompt, Scenario, ScenarioVersion
from tests.drills.drill_helpers import VALID, build_tree, sync_root


def test_first_sync_adds_second_is_a_noop(db):
    first = sync_root(VALID, db)
    assert sorted(first.added["scenario"]) == ["test-desk", "test-phone"]
    assert first.added["complaint_exercise"] == ["test-leak"]
    assert first.added["language_prompt"] == ["test-answer"]
    assert first.added["checklist"] == ["test-grooming"]
    second = sync_root(VALID, db)
    assert second.is_noop
    assert second.unchanged["scenario"] == 2
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 2


def test_spec_is_rendered_and_quotes_clauses(db, drill_catalog):
    scenario = db.session.get(Scenario, "test-desk")
    choice = scenario.spec["nodes"]["a"]["choices"][0]
    assert choice["cites"][0] == {"id": "complaints.desk.sofa", "lesson_id": "complaints", "text": "请住户到沙发坐下。"}
    prompt = db.session.get(LanguagePrompt, "test-answer")
    phrases = [b["phrase"] for b in prompt.spec["banned"]]
    assert phrases == ["喂", "没有", "我们不管"]  # own first, then the shared list
    exercise = db.session.get(ComplaintExercise, "test-leak")
    assert exercise.spec["rules"]["escalation"]["expected"] == "dept-10min-manager-1h"
    assert exercise.spec["rules"]["deadline"]["expected"] == "3d"


def test_changed_scenario_gets_a_new_version_and_removed_items_retire(db, tmp_path):
    sync_root(VALID, db)
    root = build_tree(None, tmp_path)
    path = root / "scenarios" / "test-phone.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("电话响了。", "电话响了两声。"), encoding="utf-8")
    (root / "checklists" / "test-grooming.yml").unlink()
    report = sync_root(root, db)
    assert report.changed == {"scenario": ["test-phone"]}
    assert report.retired == {"checklist": ["test-grooming"]}
    versions = db.session.scalars(select(ScenarioVersion).where(ScenarioVersion.scenario_id == "test-phone")).all()
    assert len(versions) == 2
    checklist = db.session.get(Checklist, "test-grooming")
    assert checklist is not None and checklist.retired


def test_stats_counts_and_citations():
    contribution = stats(load_content(VALID, display_base=VALID))
    assert contribution.counts == {"scenarios": 2, "complaint_exercises": 1, "language_prompts": 1,
                                   "checklists": 1, "checklist_items": 4}
    cited = set(contribution.citations)
    assert {"complaints.desk.sofa", "phone.close.thanks", "language.generous.avoid"} <= cited
    assert "complaints.dispatch.ten-minutes" in cited  # the complaint rules' clauses count too


def test_cli_stats_json_merges_drill_counts_and_coverage(runner):
    result = runner.invoke(args=["content", "stats", "--json", str(VALID)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenarios"] == 2 and data["checklist_items"] == 4
    # language.generous.help is cited by nothing in the fixture tree; everything else is
    assert data["uncited_clauses"] == ["language.generous.help"]


def test_cli_sync_reports_drills(runner):
    result = runner.invoke(args=["content", "sync", str(VALID)])
    assert result.exit_code == 0, result.output
    assert "scenario: 2 added" in result.output
    again = runner.invoke(args=["content", "sync", str(VALID)])
    assert "already up to date" in again.output
