"""Form validators shared by every form that takes a name or free text."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

#: bidirectional overrides and isolates: they make "文件.exe" look like "exe.文件" on screen
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def bad_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The code points of ``text`` no name or note may hold: NUL and other control characters
    (tabs and line breaks allowed in multi-line text), bidi overrides, unassigned and private-use
    code points."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    found = []
    for ch in text:
        if ch in allowed:
            continue
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            found.append(f"U+{ord(ch):04X}")
    return list(dict.fromkeys(found))


class PlainText:
    """Refuse control characters and bidi overrides, naming the code points found."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if not isinstance(field.data, str):
            return
        found = bad_characters(field.data, multiline=self.multiline)
        if found:
            raise ValidationError(_l("Remove the invisible control characters (%(chars)s).",
                                     chars=", ".join(found[:5])))
