"""Play every quiz with the blind surface strategies through the real grading code (issue 13).

    .venv/bin/python bench/blind_quiz.py [CONTENT_ROOT] [--draws 2000] [--seed 13] [--margin 5] [--json]

For each quiz of ``quizzes.yml`` it simulates ``--draws`` attempts that follow the quiz's draw
rules (the rule pools of ``app.content.validate.rule_pool``, matched to distinct questions by the
quiz engine's own ``app.quizzes.draw.match_slots``, ties broken at random as the engine does for a
new employee). Each strategy of ``app.quizzes.lint.strategies`` answers every drawn question (its
response sampled from the strategy's distribution), the question type's real ``grade`` scores it,
and the attempt score is 100 × the mean fraction (as ``attempts.finish``). Printed per quiz: the
chance mean, each strategy's mean, the pass mark, and PASS when every strategy's mean is at most
chance + margin and below the pass mark (else FAIL; the exit status is 1 on any FAIL).
No database, no Flask app: content files only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.content.documents import ContentSet, QuizDoc  # noqa: E402
from app.content.loader import load_content  # noqa: E402
from app.content.validate import rule_pool  # noqa: E402
from app.quizzes.draw import match_slots  # noqa: E402
from app.quizzes.lint.config import load_config  # noqa: E402
from app.quizzes.lint.report import prepared_items  # noqa: E402
from app.quizzes.lint.strategies import STRATEGIES, Item, plays, pool_context  # noqa: E402

DEFAULT_ROOT = ROOT / "content" / "standards"


class _Sampler:
    """One (question, strategy) distribution, with cumulative weights for fast sampling."""

    def __init__(self, item: Item, distribution: list) -> None:
        self.item = item
        self.responses = [response for _, response in distribution]
        self.cumulative = list(itertools.accumulate(p for p, _ in distribution))

    def play(self, rng: random.Random) -> float:
        response = rng.choices(self.responses, cum_weights=self.cumulative)[0]
        return self.item.grade(response)


def play_quiz(content: ContentSet, quiz: QuizDoc, items: dict[str, Item], cue_words: tuple[str, ...],
              draws: int, rng: random.Random, margin: float) -> dict:
    slots = [[q.id for q in rule_pool(content, quiz, rule) if q.id in items]
             for rule in quiz.draw for _ in range(rule.count)]
    wanted = sorted({qid for slot in slots for qid in slot})
    context = pool_context((items[qid] for qid in wanted), cue_words)
    samplers = {(qid, name): _Sampler(items[qid], plays(items[qid], name, context))
                for qid in wanted for name in STRATEGIES}
    totals = dict.fromkeys(STRATEGIES, 0.0)
    for _ in range(draws):
        preference = {qid: (0, rng.random()) for qid in wanted}
        drawn = [qid for qid in match_slots(slots, preference) if qid is not None]
        if not drawn:
            continue
        for name in STRATEGIES:
            earned = sum(samplers[(qid, name)].play(rng) for qid in drawn)
            totals[name] += round(100 * earned / len(drawn), 2)
    means = {name: round(total / draws, 1) for name, total in totals.items()}
    chance = means["chance"]
    worst = max(means[name] for name in STRATEGIES[1:])
    passed = worst <= chance + margin and worst < quiz.pass_mark
    return {"quiz": quiz.id, "pass_mark": quiz.pass_mark, "chance": chance, "means": means,
            "questions_per_attempt": sum(rule.count for rule in quiz.draw), "pool": len(wanted),
            "result": "PASS" if passed else "FAIL"}


def play_all(root: Path, draws: int = 2000, seed: int = 13, margin: float = 5.0) -> list[dict]:
    content = load_content(root)
    config, _problems = load_config(root)
    items = prepared_items(content)
    rng = random.Random(seed)
    return [play_quiz(content, quiz, items, config.cue_words, draws, rng, margin)
            for quiz in content.quizzes.values()]


def table(rows: list[dict], margin: float) -> str:
    names = STRATEGIES[1:]
    head = ["quiz", "chance", *names, "pass mark", f"≤ chance+{margin:g} and < pass"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row["quiz"], f"{row['chance']:.1f}", *(f"{row['means'][n]:.1f}" for n in names),
                 str(row["pass_mark"]), row["result"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=DEFAULT_ROOT, help="content root (content/standards)")
    parser.add_argument("--draws", type=int, default=2000, help="simulated attempts per quiz")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--margin", type=float, default=5.0, help="points a strategy may score above chance")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    rows = play_all(args.root, args.draws, args.seed, args.margin)
    if args.json:
        print(json.dumps({"draws": args.draws, "seed": args.seed, "margin": args.margin, "quizzes": rows},
                         ensure_ascii=False, indent=2))
    else:
        print(table(rows, args.margin))
    return 0 if all(row["result"] == "PASS" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
