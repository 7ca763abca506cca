"""Reading a content file safely and splitting off its YAML front matter.

Authors save files from all sorts of editors; a stray binary file or a GBK-encoded lesson must
become a located Problem, never a traceback. Everything here raises only :class:`ContentError`.
"""

from __future__ import annotations

from pathlib import Path

from .documents import ContentError, Problem
from .yaml_lines import LineDict, YamlProblem, load_yaml

FENCE = "---"


def read_lines(path: Path, display: str) -> list[str]:
    """The file's lines (UTF-8, BOM allowed, any newline style), or ContentError.

    Lines are split on ``\\n``/``\\r\\n``/``\\r`` only (not ``str.splitlines``, which also
    splits on form feeds and U+2028) so line numbers match what editors show.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(display, 1, f"cannot read file: {exc.strerror or exc}")) from exc
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ContentError(Problem(display, line, "binary file (contains NUL bytes); expected UTF-8 text"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(Problem(display, line, "not valid UTF-8 text (save the file as UTF-8)")) from exc
    if not text.strip():
        raise ContentError(Problem(display, 1, "empty file"))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_front_matter(lines: list[str], display: str) -> tuple[LineDict, int, list[Problem]]:
    """Parse the leading ``---`` YAML block.

    Returns ``(mapping, index of the first body line, warnings)``; raises ContentError when the
    block is missing, unterminated, not valid YAML or not a mapping, because nothing else in
    the file can be trusted then.
    """
    if not lines or lines[0].rstrip() != FENCE:
        raise ContentError(Problem(display, 1, "missing front matter: the file must start with a '---' line"))
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        raise ContentError(Problem(display, 1, "front matter is not closed: add a '---' line after it"))
    try:
        data, warnings = load_yaml("\n".join(lines[1:end]), line_offset=1)
    except YamlProblem as exc:
        raise ContentError(Problem(display, exc.line, exc.message)) from exc
    if not isinstance(data, LineDict):
        raise ContentError(Problem(display, 2, "front matter must be 'key: value' lines"))
    problems = [Problem(display, line, message) for line, message in warnings]
    return data, end + 1, problems
