"""Reading what a trainee typed: numbers with units, and free phrases.

Trainees type on phones and Chinese keyboards: full-width digits (``３``), Chinese numerals
(``三``, ``十五``), a unit word (``3声``, ``30 分钟``, ``1米``), Chinese punctuation. Grading must
not fail them for the keyboard they used, so both helpers normalise generously (NFKC folds
full-width forms) and only then compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit a numeric question may ask in; ``dimension``/``factor`` allow conversions."""

    key: str
    label: str
    dimension: str
    factor: float


#: The units of the README table, keyed as authors write them in ``unit:``.
UNITS: dict[str, Unit] = {u.key: u for u in (
    Unit("rings", "声", "rings", 1), Unit("degrees", "度", "degrees", 1),
    Unit("seconds", "秒", "time", 1), Unit("minutes", "分钟", "time", 60),
    Unit("hours", "小时", "time", 3600), Unit("days", "天", "time", 86400),
    Unit("months", "个月", "months", 1), Unit("cm", "厘米", "length", 1),
    Unit("percent", "%", "percent", 1), Unit("times", "次", "times", 1),
)}
#: Extra units trainees may answer in (converted, never used in ``unit:``).
_EXTRA_UNITS = {"m": Unit("m", "米", "length", 100), "mm": Unit("mm", "毫米", "length", 0.1)}

#: What a trainee may type after the number → unit key (lower-cased, after NFKC).
_UNIT_WORDS: dict[str, str] = {
    "声": "rings", "响": "rings", "下": "rings", "rings": "rings", "ring": "rings",
    "度": "degrees", "°": "degrees", "°c": "degrees", "℃": "degrees", "degrees": "degrees",
    "秒": "seconds", "秒钟": "seconds", "s": "seconds", "sec": "seconds", "seconds": "seconds",
    "分钟": "minutes", "分": "minutes", "min": "minutes", "mins": "minutes", "minutes": "minutes",
    "小时": "hours", "个小时": "hours", "钟头": "hours", "个钟头": "hours", "h": "hours", "hours": "hours",
    "天": "days", "日": "days", "days": "days", "个月": "months", "月": "months", "months": "months",
    "厘米": "cm", "公分": "cm", "cm": "cm", "米": "m", "m": "m", "毫米": "mm", "mm": "mm",
    "%": "percent", "percent": "percent", "次": "times", "遍": "times", "times": "times",
}
_PREFIXES = ("大约", "约", "第")
_SUFFIXES = ("之内", "以内", "以上", "左右", "内")

_ARABIC_RE = re.compile(r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))(.*)\Z")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                   "七": 7, "八": 8, "九": 9}
_CHINESE_POWERS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_RE = re.compile(r"([零〇一二两三四五六七八九十百千万]+|半)(.*)\Z")


def parse_chinese_number(text: str) -> int:
    """``三`` → 3, ``十五`` → 15, ``一百零五`` → 105, ``两万`` → 20000 (integers only)."""
    total = section = digit = 0
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        elif char in _CHINESE_POWERS:
            section += (digit or 1) * _CHINESE_POWERS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10000
            section = digit = 0
    return total + section + digit


def parse_plain_number(text: str) -> float | None:
    """An author's ``answer:``/``tolerance:`` value: digits only (full-width folded)."""
    match = _ARABIC_RE.match(unicodedata.normalize("NFKC", text).strip())
    return float(match.group(1)) if match and not match.group(2).strip() else None


@dataclass(frozen=True)
class Quantity:
    value: float
    #: A unit key (``UNITS`` or the extra length units), or None when none was typed.
    unit: str | None


def parse_quantity(text: str) -> Quantity | None:
    """What a trainee typed → number and optional unit; None when it is not a number."""
    cleaned = "".join(unicodedata.normalize("NFKC", text).lower().split())
    percent = cleaned.startswith("百分之")
    cleaned = cleaned.removeprefix("百分之")
    for prefix in _PREFIXES:
        cleaned = cleaned.removeprefix(prefix)
    match = _ARABIC_RE.match(cleaned) or _CHINESE_RE.match(cleaned)
    if not match:
        return None
    number, rest = match.group(1), match.group(2)
    value = 0.5 if number == "半" else float(number) if number[-1].isdigit() else parse_chinese_number(number)
    for suffix in _SUFFIXES:
        rest = rest.removesuffix(suffix)
    if percent:
        return Quantity(value, "percent") if not rest else None
    if not rest:
        return Quantity(value, None)
    unit = _UNIT_WORDS.get(rest)
    return Quantity(value, unit) if unit else None


def convert(quantity: Quantity, target: str) -> float | None:
    """The quantity in unit ``target``; a bare number is taken as already in it; None when the
    units measure different things (3 天 is not 3 次)."""
    if quantity.unit is None or quantity.unit == target:
        return quantity.value
    source = UNITS.get(quantity.unit) or _EXTRA_UNITS.get(quantity.unit)
    wanted = UNITS.get(target)
    if source is None or wanted is None or source.dimension != wanted.dimension:
        return None
    return quantity.value * source.factor / wanted.factor


def normalise_phrase(text: str) -> str:
    """Fold width and case, drop punctuation, spaces and invisible characters: ``“您好！”`` and
    ``您好`` compare equal, as do ``ＯＫ`` and ``ok``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")
