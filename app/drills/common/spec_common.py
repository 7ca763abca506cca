"""What every drill content file shares: reading one YAML file, its id, cited clauses, texts.

Drill content lives in its own folders of the content root (``scenarios/``, ``complaint-exercises/``,
``language-prompts/``, ``checklists/``), one item per ``*.yml`` file whose ``id`` equals the file
name. Everything here turns a wrong shape into a located :class:`Problem` instead of raising, in
the same ``path:line: message`` form as the rest of ``flask content check``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.content.documents import SLUG_RE, ContentError, Problem, split_list
from app.content.fields import Fields
from app.content.loader import default_display_base
from app.content.source import read_lines
from app.content.yaml_lines import LineDict, LineList, YamlProblem, load_yaml

from .policy import Policy

YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class Cite:
    """One clause id as written, and where (for "unknown clause" messages)."""

    clause_id: str
    line: int


@dataclass
class DrillFile:
    """One parsed file: its mapping and the names used in messages."""

    path: Path
    display: str
    data: LineDict

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class DocBase:
    """Fields every drill document has."""

    id: str
    title: str
    path: str
    line: int
    #: every clause id the document cites, with its line
    cites: list[Cite] = field(default_factory=list)
    #: pass mark and attempt rules (common/policy.py), filled in by the loader
    policy: Policy = field(default_factory=Policy)


class Reader:
    """Finds and reads the drill files under one content root, collecting problems."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.base = default_display_base(self.root)
        self.problems: list[Problem] = []

    def display(self, path: Path) -> str:
        resolved = path.resolve()
        if resolved.is_relative_to(self.base):
            return resolved.relative_to(self.base).as_posix()
        return path.as_posix()

    def files(self, folder: str) -> tuple[list[Path], list[Path]]:
        """``(item files, shared files)`` of a folder: shared files start with ``_``."""
        directory = self.root / folder
        if not directory.is_dir():
            return [], []
        paths = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)
        return [p for p in paths if not p.name.startswith("_")], [p for p in paths if p.name.startswith("_")]

    def load(self, path: Path) -> DrillFile | None:
        """The file's top-level mapping, or None (with the problem recorded)."""
        display = self.display(path)
        try:
            lines = read_lines(path, display)
        except ContentError as exc:
            self.problems.append(exc.problem)
            return None
        try:
            data, warnings = load_yaml("\n".join(lines))
        except YamlProblem as exc:
            self.problems.append(Problem(display, exc.line, exc.message))
            return None
        self.problems.extend(Problem(display, line, message) for line, message in warnings)
        if not isinstance(data, LineDict):
            self.problems.append(Problem(display, 1, "expected 'key: value' lines at the top level"))
            return None
        return DrillFile(path=path, display=display, data=data)

    def fields(self, source: DrillFile | LineDict, display: str | None = None) -> Fields:
        if isinstance(source, DrillFile):
            return Fields(source.data, source.display, self.problems)
        return Fields(source, display or "", self.problems)

    def report(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))


def item_id(reader: Reader, source: DrillFile, what: str) -> str | None:
    """The ``id`` key: required, a slug, equal to the file name (so it cannot repeat in a folder)."""
    fields = reader.fields(source)
    value = fields.text("id", required=True)
    if value is None:
        return None
    if not SLUG_RE.match(value):
        fields.report("id", f"invalid {what} id {value!r}: use lowercase letters, digits and '-'")
        return None
    if value != source.stem:
        fields.report("id", f"{what} id {value!r} must equal the file name {source.stem!r}")
        return None
    return value


def read_cites(fields: Fields, key: str = "cites", *, required: bool = True) -> list[Cite]:
    """Clause ids from a list (``[a.b, c.d]``) or a comma-separated text; each with its line."""
    value = fields.data.get(key)
    if value is None:
        if required:
            fields.missing(key)
        return []
    if isinstance(value, str):
        items = [Cite(c, fields.line(key)) for c in split_list(value)]
    elif isinstance(value, LineList):
        items = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                items.append(Cite(item.strip(), value.line_of(index)))
            else:
                fields.problems.append(Problem(fields.path, value.line_of(index), f"items of {key!r} must be clause ids"))
    else:
        fields.report(key, f"{key!r} must be a list of clause ids")
        return []
    if not items and required:
        fields.report(key, f"{key!r} must name at least one clause id")
    return items


def text_alternatives(fields: Fields, key: str, *, required: bool = True) -> tuple[list[str], int]:
    """A list of texts (e.g. synonyms), each non-empty after normalisation; and the key's line."""
    from .textnorm import normalise

    items, lines = fields.text_list(key, required=required)
    kept: list[str] = []
    for text, line in zip(items, lines, strict=False):
        if not normalise(text):
            fields.problems.append(Problem(fields.path, line, f"{text!r} in {key!r} has no letters or digits to match"))
        else:
            kept.append(text)
    if required and key in fields.data and not kept and not items:
        fields.report(key, f"{key!r} must list at least one text")
    return kept, fields.line(key)


def check_cites(docs: list[DocBase], known: dict, reader: Reader) -> None:
    """Report every cited clause id that no lesson defines."""
    for doc in docs:
        for cite in doc.cites:
            if cite.clause_id not in known:
                reader.report(doc.path, cite.line, f"cites unknown clause {cite.clause_id!r}")


def mapping(reader: Reader, value: object, display: str, line: int, what: str) -> LineDict | None:
    if isinstance(value, LineDict):
        return value
    reader.report(display, line, f"{what} must be a mapping of 'key: value' lines")
    return None
