"""YAML that remembers line numbers, so errors in courses, quizzes and scenarios point at a line.

PyYAML drops positions once it builds Python objects. :class:`LineLoader` (a ``SafeLoader``)
builds :class:`LineDict`/:class:`LineList` instead: ordinary containers that also record the
line of the container and of each key or item. It also reports duplicate keys, which plain
PyYAML silently resolves by keeping the last one — a classic way to lose an edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode


class LineDict(dict):
    """A dict from YAML with ``line`` (its first key's line) and ``key_lines`` (per key)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key``, falling back to the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list from YAML with ``line`` and ``item_lines`` (the line of each item)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """The line of item ``index``, falling back to the list's own line."""
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class LineLoader(yaml.SafeLoader):
    """A SafeLoader that builds LineDict/LineList; set ``line_offset`` for embedded YAML."""

    def __init__(self, stream: str, line_offset: int = 0) -> None:
        super().__init__(stream)
        #: Added to every 1-based line (front matter starts on line 2 of its file: offset 1).
        self.line_offset = line_offset
        #: ``(line, message)`` for non-fatal issues such as duplicate keys.
        self.warnings: list[tuple[int, str]] = []

    def node_line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_line_map(self, node: MappingNode) -> Iterator[LineDict]:
        data = LineDict()
        data.line = self.node_line(node)
        data.key_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.warnings.append((self.node_line(key_node), "mapping keys must be plain text"))
                continue
            if key in data:
                self.warnings.append((self.node_line(key_node), f"duplicate key {key!r}"))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = self.node_line(key_node)

    def construct_line_seq(self, node: SequenceNode) -> Iterator[LineList]:
        data = LineList()
        data.line = self.node_line(node)
        data.item_lines = [self.node_line(child) for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_map)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_line_seq)


class YamlProblem(Exception):
    """A YAML syntax error, with the 1-based file line where the parser gave up."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; return ``(data, warnings)`` or raise :class:`YamlProblem`.

    ``warnings`` are ``(line, message)`` pairs for duplicate or non-text keys. Only YAML errors
    are converted; the data may still be of any shape, so callers check types themselves.
    """
    try:
        loader = LineLoader(text, line_offset)
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(text, exc, line_offset) from exc
    try:
        return loader.get_single_data(), loader.warnings
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlProblem(line, f"invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(text, exc, line_offset) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1 + line_offset, f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise YamlProblem(1 + line_offset, "invalid YAML: nested too deeply") from exc
    finally:
        loader.dispose()


def _reader_problem(text: str, exc: yaml.reader.ReaderError, line_offset: int) -> YamlProblem:
    """A control character or similar that the YAML reader refuses, located by its position."""
    line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return YamlProblem(line, f"invalid YAML: unacceptable character U+{char:04X}")
