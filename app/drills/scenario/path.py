"""What a path through a scenario adds up to: the clock, the critical mistakes, the ending.

Everything is computed from the run's version spec and the choices taken (the spec of a version
never changes), so no extra state is stored on the run:

* the clock starts at the scenario's ``clock`` (minutes after midnight) and advances by the
  ``minutes`` of each choice taken;
* a critical mistake is a chosen choice marked ``critical``, or a node with a ``deadline``
  reached more than ``within`` minutes after the start;
* the ending shown is the ending reached, or its ``otherwise`` chain, until one whose
  ``min_score`` and ``allow_critical`` conditions hold.

Texts may show the clock with ``{time}``, ``{time+N}``, ``{start}`` and ``{start+N}``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER_RE = re.compile(r"\{(time|start)(?:\+(\d{1,5}))?\}")
#: any ``{word...}`` that looks like a placeholder, for "unknown placeholder" messages
BRACE_RE = re.compile(r"\{([a-z_]+[^{}]*)\}")
CLOCK_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MINUTES_PER_DAY = 24 * 60
DEFAULT_GOOD_MIN_SCORE = 70


def parse_clock(text: str) -> int | None:
    """``"14:05"`` → 845 minutes after midnight; None when not ``HH:MM``."""
    match = CLOCK_RE.match(text.strip())
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def format_clock(minutes: int) -> str:
    """Minutes since midnight of the first day → ``14:05``, ``次日 08:30``, ``第3天 09:00``."""
    day, rest = divmod(max(minutes, 0), MINUTES_PER_DAY)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    if day == 0:
        return text
    if day == 1:
        return f"次日 {text}"
    return f"第{day + 1}天 {text}"


def unknown_placeholders(text: str) -> list[str]:
    """Brace expressions in ``text`` that are not clock placeholders."""
    return [m.group(0) for m in BRACE_RE.finditer(text) if not PLACEHOLDER_RE.fullmatch(m.group(0))]


def has_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER_RE.search(text))


def fill_time(text: str, now: int | None, start: int | None) -> str:
    """Replace the clock placeholders; unchanged when the scenario has no clock."""
    if start is None or not text:
        return text

    def repl(match: re.Match[str]) -> str:
        base = now if match.group(1) == "time" and now is not None else start
        return format_clock(base + int(match.group(2) or 0))

    return PLACEHOLDER_RE.sub(repl, text)


@dataclass
class Mistake:
    #: 0-based position of the step (the deadline's: the step taken at the late node)
    position: int
    node_id: str
    reason: str


@dataclass
class PathState:
    """The clock and mistakes after a sequence of choices."""

    start: int | None
    #: minutes elapsed since the start
    elapsed: int = 0
    #: elapsed minutes when each step's node was reached, by position
    arrivals: list[int] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def now(self) -> int | None:
        return None if self.start is None else self.start + self.elapsed

    def clock_at(self, position: int) -> int | None:
        if self.start is None:
            return None
        return self.start + (self.arrivals[position] if position < len(self.arrivals) else self.elapsed)


def replay(spec: dict[str, Any], taken: Sequence[tuple[str, int]]) -> PathState:
    """Walk ``(node_id, choice_index)`` pairs in order, then arrive at the node they lead to."""
    state = PathState(start=spec.get("clock"))
    node_id = spec["start"]
    for position, (step_node, index) in enumerate(taken):
        _arrive(spec, step_node, position, state)
        choice = spec["nodes"][step_node]["choices"][index]
        if choice.get("critical"):
            state.mistakes.append(Mistake(position, step_node, choice["critical"]))
        state.elapsed += int(choice.get("minutes") or 0)
        node_id = choice["next"]
    if node_id in spec["nodes"]:
        _arrive(spec, node_id, len(taken), state)
    return state


def _arrive(spec: dict[str, Any], node_id: str, position: int, state: PathState) -> None:
    state.arrivals.append(state.elapsed)
    deadline = spec["nodes"][node_id].get("deadline")
    if deadline and state.elapsed > deadline["within"]:
        state.mistakes.append(Mistake(position, node_id, deadline["reason"]))


def resolve_ending(nodes: dict[str, Any], reached: str, score: float, critical: bool) -> str:
    """The ending shown: ``reached`` or the first ending of its ``otherwise`` chain whose conditions hold."""
    node_id = reached
    seen: set[str] = set()
    while node_id not in seen:
        seen.add(node_id)
        ending = nodes[node_id]["ending"]
        ok = score >= ending.get("min_score", 0) and (ending.get("allow_critical", True) or not critical)
        target = ending.get("otherwise")
        if ok or not target or target not in nodes:
            return node_id
        node_id = target
    return node_id


def ending_defaults(outcome: str) -> tuple[int, bool]:
    """``(min_score, allow_critical)`` when the author writes neither."""
    if outcome == "good":
        return DEFAULT_GOOD_MIN_SCORE, False
    return 0, True


def longest_is_best(choices: Sequence[tuple[int, int]]) -> bool | None:
    """For one node's ``(text length, score)`` choices: whether a best choice is (one of) the longest.

    None when the node is not a decision (every choice scores the same)."""
    scores = [score for _, score in choices]
    if len(choices) < 2 or max(scores) == min(scores):
        return None
    longest = max(length for length, _ in choices)
    return any(length == longest and score == max(scores) for length, score in choices)
