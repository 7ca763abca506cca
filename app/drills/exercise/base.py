"""What one single-POST exercise kind supplies to the shared base: its models, rubric and pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExerciseType:
    #: the ActivityKind key: Result.kind and DrillClauseMiss.kind (the kind class takes it from here)
    kind_key: str
    #: the catalog model (CatalogColumns) and the submission model (SubmissionColumns)
    catalog: type
    submission: type
    #: the submission's column naming the catalog item, and the one holding the cleaned answer
    item_column: str
    answer_column: str
    #: ``grade(spec, answer) -> verdict`` (JSON-able, with a ``score``); ``missed(verdict) -> clause ids``
    grade: Callable[[dict[str, Any], Any], dict[str, Any]]
    missed: Callable[[dict[str, Any]], list[str]]
    #: the submission's relationship to its item; also the template variable names of the pages
    item_name: str
    record_name: str
    #: the form page (argument: the item id) and the result page (argument: the submission id)
    form_endpoint: str
    form_arg: str
    result_endpoint: str
    result_arg: str
    form_template: str
    result_template: str
