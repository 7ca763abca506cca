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
    #: default length budget in letters and digits (an exercise may set its own)
    budget: int


#: The five parts of 《住户投诉意见表》 (complaints.form.*), each graded by key facts. The last
#: number is the default length budget (letters and digits) an exercise may override.
FORM_FIELDS: tuple[FormField, ...] = (
    FormField("time_place", _l("When and where it happened"), "complaints.form.time-place", 10, 30),
    FormField("target", _l("Department or person complained about"), "complaints.form.target", 10, 20),
    FormField("account", _l("What happened"), "complaints.form.account", 10, 60),
    FormField("request", _l("What the resident asks for"), "complaints.form.request", 10, 40),
    FormField("contact", _l("Resident's contact details"), "complaints.form.contact", 10, 30),
)
FIELD_CODES = tuple(f.code for f in FORM_FIELDS)

SEVERITY_OPTIONS = (("major", _l("Major")), ("important", _l("Important")), ("minor", _l("Minor")))
ESCALATION_OPTIONS = (
    ("desk", _l("The customer service centre follows it up itself; no form to send")),
    ("dept-10min", _l("Send the form to the department concerned within 10 minutes; its head handles it")),
    ("dept-10min-manager-1h", _l("Send the form to the department within 10 minutes and hand the complaint to the "
                                 "responsible manager within one hour")),
    ("dept-10min-gm-same-day", _l("Send the form to the department within 10 minutes and take the complaint to "
                                  "the general manager the same day")),
    ("next-meeting", _l("Send the form to the department and report it at the next morning meeting")),
)
DEADLINE_OPTIONS = (
    ("7d", _l("Within 7 days")),
    ("2d-or-resident", _l("Within 2 days, or by the date the resident asked for")),
    ("3d", _l("Within 3 days")),
    ("answer-2d-resolve-10d", _l("A clear answer within 2 days, resolved within 10 days")),
)
APPROVAL_OPTIONS = (
    ("none", _l("Nobody: the department decides how long it needs")),
    ("manager", _l("The responsible manager approves a longer time")),
    ("gm", _l("The company general manager approves a longer time")),
    ("not-beyond-10d", _l("No overrun: a clear answer within 2 days and never more than 10 days")),
)
CALLBACK_OPTIONS = (
    ("if-asked", _l("Call the resident back only if they ask for the result")),
    ("sample-80", _l("Call back at least 80 percent of such cases")),
    ("same-day-all", _l("Tell the resident the result the same day, then call back every complaint by phone")),
)
CHANNEL_OPTIONS = (
    ("none", _l("No further time limit")),
    ("forum-2h", _l("Reply on the forum within 2 hours of the post (1 hour after a department hands it over)")),
    ("incident-1h", _l("Report the incident to the company within 1 hour of it happening")),
    ("forum-2h-incident-1h", _l("Both: the 2-hour forum reply and the 1-hour incident report")),
)


@dataclass(frozen=True)
class SelectRule:
    code: str
    label: object
    weight: int
    options: tuple[tuple[str, object], ...]


SELECTS: tuple[SelectRule, ...] = (
    SelectRule("severity", _l("Severity"), 14, SEVERITY_OPTIONS),
    SelectRule("escalation", _l("Who gets it, and by when"), 10, ESCALATION_OPTIONS),
    SelectRule("deadline", _l("Handling deadline"), 8, DEADLINE_OPTIONS),
    SelectRule("approval", _l("Who approves more time"), 6, APPROVAL_OPTIONS),
    SelectRule("callback", _l("Result and callback"), 6, CALLBACK_OPTIONS),
    SelectRule("channel", _l("Other time limit for this complaint"), 6, CHANNEL_OPTIONS),
)
SELECT_CODES = tuple(s.code for s in SELECTS)

#: What the standard requires for each severity: the right option of every select, and the
#: clauses that say so (quoted in the feedback). ``channel`` depends on the exercise (see
#: :func:`channel_expected`).
EXPECTED_BY_SEVERITY: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "major": {
        "severity": ("major", ("complaints.severity.major",)),
        "escalation": ("dept-10min-gm-same-day", ("complaints.dispatch.ten-minutes", "complaints.severity.major",
                                                   "complaints.dispatch.escalate")),
        "deadline": ("answer-2d-resolve-10d", ("complaints.deadline.major-answer", "complaints.deadline.major-resolve")),
        "approval": ("not-beyond-10d", ("complaints.deadline.major-answer", "complaints.deadline.major-resolve")),
    },
    "important": {
        "severity": ("important", ("complaints.severity.important",)),
        "escalation": ("dept-10min-manager-1h", ("complaints.dispatch.ten-minutes", "complaints.severity.important",
                                                  "complaints.dispatch.escalate")),
        "deadline": ("3d", ("complaints.deadline.important",)),
        "approval": ("gm", ("complaints.deadline.important",)),
    },
    "minor": {
        "severity": ("minor", ("complaints.severity.minor",)),
        "escalation": ("dept-10min", ("complaints.dispatch.ten-minutes", "complaints.dispatch.finish",
                                      "complaints.severity.minor")),
        "deadline": ("2d-or-resident", ("complaints.severity.minor", "complaints.deadline.minor")),
        "approval": ("manager", ("complaints.deadline.minor",)),
    },
}
for _expected in EXPECTED_BY_SEVERITY.values():
    _expected["callback"] = ("same-day-all", ("complaints.feedback.same-day", "complaints.callback.complaints",
                                              "complaints.callback.phone"))
SEVERITIES = tuple(EXPECTED_BY_SEVERITY)
CHANNEL_CLAUSES = {
    "none": ("complaints.dispatch.ten-minutes",),
    "forum-2h": ("complaints.forum.reply-time", "complaints.forum.accepted"),
    "incident-1h": ("complaints.demands.incident-hour",),
    "forum-2h-incident-1h": ("complaints.forum.reply-time", "complaints.demands.incident-hour"),
}


def channel_expected(channel: str, incident: bool) -> str:
    """The extra time limit that follows from how the complaint came in and what caused it."""
    forum = channel == "forum"
    if forum and incident:
        return "forum-2h-incident-1h"
    if forum:
        return "forum-2h"
    return "incident-1h" if incident else "none"


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
    for clauses in CHANNEL_CLAUSES.values():
        ids.update(clauses)
    return ids
