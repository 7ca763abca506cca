"""The polite-language drill as an ActivityKind (registered by ``create_app``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.content.documents import ContentSet

from ..drill_content import load_drills
from ..exercise.kind import ExerciseKind
from .models import LanguagePrompt
from .services import LANGUAGE


class LanguageKind(ExerciseKind):
    key = LANGUAGE.kind_key
    label = _l("Polite-language drill")
    catalog = LanguagePrompt
    position = 50
    exercise = LANGUAGE

    def content_ids(self, content: ContentSet) -> set[str]:
        return {doc.id for doc in load_drills(content).prompts}
