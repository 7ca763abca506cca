"""The pools the linter judges: each question file (a bank) and each quiz.

* bank: every active question of one questions file, weighted equally;
* quiz: the questions each draw rule can draw (``app.content.validate.rule_pool``, the contract
  the quiz engine draws by), weighted by the expected number of times each is drawn
  (count / pool size of the rule, summed over the rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.content.documents import ContentSet
from app.content.validate import rule_pool


@dataclass
class Pool:
    kind: str  # "bank" or "quiz"
    id: str
    #: where findings about the whole pool are reported
    path: str
    line: int
    weights: dict[str, float] = field(default_factory=dict)
    pass_mark: int | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.id}"


def bank_pools(content: ContentSet) -> list[Pool]:
    pools: dict[str, Pool] = {}
    for question in content.questions.values():
        pool = pools.get(question.path)
        if pool is None:
            pool = pools[question.path] = Pool("bank", question.lesson_id, question.path, question.lesson_line)
        pool.weights[question.id] = 1.0
    return [pools[path] for path in sorted(pools)]


def quiz_pools(content: ContentSet) -> list[Pool]:
    pools = []
    for quiz in content.quizzes.values():
        pool = Pool("quiz", quiz.id, quiz.path, quiz.line, pass_mark=quiz.pass_mark)
        for rule in quiz.draw:
            candidates = rule_pool(content, quiz, rule)
            for question in candidates:
                pool.weights[question.id] = pool.weights.get(question.id, 0.0) + rule.count / len(candidates)
        pools.append(pool)
    return pools


def quiz_groups(content: ContentSet) -> dict[str, set[str]]:
    """quiz id → the ids of every question it can draw (any rule)."""
    return {pool.id: set(pool.weights) for pool in quiz_pools(content)}
