"""Findings: the aggregate thresholds per pool (errors), near-duplicates a quiz can draw together
(errors), per-question surface cues (warnings, to show authors where to work), hard questions."""

from __future__ import annotations

from collections.abc import Iterator

from app.content.plugins import ERROR, WARNING, LintFinding

from .config import LintConfig
from .pools import Pool
from .strategies import STRATEGIES, Item
from .text import cue_words_in, has_cue, length, normalise, shared_runs, similarity


def _pct(value: float) -> str:
    return f"{100 * value:.0f} %"


def pool_findings(pool: Pool, figures: dict, config: LintConfig) -> Iterator[LintFinding]:
    """The aggregate thresholds of one bank or quiz."""
    def finding(code: str, message: str) -> LintFinding:
        return LintFinding(pool.path, pool.line, ERROR, code, f"{pool.label}: {message}")

    scores = figures["scores"]
    chance = scores["chance"]
    for name in STRATEGIES[1:]:
        if chance is not None and scores[name] is not None and scores[name] > chance + config.strategy_margin:
            yield finding("blind-strategy", f"blind strategy {name!r} scores {scores[name]:.1f}, more than "
                          f"{config.strategy_margin:g} points above chance ({chance:.1f})")
    enough = config.min_pool_items
    single = figures["single"]
    if single["questions"] >= enough and single["longest_key_share"] > single["longest_key_limit"]:
        yield finding("longest-key-share", f"the key is the longest option in {_pct(single['longest_key_share'])} "
                      f"of {single['questions']} single-choice questions (at most {_pct(single['longest_key_limit'])})")
    multiple = figures["multiple"]
    low, high = config.multiple_keyed_share
    if multiple["questions"] >= enough and not low <= multiple["keyed_share"] <= high:
        yield finding("multiple-keyed-share", f"{_pct(multiple['keyed_share'])} of the options of "
                      f"{multiple['questions']} multiple-choice questions are keyed correct "
                      f"(between {_pct(low)} and {_pct(high)})")
    statements = figures["truefalse"]
    low, high = config.truefalse_true_share
    if statements["questions"] >= enough and not low <= statements["true_share"] <= high:
        yield finding("truefalse-true-share", f"{_pct(statements['true_share'])} of {statements['questions']} "
                      f"true/false statements are true (between {_pct(low)} and {_pct(high)})")
    low, high = config.truefalse_cue_false_share
    if statements["cue_statements"] >= enough and not low <= statements["cue_false_share"] <= high:
        yield finding("truefalse-cue-share", f"{_pct(statements['cue_false_share'])} of "
                      f"{statements['cue_statements']} true/false statements with a cue word are false "
                      f"(between {_pct(low)} and {_pct(high)})")
    cues = figures["cue_options"]
    low, high = config.cue_keyed_share
    if cues["options"] >= max(config.cue_min_options, 1) and not low <= cues["keyed_share"] <= high:
        yield finding("cue-keyed-share", f"{_pct(cues['keyed_share'])} of {cues['options']} options with a cue "
                      f"word are keyed correct (between {_pct(low)} and {_pct(high)})")


def question_findings(item: Item, config: LintConfig) -> Iterator[LintFinding]:
    """Per-question surface cues (warnings at the key's line)."""
    if item.type not in ("single", "multiple"):
        return
    doc, keys = item.doc, item.keys
    lengths = [length(o) for o in item.options]
    distractors = [i for i in range(len(lengths)) if i not in keys]
    if item.type == "single" and distractors:
        key = next(iter(keys))
        longest_distractor = max(lengths[i] for i in distractors)
        if lengths[key] > (1 + config.longest_by) * longest_distractor:
            yield LintFinding(doc.path, doc.options[key].line, WARNING, "key-longest",
                              f"{doc.id}: the key ({lengths[key]} characters) is more than "
                              f"{config.longest_by:.0%} longer than every distractor (longest {longest_distractor})")
    cue_options = [i for i, o in enumerate(item.options) if has_cue(o, config.cue_words)]
    if cue_options and distractors and not set(cue_options) & keys:
        words = sorted({w for i in cue_options for w in cue_words_in(item.options[i], config.cue_words)})
        yield LintFinding(doc.path, doc.options[cue_options[0]].line, WARNING, "cue-distractors",
                          f"{doc.id}: every option with a cue word ({'、'.join(words)}) is a distractor")
    prompt = normalise(doc.prompt)
    others = [normalise(item.options[i]) for i in distractors]
    for index in sorted(keys):
        runs = shared_runs(normalise(item.options[index]), prompt, others, config.echo_min_chars)
        if runs and distractors:
            yield LintFinding(doc.path, doc.options[index].line, WARNING, "prompt-echo",
                              f"{doc.id}: the key repeats {runs[0]!r} from the prompt and no distractor does")
            break


def duplicate_text(item: Item) -> str:
    return normalise(" ".join([item.doc.prompt, *item.options]))


def near_duplicates(items: dict[str, Item], groups: dict[str, set[str]],
                    config: LintConfig) -> Iterator[LintFinding]:
    """Two questions one quiz can draw together whose normalised texts are ≥ the similarity
    threshold: one error per pair, at the later question, naming the quizzes."""
    texts = {qid: duplicate_text(item) for qid, item in items.items()}
    pairs: dict[tuple[str, str], list[str]] = {}
    scores: dict[tuple[str, str], float] = {}
    for quiz_id, members in sorted(groups.items()):
        ordered = sorted(qid for qid in members if qid in texts)
        for a_index, a in enumerate(ordered):
            for b in ordered[a_index + 1:]:
                pair = (a, b)
                if pair not in scores:
                    scores[pair] = similarity(texts[a], texts[b], config.near_duplicate_similarity)
                if scores[pair] >= config.near_duplicate_similarity:
                    pairs.setdefault(pair, []).append(quiz_id)
    for (a, b), quizzes in sorted(pairs.items()):
        first, second = sorted((items[a].doc, items[b].doc), key=lambda d: (d.path, d.line))
        yield LintFinding(second.path, second.line, ERROR, "near-duplicate",
                          f"{second.id} is a near-duplicate of {first.id} ({first.path}:{first.line}; "
                          f"similarity {scores[(a, b)]:.2f}), and quiz {', '.join(quizzes)} can draw both")


def hard_questions(items: dict[str, Item], config: LintConfig) -> Iterator[LintFinding]:
    hard = sum(1 for item in items.values() if item.doc.difficulty == 3)
    if hard < config.hard_questions_min:
        yield LintFinding(config.path, config.line("hard_questions_min"), WARNING, "hard-questions",
                          f"the bank holds {hard} hard questions (difficulty 3); it should hold at least "
                          f"{config.hard_questions_min}")
