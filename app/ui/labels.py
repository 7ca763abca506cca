"""Translated labels for stored codes, exposed to templates."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "trainee": _l("Trainee"),
    "supervisor": _l("Supervisor"),
    "hr": _l("HR"),
    "admin": _l("Administrator"),
}


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))
