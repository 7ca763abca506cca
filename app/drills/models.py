"""Models of app/drills, split per kind; importing this module registers all of them."""

from .models_catalog import Checklist, ComplaintExercise, LanguagePrompt, Scenario, ScenarioVersion
from .models_exercises import ComplaintSubmission, DrillClauseMiss, LanguageAnswer
from .models_observation import Mark, Observation, ObservationMark, ObservationMarkClause
from .models_scenario import RunState, ScenarioRun, ScenarioStep, ScenarioStepClause

__all__ = [
    "Checklist", "ComplaintExercise", "ComplaintSubmission", "DrillClauseMiss", "LanguageAnswer", "LanguagePrompt",
    "Mark", "Observation", "ObservationMark", "ObservationMarkClause", "RunState", "Scenario", "ScenarioRun",
    "ScenarioStep", "ScenarioStepClause", "ScenarioVersion",
]
