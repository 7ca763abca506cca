"""One-time form tokens: a second POST of the same page finds the row the first one stored.

Every drill form that stores a row in one POST (complaint, language, observation) carries one.
"""

from __future__ import annotations

import re
import secrets

TOKEN_RE = re.compile(r"[0-9a-f]{32}\Z")


def new_token() -> str:
    return secrets.token_hex(16)
