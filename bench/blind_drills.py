"""Blind strategies against the real drill graders, on the shipped content.

    .venv/bin/python bench/blind_drills.py [--root content/standards] [--json]

Each strategy knows nothing of the standard:

* **paste** (complaint records): the complaint text pasted into all five fields, the first option
  of every select;
* **longest** (role-plays): the longest choice at every node, following the path it leads to
  (endings resolved like a real run);
* **greeting** and **paste-prompt** (polite language): "您好，请问有什么可以帮您？", and the prompt's
  situation text itself; checked on the mean and on every single prompt.

Each is compared with a careful correct answer: the sample record with the right selects, the best
path, the model answer. The pass mark is :data:`PASS_MARK`; every blind mean must stay below it and
at least :data:`MARGIN` points below the careful mean (``check`` returns the failures).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.content.loader import load_content  # noqa: E402
from app.drills.complaint.grading import grade_complaint  # noqa: E402
from app.drills.complaint.rules import FIELD_CODES, SELECTS  # noqa: E402
from app.drills.complaint.spec import complaint_payload  # noqa: E402
from app.drills.drill_content import load_drills  # noqa: E402
from app.drills.language.grading import grade_answer  # noqa: E402
from app.drills.language.spec import prompt_payload  # noqa: E402
from app.drills.scenario.path import replay, resolve_ending  # noqa: E402
from app.drills.scenario.scoring import normalised_score  # noqa: E402
from app.drills.scenario.spec import scenario_payload  # noqa: E402
from app.drills.scenario.spec_checks import plain_length  # noqa: E402

PASS_MARK = 80
MARGIN = 40
GENERIC_GREETING = "您好，请问有什么可以帮您？"
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Row:
    drill: str
    strategy: str
    careful: float
    blind: float
    items: int


def _plain(html: str) -> str:
    return _TAGS.sub("", html)


def complaint_rows(drills, known) -> list[Row]:
    blind, careful = [], []
    for doc in drills.complaints:
        spec = complaint_payload(doc, known)
        pasted = _plain(spec["complaint_html"])
        attack = {code: pasted for code in FIELD_CODES}
        attack.update({rule.code: rule.options[0][0] for rule in SELECTS})
        blind.append(grade_complaint(spec, attack)["score"])
        right = {code: spec["fields"][code]["sample"] for code in FIELD_CODES}
        right.update({code: rule["expected"] for code, rule in spec["rules"].items()})
        careful.append(grade_complaint(spec, right)["score"])
    return [Row("complaint", "paste the complaint", mean(careful), mean(blind), len(blind))]


@dataclass
class _Step:
    score: int
    best: int
    worst: int


def play(spec: dict[str, Any], pick) -> tuple[float, str]:
    """Follow ``pick(choices) -> index`` from the start; the score and the ending shown."""
    node_id, taken, steps = spec["start"], [], []
    for _ in range(200):
        node = spec["nodes"][node_id]
        if node.get("ending"):
            break
        index = pick(node["choices"])
        scores = [c["score"] for c in node["choices"]]
        steps.append(_Step(node["choices"][index]["score"], max(scores), min(scores)))
        taken.append((node_id, index))
        node_id = node["choices"][index]["next"]
    score = normalised_score(steps)
    mistakes = replay(spec, taken).mistakes
    return score, resolve_ending(spec["nodes"], node_id, score, bool(mistakes))


def longest(choices) -> int:
    lengths = [plain_length(_plain(c["text_html"])) for c in choices]
    return lengths.index(max(lengths))


def best(choices) -> int:
    scores = [c["score"] for c in choices]
    return scores.index(max(scores))


def scenario_rows(drills, known) -> tuple[list[Row], list[dict[str, Any]]]:
    blind, careful, detail = [], [], []
    for doc in drills.scenarios:
        spec = scenario_payload(doc, known)
        b_score, b_end = play(spec, longest)
        c_score, c_end = play(spec, best)
        blind.append(b_score)
        careful.append(c_score)
        detail.append({"id": doc.id, "longest": b_score, "longest_ending": spec["nodes"][b_end]["ending"]["outcome"],
                       "best": c_score, "best_ending": spec["nodes"][c_end]["ending"]["outcome"]})
    return [Row("scenario", "the longest choice", mean(careful), mean(blind), len(blind))], detail


@dataclass
class PromptFigures:
    id: str
    greeting: float
    pasted: float
    careful: float


def language_figures(drills, known) -> list[PromptFigures]:
    """Per prompt: the generic greeting, the pasted situation and the model answer, graded with the
    default service-centre name (no app context)."""
    figures = []
    for doc in drills.prompts:
        spec = prompt_payload(doc, drills.common_banned, known)
        figures.append(PromptFigures(doc.id, grade_answer(spec, GENERIC_GREETING)["score"],
                                     grade_answer(spec, _plain(spec["situation_html"]))["score"],
                                     grade_answer(spec, doc.model_answer)["score"]))
    return figures


def language_rows(figures: list[PromptFigures]) -> list[Row]:
    careful = mean(f.careful for f in figures)
    return [Row("language", "a generic greeting", careful, mean(f.greeting for f in figures), len(figures)),
            Row("language", "paste the prompt", careful, mean(f.pasted for f in figures), len(figures))]


def check_prompts(figures: list[PromptFigures]) -> list[str]:
    """Every single prompt, not only the mean: each blind answer below the pass mark and
    :data:`MARGIN` points below that prompt's model answer."""
    failures = []
    for f in figures:
        for strategy, blind in (("a generic greeting", f.greeting), ("paste the prompt", f.pasted)):
            if blind >= PASS_MARK or f.careful - blind < MARGIN:
                failures.append(f"language {f.id} / {strategy}: {blind:.1f} against the model answer's {f.careful:.1f}")
    return failures


def measure(root: Path) -> tuple[list[Row], list[dict[str, Any]]]:
    content = load_content(root)
    drills = load_drills(content)
    known = content.clause_index()
    scenario, detail = scenario_rows(drills, known)
    figures = language_figures(drills, known)
    detail += [f.__dict__ for f in figures]
    return [*complaint_rows(drills, known), *scenario, *language_rows(figures)], detail


def check(rows: list[Row], detail: list[dict[str, Any]] | None = None) -> list[str]:
    """Failures of the means; with ``detail`` (from :func:`measure`) also of every language prompt."""
    failures = check_prompts([PromptFigures(**d) for d in detail or [] if "greeting" in d])
    for row in rows:
        if row.blind >= PASS_MARK:
            failures.append(f"{row.drill} / {row.strategy}: blind mean {row.blind:.1f} is not below the pass mark")
        if row.careful - row.blind < MARGIN:
            failures.append(f"{row.drill} / {row.strategy}: blind mean {row.blind:.1f} is less than {MARGIN} "
                            f"points below the careful mean {row.careful:.1f}")
    return failures


def table(rows: list[Row]) -> str:
    lines = ["| drill | blind strategy | items | blind mean | careful mean | gap |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.drill} | {r.strategy} | {r.items} | {r.blind:.1f} | {r.careful:.1f} | {r.careful - r.blind:.1f} |"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT / "content" / "standards")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--detail", action="store_true", help="per-scenario figures")
    args = parser.parse_args(argv)
    rows, detail = measure(args.root)
    failures = check(rows, detail)
    if args.json:
        print(json.dumps({"pass_mark": PASS_MARK, "rows": [r.__dict__ for r in rows], "failures": failures},
                         ensure_ascii=False, indent=2))
    else:
        print(table(rows))
        if args.detail:
            for item in detail:
                print(item)
        print(f"\npass mark {PASS_MARK}; required gap {MARGIN}")
        for failure in failures:
            print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
