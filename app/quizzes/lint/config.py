"""The linter's thresholds and cue-word list, read from ``content/standards/lint.yml``.

The defaults are the shared definitions of issue 13 (docs: content/standards/README.md, "Writing
good items"). A missing file means "the defaults"; a present one is validated key by key, and every
wrong value is a ``path:line: message`` problem (``content check`` fails on it) while the default
is kept for that key, so one typo never hides the other findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from app.content.documents import ContentError, Problem
from app.content.loader import default_display_base
from app.content.source import read_lines
from app.content.yaml_lines import LineDict, LineList, YamlProblem, load_yaml

LINT_FILE = "lint.yml"

DEFAULT_CUE_WORDS = (
    "只要", "即可", "直接", "随意", "一律", "无条件", "随便", "完全不", "任何时候", "绝对", "总是", "从不",
    "无需", "不必", "必须", "一定", "所有", "全部", "永远", "完全", "只需", "不用",
)

#: keys holding a [low, high] share range
RANGE_KEYS = ("multiple_keyed_share", "truefalse_true_share", "truefalse_cue_false_share", "cue_keyed_share")


@dataclass(frozen=True)
class LintConfig:
    #: false: every finding is printed as a warning and the check passes (the bank is being rewritten)
    enforce: bool = False
    #: points a blind strategy may score above chance, on every bank and every quiz
    strategy_margin: float = 5.0
    #: single choice: share of keys that are the strictly longest option ≤ mean(1/n) + this
    longest_key_margin: float = 0.05
    multiple_keyed_share: tuple[float, float] = (0.35, 0.60)
    truefalse_true_share: tuple[float, float] = (0.40, 0.60)
    truefalse_cue_false_share: tuple[float, float] = (0.35, 0.65)
    cue_keyed_share: tuple[float, float] = (0.35, 0.65)
    #: the cue-word share is judged only over at least this many cue-word options
    cue_min_options: int = 5
    #: a share threshold is judged only over a pool holding at least this many questions of the type
    min_pool_items: int = 5
    near_duplicate_similarity: float = 0.80
    #: difficulty-3 questions the whole bank should hold (below: a warning)
    hard_questions_min: int = 60
    #: per question: the key is longer than every distractor by more than this share
    longest_by: float = 0.20
    #: per question: a run of this many prompt characters repeated by the key and no distractor
    echo_min_chars: int = 4
    #: ``--database``: negative discrimination is listed from this many responses on
    min_responses: int = 30
    #: ``--source``: shortest run of shared Chinese characters reported
    source_min_run: int = 20
    cue_words: tuple[str, ...] = DEFAULT_CUE_WORDS
    #: where the settings came from (for messages), and the line of each key
    path: str = LINT_FILE
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 1)


_NUMBERS = {"strategy_margin": (0, 100), "longest_key_margin": (0, 1), "near_duplicate_similarity": (0, 1),
            "longest_by": (0, 10)}
_INTEGERS = {"cue_min_options": 0, "min_pool_items": 1, "hard_questions_min": 0, "echo_min_chars": 2,
             "min_responses": 1, "source_min_run": 5}
_ALLOWED = [f.name for f in fields(LintConfig) if f.name not in ("path", "key_lines")]


def load_config(root: Path, display_base: Path | None = None) -> tuple[LintConfig, list[Problem]]:
    """The settings of the content root (defaults when there is no lint.yml) and their problems."""
    path = Path(root) / LINT_FILE
    base = (display_base or default_display_base(Path(root))).resolve()
    display = path.resolve().relative_to(base).as_posix() if path.resolve().is_relative_to(base) else path.as_posix()
    if not path.exists():
        return LintConfig(path=display), []
    try:
        text = "\n".join(read_lines(path, display))
        data, warnings = load_yaml(text)
    except ContentError as exc:
        return LintConfig(path=display), [exc.problem]
    except YamlProblem as exc:
        return LintConfig(path=display), [Problem(display, exc.line, exc.message)]
    problems = [Problem(display, line, message) for line, message in warnings]
    if data is None:
        return LintConfig(path=display), problems
    if not isinstance(data, LineDict):
        return LintConfig(path=display), problems + [Problem(display, 1, "lint.yml must be a mapping of settings")]
    return parse_config(data, display, problems)


def parse_config(data: LineDict, display: str, problems: list[Problem]) -> tuple[LintConfig, list[Problem]]:
    values: dict = {}

    def report(key: str, message: str) -> None:
        problems.append(Problem(display, data.line_of(key), message))

    for key, value in data.items():
        if key not in _ALLOWED:
            report(key, f"unknown key {key!r} in lint.yml (allowed: {', '.join(_ALLOWED)})")
        elif key == "enforce":
            if isinstance(value, bool):
                values[key] = value
            else:
                report(key, "'enforce' must be true or false")
        elif key in _NUMBERS:
            low, high = _NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                report(key, f"{key!r} must be a number from {low} to {high}")
            else:
                values[key] = float(value)
        elif key in _INTEGERS:
            if isinstance(value, bool) or not isinstance(value, int) or value < _INTEGERS[key]:
                report(key, f"{key!r} must be a whole number ≥ {_INTEGERS[key]}")
            else:
                values[key] = value
        elif key in RANGE_KEYS:
            pair = _share_range(value)
            if pair is None:
                report(key, f"{key!r} must be [low, high] with 0 ≤ low ≤ high ≤ 1")
            else:
                values[key] = pair
        elif key == "cue_words":
            values[key] = _cue_words(value, data.line_of(key), display, problems)
    config = replace(LintConfig(path=display, key_lines=dict(data.key_lines)), **values)
    return config, problems


def _share_range(value) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in value):
        return None
    low, high = float(value[0]), float(value[1])
    return (low, high) if 0 <= low <= high <= 1 else None


def _cue_words(value, line: int, display: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, LineList):
        problems.append(Problem(display, line, "'cue_words' must be a list of words"))
        return DEFAULT_CUE_WORDS
    words: list[str] = []
    for index, item in enumerate(value):
        word = str(item).strip() if isinstance(item, str | int) and not isinstance(item, bool) else ""
        if not word:
            problems.append(Problem(display, value.line_of(index), "a cue word must be non-empty text"))
        elif word in words:
            problems.append(Problem(display, value.line_of(index), f"duplicate cue word {word!r}"))
        else:
            words.append(word)
    return tuple(words)
