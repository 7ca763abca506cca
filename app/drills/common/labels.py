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
OUTCOME_CLASSES = {"good": "success", "fair": "warning", "poor": "danger"}
CONTEXT_LABELS = {"phone": _l("On the phone"), "desk": _l("At the service desk"), "visit": _l("Home visit")}
