"""The complaint-record exercise as an ActivityKind (registered by ``create_app``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.content.documents import ContentSet

from ..drill_content import load_drills
from ..exercise.kind import ExerciseKind
from .models import ComplaintExercise
from .services import COMPLAINT


class ComplaintKind(ExerciseKind):
    key = COMPLAINT.kind_key
    label = _l("Complaint-record exercise")
    catalog = ComplaintExercise
    position = 40
    exercise = COMPLAINT

    def content_ids(self, content: ContentSet) -> set[str]:
        return {doc.id for doc in load_drills(content).complaints}
