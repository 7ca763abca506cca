"""Translated labels for the appraisal's stored codes (bands, components, policies, states).

Activity kinds are labelled by their registered ActivityKind (``activity_kind_label`` in templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BAND_LABELS = {"excellent": _l("Excellent"), "good": _l("Good"), "pass": _l("Pass"), "fail": _l("Fail")}
COMPONENT_LABELS = {"theory": _l("Theory"), "practice": _l("Practice"), "observation": _l("Observation")}
POLICY_LABELS = {"best": _l("Best result"), "latest": _l("Latest result")}
STATE_LABELS = {"open": _l("Open"), "closed": _l("Closed")}
STATUS_LABELS = {"done": _l("Done"), "overdue": _l("Overdue (counts as 0)"), "pending": _l("Pending")}


def _label(table: dict, code) -> str:
    return str(table[code]) if code in table else ("—" if code is None else str(code))


def band_label(code: str | None) -> str:
    return _label(BAND_LABELS, code)


def component_label(code: str) -> str:
    return _label(COMPONENT_LABELS, code)


def policy_label(code: str) -> str:
    return _label(POLICY_LABELS, code)


def state_label(code: str) -> str:
    return _label(STATE_LABELS, code)


def status_label(code: str) -> str:
    return _label(STATUS_LABELS, code)


def register(app) -> None:
    """Expose the label helpers to templates."""
    app.jinja_env.globals.update(
        appraisal_band_label=band_label, appraisal_component_label=component_label,
        appraisal_policy_label=policy_label, appraisal_state_label=state_label,
        appraisal_status_label=status_label,
    )
