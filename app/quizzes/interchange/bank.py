"""The two operations behind ``flask content export-bank`` and ``import-bank`` (pure: no files)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.content.documents import ContentSet

from . import gift, moodle_xml
from .incoming import Converter
from .markdown_writer import render_file
from .model import Draft, InterchangeError, NotConverted
from .outgoing import NotExportable, to_moodle

FORMATS = ("gift", "moodle-xml")
FORMAT_NAMES = {"gift": "GIFT", "moodle-xml": "Moodle XML"}


def export_bank(content: ContentSet, fmt: str, lesson: str | None = None) -> tuple[str, int, list[str]]:
    """(file text, questions written, questions that could not be written with why).

    Stable order: by lesson id, then as the questions stand in their file.
    """
    docs = sorted(content.questions.values(), key=lambda d: (d.lesson_id, d.path, d.line))
    questions, skipped = [], []
    for doc in docs:
        if lesson and doc.lesson_id != lesson:
            continue
        try:
            questions.append(to_moodle(doc))
        except NotExportable as exc:
            skipped.append(str(exc))
    header = f"Etiquette Academy question bank ({len(questions)} questions); tags lesson:, clause:, difficulty:"
    writer = gift.write if fmt == "gift" else moodle_xml.write
    return writer(questions, header), len(questions), skipped


@dataclass
class ImportResult:
    format: str
    #: lesson id → file text, sorted by lesson
    files: dict[str, str] = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)
    not_converted: list[NotConverted] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.drafts) + len(self.not_converted)


def decode(raw: bytes, display: str) -> str:
    if b"\x00" in raw:
        raise InterchangeError(f"{display}: binary file (NUL bytes): expected a GIFT or Moodle XML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InterchangeError(f"{display}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}): "
                               "save the file as UTF-8 (Moodle exports UTF-8)") from exc


def detect(text: str) -> str:
    """``moodle-xml`` when the text starts with markup, else ``gift``."""
    return "moodle-xml" if text.lstrip("\ufeff \t\r\n").startswith("<") else "gift"


def import_bank(raw: bytes, display: str, lesson: str | None = None) -> ImportResult:
    """Read a GIFT or Moodle XML file (detected by content) into Markdown question files.

    Raises :class:`InterchangeError` when the whole file is unusable; otherwise every question is
    either in ``drafts`` or in ``not_converted``.
    """
    text = decode(raw, display)
    fmt = detect(text)
    if not text.strip():
        raise InterchangeError(f"{display}: empty file")
    items = moodle_xml.read(raw, display) if fmt == "moodle-xml" else gift.read(text.replace("\r\n", "\n"), display)
    result = ImportResult(format=fmt)
    converter = Converter(lesson)
    for item in items:
        outcome = converter.convert(item)
        (result.drafts if isinstance(outcome, Draft) else result.not_converted).append(outcome)
    by_lesson: dict[str, list[Draft]] = {}
    for draft in result.drafts:
        by_lesson.setdefault(draft.lesson, []).append(draft)
    result.files = {name: render_file(name, by_lesson[name]) for name in sorted(by_lesson)}
    return result
