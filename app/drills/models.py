"""Every drill model, re-exported from the kinds' ``models.py``; importing this module registers all of them
(``app/model_registry.py`` does)."""

from .complaint.models import ComplaintExercise, ComplaintSubmission
from .exercise.models import DrillClauseMiss
from .language.models import LanguageAnswer, LanguagePrompt
from .observation.models import Checklist, Mark, Observation, ObservationMark, ObservationMarkClause
from .scenario.models import (
    RunState,
    Scenario,
    ScenarioRun,
    ScenarioStep,
    ScenarioStepClause,
    ScenarioVersion,
)

__all__ = [
    "Checklist", "ComplaintExercise", "ComplaintSubmission", "DrillClauseMiss", "LanguageAnswer", "LanguagePrompt",
    "Mark", "Observation", "ObservationMark", "ObservationMarkClause", "RunState", "Scenario", "ScenarioRun",
    "ScenarioStep", "ScenarioStepClause", "ScenarioVersion",
]
