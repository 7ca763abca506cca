"""The normalised text of a clause: what a change of the standard is measured on.

Two versions of a clause mean the same thing when they differ only in presentation. So before
hashing we fold Unicode compatibility forms (NFKC: full-width ``ＡＢＣ１２３`` becomes ``ABC123``,
full-width punctuation becomes ASCII), then drop every whitespace character, every punctuation
character (Unicode categories ``P*``: ASCII ``,.;:!?"'()[]-`` and Chinese ``，。；：！？“”‘’（）《》、…—``
alike) and the Markdown emphasis markers ``* _ ~ ` `` (bold or italics added or removed is a change
of emphasis, not of the rule; ``_`` is already punctuation, ``~`` and the backtick are symbols).
Letters, digits and symbols (``¥``, ``≥``, ``+`` …; ``%`` is punctuation in Unicode) are kept:
"三声" → "两声" or "30 分钟" → "15 分钟" is a real change. Latin letters keep their case.
"""

from __future__ import annotations

import hashlib
import unicodedata

#: Markdown emphasis and code markers that are symbols, not punctuation, in Unicode
EMPHASIS_MARKERS = frozenset("*_~`")


def normalised_text(text: str) -> str:
    """``text`` with compatibility forms folded and whitespace, punctuation and emphasis removed."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded
                   if not ch.isspace() and ch not in EMPHASIS_MARKERS
                   and not unicodedata.category(ch).startswith("P"))


def text_hash(text: str) -> str:
    """sha256 of :func:`normalised_text`: equal for purely cosmetic edits of a clause."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()
