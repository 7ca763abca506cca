"""Request hooks of the auth layer."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

#: endpoints a user who must change their password may still reach
_ALLOWED_DURING_CHANGE = frozenset(
    {"auth.change_password", "auth.logout", "auth.set_language", "static", "bootstrap.static",
     "main.healthz"}
)


def enforce_password_change():
    """Accounts flagged ``must_change_password`` see nothing but the password form."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _ALLOWED_DURING_CHANGE
    ):
        return redirect(url_for("auth.change_password"))
    return None
