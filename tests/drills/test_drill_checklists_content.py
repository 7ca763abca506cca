"""The shipped checklists: one observable behaviour per item, badge position, lift escort, phone greeting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards" / "checklists"


def items(checklist_id: str) -> dict[str, dict]:
    data = yaml.safe_load((ROOT / f"{checklist_id}.yml").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data["items"]}


def test_posture_smile_and_distance_are_separate_items():
    posture = items("posture")
    assert posture["smile"]["cites"] == ["gestures.smile.always"]
    assert posture["distance"]["cites"] == ["gestures.talk.distance"] and "60-100厘米" in posture["distance"]["text"]


def test_grooming_splits_socks_and_hair_by_sex():
    grooming = items("grooming")
    for item_id, marker in {"socks-women": "女士", "socks-men": "男士", "hair-women-tied": "女士",
                            "hair-women-fringe": "女士", "hair-men-ears": "男士", "hair-men-collar": "男士"}.items():
        assert grooming[item_id]["text"].startswith(marker)
    no_mixed = [i for i, item in grooming.items() if "女士" in item["text"] and "男士" in item["text"]]
    assert no_mixed == []


def test_badge_position_with_the_standards_distances():
    grooming = items("grooming")
    assert "左胸" in grooming["badge-position"]["text"] and "第二、三粒纽扣" in grooming["badge-position"]["text"]
    assert "1厘米" in grooming["badge-distance"]["text"] and "5厘米" in grooming["badge-distance"]["text"]
    assert grooming["badge-distance"]["cites"] == ["grooming.badge.armpit", "grooming.badge.across"]


def test_the_lift_escort_is_observed_step_by_step():
    posture = items("posture")
    lift = [i for i in posture if i.startswith("elevator-")]
    assert lift == ["elevator-button", "elevator-door", "elevator-invite", "elevator-face", "elevator-exit"]
    assert "45度" in posture["elevator-face"]["text"]


def test_phone_checklist_uses_the_service_centre_greeting():
    assert items("phone")["greeting"]["text"] == "第一句问候：“您好！××物业服务中心，工号×××为您提供服务！”"


@pytest.mark.parametrize("checklist_id", ["grooming", "posture", "phone", "complaint-reception"])
def test_items_are_short_single_checks(checklist_id):
    for item in items(checklist_id).values():
        # a compound item joins two checks with "；" or lists a third clause group: none left
        assert "；" not in item["text"], item["id"]
