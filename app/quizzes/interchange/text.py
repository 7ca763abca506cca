"""Moodle text formats → the Markdown this project stores.

Moodle texts are ``html`` (the usual case in Moodle XML), ``moodle`` (auto-format), ``plain`` or
``markdown``. HTML is reduced to text with paragraph and line breaks kept; everything is later
rendered and sanitised by the content pipeline, so no markup is trusted here.
"""

from __future__ import annotations

import html
import re

_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END_RE = re.compile(r"</(p|div|li|h[1-6]|tr|ul|ol|table)\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_BLANKS_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def html_to_text(text: str) -> str:
    text = _BREAK_RE.sub("\n", text)
    text = _BLOCK_END_RE.sub("\n\n", text)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()


def from_format(text: str, fmt: str | None) -> str:
    return html_to_text(text) if (fmt or "").lower() == "html" else text.strip()
