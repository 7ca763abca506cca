"""How one alternative of a required element is found in a normalised answer.

An alternative is plain text, compared after :func:`textnorm.normalise`, with two placeholders:

* ``{service_centre}`` — the company's service-centre name (``COMPANY_SERVICE_CENTRE``) or the
  standards' placeholder form ``××物业服务中心``; a bare ``物业`` or ``服务中心`` is not the name.
* ``{number}`` — a staff number: digits, Chinese numerals or a blank ``×××``, after at most one
  punctuation mark (``工号{number}`` matches ``工号036``, ``工号：036``, ``工号×××``, not ``工号``).

An element's ``not_in`` lists longer words whose part an alternative must not be: they are
blanked out of the answer before the element is searched (``好`` with ``not_in: [您好]`` is not
found in ``您好``, but is in ``好的，您好``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.config import DEFAULT_SERVICE_CENTRE

from ..common.textnorm import BLANK, SEPARATOR, mask, normalise

PLACEHOLDERS = ("service_centre", "number")
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
_NUMBER = rf"(?:{re.escape(SEPARATOR)})?(?:[0-9]+|{BLANK}+|[零〇一二三四五六七八九十]+)"


def unknown_placeholders(alternative: str) -> list[str]:
    return [name for name in PLACEHOLDER_RE.findall(alternative) if name not in PLACEHOLDERS]


@lru_cache(maxsize=512)
def compile_alternative(alternative: str, service_centre: str) -> re.Pattern[str] | None:
    """The regular expression over normalised text for one alternative; None if it is empty."""
    names = {normalise(DEFAULT_SERVICE_CENTRE), normalise(service_centre)} - {""}
    centre = "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    parts: list[str] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(alternative):
        parts.append(re.escape(normalise(alternative[position:match.start()])))
        parts.append(centre if match.group(1) == "service_centre" else _NUMBER)
        position = match.end()
    parts.append(re.escape(normalise(alternative[position:])))
    pattern = "".join(parts)
    return re.compile(pattern) if pattern else None


def display(alternative: str, service_centre: str) -> str:
    """An alternative as the trainee reads it: ``工号{number}`` → ``工号×××``."""
    return (alternative.replace("{service_centre}", service_centre)
            .replace("{number}", BLANK * 3))


def find_element(text: str, alternatives: list[str], not_in: list[str], service_centre: str) -> str | None:
    """The first alternative's matched text in the normalised ``text``, or None."""
    haystack = mask(text, not_in) if not_in else text
    for alternative in alternatives:
        pattern = compile_alternative(alternative, service_centre)
        found = pattern.search(haystack) if pattern else None
        if found:
            return found.group(0)
    return None
