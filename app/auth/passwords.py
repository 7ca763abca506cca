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


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored_hash: str, password: str) -> bool:
    if not stored_hash:
        return False
    return check_password_hash(stored_hash, password)
