"""bench/blind_quiz.py on fixture content: every quiz played by every blind strategy through the
real graders, per-quiz means, PASS/FAIL and the JSON output."""

from __future__ import annotations

import json

from bench import blind_quiz
from tests.quizzes.lint_helpers import BAD, GOOD
from tests.quizzes.quiz_helpers import VALID


def test_good_bank_passes(capsys):
    assert blind_quiz.main([str(GOOD), "--draws", "300", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [quiz] = data["quizzes"]
    assert quiz["quiz"] == "desk-quiz" and quiz["result"] == "PASS" and quiz["pass_mark"] == 80
    assert quiz["questions_per_attempt"] == 10 and quiz["pool"] == 17
    assert 20 < quiz["chance"] < 37
    assert set(quiz["means"]) == {"chance", "longest", "shortest", "tick-all", "cue-words", "prompt-echo"}


def test_bad_bank_fails_and_cue_words_score_full_marks(capsys):
    assert blind_quiz.main([str(BAD), "--draws", "200"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("| quiz | chance | longest | shortest | tick-all | cue-words | prompt-echo |")
    row = next(line for line in out.splitlines() if line.startswith("| desk-quiz"))
    assert "| 100.0 |" in row and row.endswith("| FAIL |")


def test_rules_are_followed(capsys):
    """The fixture quiz draws 3 phone + 1 greet + 1 tagged question: five per attempt."""
    blind_quiz.main([str(VALID), "--draws", "50", "--json"])
    [quiz] = json.loads(capsys.readouterr().out)["quizzes"]
    assert quiz["questions_per_attempt"] == 5 and quiz["pool"] >= 5
    rows = blind_quiz.play_all(VALID, draws=50, seed=1)
    assert rows == blind_quiz.play_all(VALID, draws=50, seed=1)  # seeded: reproducible
