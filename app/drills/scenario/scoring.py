"""The normalised scenario score and its breakdown by choice.

A branching scenario may loop, so "the best path" is not always finite; the score is therefore
measured on the path actually taken. At each step the trainee could have earned between the
worst and the best score on offer at that node::

    score = 100 × Σ (chosen − worst) / Σ (best − worst)        over the steps taken

Always choosing the best option gives 100, always the worst gives 0, whatever the declared
score range (negative scores included). Steps where every option scores the same do not count;
a run without any such step scores 100. The result is rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.ui.formatting import round_score


class StepScore(Protocol):
    score: int
    best: int
    worst: int


def normalised_score(steps: Iterable[StepScore]) -> float:
    earned = spread = 0
    for step in steps:
        earned += step.score - step.worst
        spread += step.best - step.worst
    if spread <= 0:
        return 100.0
    return round_score(100 * earned / spread)
