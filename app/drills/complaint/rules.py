"""The complaint standard as data: the form's fields, the severities and what follows from each.

These are facts of the standard (complaints.severity.*, complaints.deadline.*,
complaints.dispatch.*), not of one exercise, so they live here once; an exercise only says which
severity its complaint has. Option labels are UI strings (translated), option codes are stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class FormField:
    code: str
    label: object
    #: the clause that asks for this field on the complaint form
    clause: str
    #: the share of the 100 points this field carries
    weight: int


#: The five parts of 《住户投诉意见表》 (complaints.form.*), each graded by key facts.
FORM_FIELDS: tuple[FormField, ...] = (
    FormField("time_place", _l("When and where it happened"), "complaints.form.time-place", 12),
    FormField("target", _l("Department or person complained about"), "complaints.form.target", 12),
    FormField("account", _l("What happened"), "complaints.form.account", 12),
    FormField("request", _l("What the resident asks for"), "complaints.form.request", 12),
    FormField("contact", _l("Resident's contact details"), "complaints.form.contact", 12),
)
FIELD_CODES = tuple(f.code for f in FORM_FIELDS)

SEVERITY_OPTIONS = (("major", _l("Major")), ("important", _l("Important")), ("minor", _l("Minor")))
ESCALATION_OPTIONS = (
    ("gm-same-day", _l("Take it to the general manager the same day")),
    ("manager-1h", _l("Hand it to the responsible manager within one hour")),
    ("desk", _l("The service desk follows it up itself")),
    ("next-meeting", _l("Report it at the next morning meeting")),
)
DEADLINE_OPTIONS = (
    ("answer-2d-resolve-10d", _l("A clear answer within 2 days, resolved within 10 days")),
    ("3d-gm", _l("Handled within 3 days; longer needs the general manager's approval")),
    ("2d-manager", _l("Handled within 2 days or the resident's deadline; longer needs the responsible manager's approval")),
    ("7d-none", _l("Handled within 7 days; no approval needed")),
)
DISPATCH_OPTIONS = (
    ("10min", _l("Within 10 minutes")),
    ("1h", _l("Within one hour")),
    ("same-day", _l("Before the end of the day")),
)


@dataclass(frozen=True)
class SelectRule:
    code: str
    label: object
    weight: int
    options: tuple[tuple[str, object], ...]


SELECTS: tuple[SelectRule, ...] = (
    SelectRule("severity", _l("Severity"), 16, SEVERITY_OPTIONS),
    SelectRule("escalation", _l("Who takes it over, and when"), 8, ESCALATION_OPTIONS),
    SelectRule("deadline", _l("Deadline"), 8, DEADLINE_OPTIONS),
    SelectRule("dispatch", _l("Send the form to the department concerned"), 8, DISPATCH_OPTIONS),
)
SELECT_CODES = tuple(s.code for s in SELECTS)

#: What the standard requires for each severity: the right option of every select, and the
#: clauses that say so (quoted in the feedback).
EXPECTED_BY_SEVERITY: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "major": {
        "severity": ("major", ("complaints.severity.major",)),
        "escalation": ("gm-same-day", ("complaints.severity.major", "complaints.dispatch.escalate")),
        "deadline": ("answer-2d-resolve-10d", ("complaints.deadline.major-answer", "complaints.deadline.major-resolve")),
        "dispatch": ("10min", ("complaints.dispatch.ten-minutes",)),
    },
    "important": {
        "severity": ("important", ("complaints.severity.important",)),
        "escalation": ("manager-1h", ("complaints.severity.important", "complaints.dispatch.escalate")),
        "deadline": ("3d-gm", ("complaints.deadline.important",)),
        "dispatch": ("10min", ("complaints.dispatch.ten-minutes",)),
    },
    "minor": {
        "severity": ("minor", ("complaints.severity.minor",)),
        "escalation": ("desk", ("complaints.severity.minor",)),
        "deadline": ("2d-manager", ("complaints.severity.minor", "complaints.deadline.minor")),
        "dispatch": ("10min", ("complaints.dispatch.ten-minutes",)),
    },
}
SEVERITIES = tuple(EXPECTED_BY_SEVERITY)


def option_label(select_code: str, option_code: str | None) -> str:
    """The translated label of a stored option code ('—' when none or unknown)."""
    for rule in SELECTS:
        if rule.code == select_code:
            for code, label in rule.options:
                if code == option_code:
                    return str(label)
    return "—"


def rule_clauses() -> set[str]:
    """Every clause the fixed rules cite (for validation and coverage)."""
    ids = {f.clause for f in FORM_FIELDS}
    for expected in EXPECTED_BY_SEVERITY.values():
        for _, clauses in expected.values():
            ids.update(clauses)
    return ids
