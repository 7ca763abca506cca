"""Text normalisation for the deterministic rubrics (complaint form fields, language drill).

Trainees type on phones and PCs with Chinese and Western input methods: full-width digits,
half-width punctuation, spaces between words, ``×`` for a blank. Matching must not depend on
any of that, so both the answer and every expected keyword are reduced to their letters and
digits (NFKC folds full-width forms, case is folded) before a plain substring test.
The blank of the standards' model phrases (``×××``, typed also as ``***``) is kept as
:data:`BLANK`, so ``工号×××`` and ``××物业服务中心`` stay what they are.
"""

from __future__ import annotations

import unicodedata

#: A character that is neither a letter nor a digit: it separates what it stands between.
SEPARATOR = "|"
#: The blank of a model phrase (``工号×××``): kept like a letter; ``*`` and ``＊`` fold to it.
BLANK = "×"
_BLANKS = frozenset("×*")


def normalise(text: str | None, *, keep_breaks: bool = False) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: ``'您好！Ｎｏ.０３６'`` → ``'您好no036'``.

    With ``keep_breaks`` punctuation and symbols become :data:`SEPARATOR` (spaces still vanish),
    so a phrase cannot match across a comma: ``'没有，没有'`` → ``'没有|没有'``, where the allowed
    ``有没有`` no longer hides the banned ``没有``. Keywords are normalised without breaks.
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    out: list[str] = []
    for ch in folded:
        category = unicodedata.category(ch)[0]
        if category in "LN":
            out.append(ch)
        elif ch in _BLANKS:
            out.append(BLANK)
        elif keep_breaks and not ch.isspace() and out and out[-1] != SEPARATOR:
            out.append(SEPARATOR)
    return "".join(out)


def contains(haystack_normalised: str, needle: str) -> bool:
    """Whether ``needle`` (raw) occurs in an already normalised text; an empty needle never does."""
    target = normalise(needle)
    return bool(target) and target in haystack_normalised


def mask(haystack_normalised: str, phrases: list[str]) -> str:
    """Replace each phrase by :data:`SEPARATOR`, so a banned word inside an allowed phrase
    (``没有`` inside ``有没有``) no longer matches."""
    for phrase in sorted((normalise(p) for p in phrases), key=len, reverse=True):
        if phrase:
            haystack_normalised = haystack_normalised.replace(phrase, SEPARATOR)
    return haystack_normalised
