"""The drill kinds, for ``create_app`` to register (``app.results.kinds.register_kind``).

Nothing is registered here: importing this module has no side effect.
"""

from .complaint.kind import ComplaintKind
from .language.kind import LanguageKind
from .observation.kind import ObservationKind
from .scenario.kind import ScenarioKind

DRILL_KINDS = (ScenarioKind, ComplaintKind, LanguageKind, ObservationKind)

__all__ = ["DRILL_KINDS", "ComplaintKind", "LanguageKind", "ObservationKind", "ScenarioKind"]
