"""``flask content check`` reports a bad certification rule as path:line: message."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "content" / "standards"

BAD = """courses:
  - id: new-hire
    title: 新员工入职培训
    lessons: [grooming, posture, gestures, phone, language, conduct, complaints, desk-service, desk-ops]
    certificate:
      activities: [quiz:new-hire-final, quiz:no-such-quiz, scenario:nope, bogus:x, plain]
      min_score: 120
      valid_months: 0
  - id: appearance
    title: 仪容仪表
    lessons: [grooming, posture, gestures]
    certificate: {min_score: -1, colour: gold}
  - id: communication
    title: 电话
    lessons: [phone, language, conduct]
    certificate: yes please
  - id: complaints
    title: 投诉
    lessons: [complaints]
    certificate: {valid_months: 6}
  - id: service-desk
    title: 客服中心
    lessons: [desk-service, desk-ops, complaints]
"""


def _content_with(tmp_path: Path, courses: str) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(ROOT, root)
    (root / "courses.yml").write_text(courses, encoding="utf-8")
    return root


def test_bad_rules_are_reported_with_path_and_line(runner, tmp_path):
    root = _content_with(tmp_path, BAD)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1, result.output
    lines = [line.split("courses.yml:", 1)[1] for line in result.output.splitlines() if "courses.yml:" in line]
    assert "6: unknown activity 'quiz:no-such-quiz': no quiz with id 'no-such-quiz'" in lines
    assert "6: unknown activity 'scenario:nope': no scenario with id 'nope'" in lines
    assert any(line.startswith("6: unknown activity kind 'bogus'") for line in lines)
    assert any(line.startswith("6: certificate activity 'plain' must be written kind:id") for line in lines)
    assert "7: certificate min_score 120 outside 0-100" in lines
    assert "8: certificate valid_months 0 must be at least 1" in lines
    assert "12: certificate min_score -1 outside 0-100" in lines
    assert any(line.startswith("12: unknown key 'colour' in a certificate rule") for line in lines)
    assert any(line.startswith("16: 'certificate' must be a mapping") for line in lines)
    assert not any(line.startswith("20:") for line in lines), lines  # a correct rule is not reported


def test_a_course_without_quiz_needs_explicit_activities(runner, tmp_path):
    courses = (ROOT / "courses.yml").read_text(encoding="utf-8")
    courses = courses.replace("    lessons: [grooming, posture, gestures]\n",
                              "    lessons: [grooming, posture, gestures]\n    certificate: {valid_months: 12}\n", 1)
    root = _content_with(tmp_path, courses)
    (root / "quizzes.yml").write_text((root / "quizzes.yml").read_text(encoding="utf-8")
                                      .replace("course: appearance", "course: new-hire"), encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    assert "certificate rule of 'appearance' names no activities" in result.output


def test_shipped_rules_check_clean(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
