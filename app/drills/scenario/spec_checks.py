"""Scenario checks beyond the graph: ending conditions, clock placeholders, and the bank lint on
choice lengths (a trainee who always picks the longest choice must not do well)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .path import has_placeholder, longest_is_best, unknown_placeholders

if TYPE_CHECKING:
    from ..common.spec_common import Reader
    from .spec import NodeDoc, ScenarioDoc

#: the share of decision nodes, over the whole bank, at which the best choice may be the longest
MAX_LONGEST_BEST_SHARE = 1 / 3
_MARKUP_RE = re.compile(r"[\s*_`~\[\]()#>|]+")


def plain_length(text: str) -> int:
    """Characters a reader sees: Markdown marks and spaces are not counted."""
    return len(_MARKUP_RE.sub("", text))


def check_endings(reader: Reader, display: str, nodes: dict[str, NodeDoc]) -> None:
    for node in nodes.values():
        ending = node.ending
        if ending is None:
            continue
        conditional = ending.min_score > 0 or not ending.allow_critical
        if ending.otherwise:
            target = nodes.get(ending.otherwise)
            if target is None or target.ending is None:
                reader.report(display, ending.line, f"'otherwise' of ending {node.id!r} must name an ending node, "
                              f"not {ending.otherwise!r}")
                continue
        elif conditional:
            reader.report(display, ending.line, f"ending {node.id!r} has a condition (min_score "
                          f"{ending.min_score}, allow_critical {str(ending.allow_critical).lower()}) but no "
                          "'otherwise' ending to show when it fails")
            continue
        chain = [node.id]
        current = ending
        while current is not None and current.otherwise and current.otherwise in nodes:
            if current.otherwise in chain:
                reader.report(display, ending.line, "the 'otherwise' endings loop: " + " → ".join(
                    [*chain, current.otherwise]))
                break
            chain.append(current.otherwise)
            current = nodes[current.otherwise].ending


def check_placeholders(reader: Reader, display: str, doc: ScenarioDoc) -> None:
    for node in doc.nodes.values():
        texts = [(node.situation, node.line), (node.says, node.line)]
        texts += [(t, c.line) for c in node.choices for t in (c.text, c.feedback)]
        if node.ending is not None:
            texts.append((node.ending.text, node.ending.line))
        for text, line in texts:
            for bad in unknown_placeholders(text):
                reader.report(display, line, f"unknown placeholder {bad}: use {{time}}, {{time+N}}, {{start}} "
                              "or {start+N}")
            if doc.clock is None and has_placeholder(text):
                reader.report(display, line, f"node {node.id!r} shows the clock but the scenario has no 'clock'")


def longest_best_counts(doc: ScenarioDoc) -> tuple[int, int]:
    """``(decision nodes where a best choice is the longest, decision nodes)`` of one scenario."""
    hits = total = 0
    for node in doc.nodes.values():
        verdict = longest_is_best([(plain_length(c.text), c.score) for c in node.choices])
        if verdict is None:
            continue
        total += 1
        hits += verdict
    return hits, total


def check_longest_best(reader: Reader, docs: list[ScenarioDoc]) -> None:
    """Bank lint: error when, over all scenarios, the best choice is the longest at more than a third of
    the decision nodes. The message names the scenarios that contribute most."""
    counts = [(doc, *longest_best_counts(doc)) for doc in docs]
    hits = sum(c[1] for c in counts)
    total = sum(c[2] for c in counts)
    if not total or hits <= total * MAX_LONGEST_BEST_SHARE:
        return
    worst = sorted((c for c in counts if c[1]), key=lambda c: (-c[1] / max(c[2], 1), c[0].id))[:5]
    listed = ", ".join(f"{doc.id} {h}/{t}" for doc, h, t in worst)
    first = docs[0]
    reader.report(first.path, first.line, f"the best choice is the longest at {hits} of {total} decision nodes "
                  f"over all scenarios (at most a third allowed; most: {listed}): shorten the best choices or "
                  "write the wrong ones out as fully")
