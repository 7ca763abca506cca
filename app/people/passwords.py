"""Password hashing and policy.

Hashes use scrypt with explicit parameters taken from ``PASSWORD_HASH_METHOD`` (production:
n=2**17, r=8, p=1), so the cost is a reviewed setting rather than a library default.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10


class PasswordPolicyError(ValueError):
    """The proposed password breaks the policy; the message says which rule."""


def policy_problems(password: str, employee_no: str) -> list[str]:
    """Return the policy rules this password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("The password must have at least %(n)d characters.", n=MIN_LENGTH)))
    if password.strip().lower() == (employee_no or "").strip().lower():
        problems.append(str(_l("The password must not be the same as the employee number.")))
    return problems


#: For machine-generated one-time passwords only (bulk import): 16 random characters carry about
#: 95 bits of entropy, so a cheaper hash costs an attacker nothing useful, while hashing a few
#: thousand imported accounts stays within one request. The user replaces the password at first
#: login, and that one is hashed with the full PASSWORD_HASH_METHOD.
ONE_TIME_HASH_METHOD = "scrypt:16384:8:1"
ONE_TIME_MIN_LENGTH = 16


def hash_password(password: str, *, one_time: bool = False) -> str:
    if one_time:
        if len(password) < ONE_TIME_MIN_LENGTH:
            raise ValueError("a one-time password must be machine-generated and long")
        return generate_password_hash(password, method=ONE_TIME_HASH_METHOD)
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored_hash: str, password: str) -> bool:
    if not stored_hash:
        return False
    return check_password_hash(stored_hash, password)
