"""Translated labels for the codes drill pages show."""

from flask_babel import lazy_gettext as _l

SITUATION_LABELS = {
    "desk": _l("At the service desk"),
    "phone": _l("On the phone"),
    "forum": _l("On the owners' forum"),
    "elevator": _l("In the elevator"),
    "visit": _l("Home visit"),
}
MARK_LABELS = {"pass": _l("Pass"), "fail": _l("Fail"), "not_observed": _l("Not observed")}
NOT_OBSERVED_REASON_LABELS = {
    "no_occasion": _l("The situation did not come up"),
    "not_applicable": _l("Does not apply to this employee"),
    "out_of_view": _l("Could not see or hear it"),
    "other": _l("Other (see the note)"),
}
OUTCOME_CLASSES = {"good": "success", "fair": "warning", "poor": "danger"}
CONTEXT_LABELS = {"phone": _l("On the phone"), "desk": _l("At the service desk"), "visit": _l("Home visit")}
