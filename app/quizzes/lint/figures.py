"""The figures of one pool: blind strategies' scores and the surface-cue shares.

Pure functions over prepared items (``strategies.Item``) and a pool's weights; every share is
weighted like the scores, so a quiz's figures describe what its draws look like on average.
"""

from __future__ import annotations

from .config import LintConfig
from .pools import Pool
from .strategies import STRATEGIES, Item, expected, pool_context
from .text import has_cue, length


def _share(parts: list[tuple[float, float, float]]) -> float | None:
    """Σ weight × hits / Σ weight × total, over (weight, hits, total) triples."""
    total = sum(w * t for w, _, t in parts)
    return sum(w * h for w, h, _ in parts) / total if total else None


def longest_key_credit(item: Item) -> float:
    """1 when the key is the strictly longest option, 1/k when it ties with k-1 others, else 0."""
    lengths = [length(o) for o in item.options]
    key = next(iter(item.keys))
    top = max(lengths)
    return 1 / lengths.count(top) if lengths[key] == top else 0.0


def pool_figures(pool: Pool, items: dict[str, Item], config: LintConfig) -> dict:
    members = [(items[qid], weight) for qid, weight in pool.weights.items() if qid in items]
    context = pool_context((item for item, _ in members), config.cue_words)
    total = sum(weight for _, weight in members)
    figures: dict = {"questions": len(members), "pass_mark": pool.pass_mark}
    figures["scores"] = {
        name: round(100 * sum(w * expected(item, name, context) for item, w in members) / total, 1) if total else None
        for name in STRATEGIES
    }
    singles = [(item, w) for item, w in members if item.type == "single"]
    multiples = [(item, w) for item, w in members if item.type == "multiple"]
    statements = [(item, w) for item, w in members if item.type == "truefalse"]
    figures["single"] = {
        "questions": len(singles),
        "longest_key_share": _share([(w, longest_key_credit(i), 1) for i, w in singles]),
        "longest_key_limit": (_share([(w, 1 / len(i.options), 1) for i, w in singles]) or 0) + config.longest_key_margin
        if singles else None,
    }
    figures["multiple"] = {
        "questions": len(multiples),
        "keyed_share": _share([(w, len(i.keys), len(i.options)) for i, w in multiples]),
    }
    cue_statements = [(i, w) for i, w in statements if has_cue(i.doc.prompt, config.cue_words)]
    figures["truefalse"] = {
        "questions": len(statements),
        "true_share": _share([(w, 1.0 if i.spec["key"] else 0.0, 1) for i, w in statements]),
        "cue_statements": len(cue_statements),
        "cue_false_share": _share([(w, 0.0 if i.spec["key"] else 1.0, 1) for i, w in cue_statements]),
    }
    cue_options = [(w, 1.0 if index in i.keys else 0.0, 1) for i, w in singles + multiples
                   for index, option in enumerate(i.options) if has_cue(option, config.cue_words)]
    figures["cue_options"] = {"options": len(cue_options), "keyed_share": _share(cue_options)}
    return _rounded(figures)


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value
