"""Text measures the linter shares: normalised text, length, tokens, cue words, similarity."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

#: CJK unified ideographs (basic block and extension A): what "Chinese characters" means here
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[a-z0-9]+")
_MARKUP_RE = re.compile(r"[*_`#>\[\]()]")


def normalise(text: str) -> str:
    """Letters, digits and Chinese characters only: width, case, punctuation, spaces and
    Markdown marks do not count (``“您好！”`` and ``您好`` are equal)."""
    text = unicodedata.normalize("NFKC", _MARKUP_RE.sub("", text or "")).lower()
    return "".join(ch for ch in text if ch.isalnum())


def length(text: str) -> int:
    """The length a reader sees, for "the longest option"."""
    return len(normalise(text))


def tokens(text: str) -> set[str]:
    """Distinct Chinese characters and Latin/digit words (what "shares words with" compares)."""
    return set(_WORD_RE.findall(unicodedata.normalize("NFKC", text or "").lower()))


def has_cue(text: str, cue_words: Iterable[str]) -> bool:
    return any(word and word in text for word in cue_words)


def cue_words_in(text: str, cue_words: Iterable[str]) -> list[str]:
    return [word for word in cue_words if word and word in text]


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's ratio of two normalised texts (1.0: identical). When a cheap upper bound is
    already below ``floor`` that bound is returned instead, so most pairs of a pool cost little."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        value = bound()
        if value < floor:
            return value
    return matcher.ratio()


def median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def shared_runs(key: str, prompt: str, others: Iterable[str], size: int) -> list[str]:
    """The ``size``-character runs of ``key`` that also occur in ``prompt`` and in none of
    ``others`` (all normalised texts)."""
    runs = []
    for start in range(len(key) - size + 1):
        run = key[start:start + size]
        if run in prompt and not any(run in other for other in others) and run not in runs:
            runs.append(run)
    return runs
