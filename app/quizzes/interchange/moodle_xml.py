"""Moodle XML (``<quiz><question type="…">``): write and read :class:`MoodleQuestion` records.

Written: ``category`` pseudo-questions (``$course$/top/<lesson>``), then per question ``name``,
``questiontext`` and ``generalfeedback`` in ``markdown`` format, ``idnumber``, ``answer
fraction="…"`` (percent), ``single``/``shuffleanswers`` (multichoice), ``tolerance`` and
``units`` (numerical), ``subquestion`` (matching) and ``tags``. Read: the same plus HTML texts,
``ordering`` questions (answers in file order, or by their ``fraction`` when those number the
positions) and anything else as a typed record the converter reports. Parsing uses defusedxml
with DTDs forbidden, so entity expansion and external entities are refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 (building only; parsing goes through defusedxml)

import defusedxml
import defusedxml.ElementTree as SafeET

from .model import Answer, InterchangeError, MoodleQuestion, Unreadable, format_number
from .text import from_format

# --- writing -------------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "markdown") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _question(question: MoodleQuestion) -> ET.Element:
    element = ET.Element("question", {"type": question.qtype})
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.name
    _text(element, "questiontext", question.text)
    _text(element, "generalfeedback", question.feedback)
    _simple(element, "defaultgrade", "1")
    _simple(element, "penalty", "0")
    _simple(element, "hidden", "0")
    _simple(element, "idnumber", question.idnumber)
    if question.qtype == "multichoice":
        _simple(element, "single", "true" if question.single else "false")
        _simple(element, "shuffleanswers", "true")
        _simple(element, "answernumbering", "abc")
    elif question.qtype == "shortanswer":
        _simple(element, "usecase", "0")
    elif question.qtype == "matching":
        _simple(element, "shuffleanswers", "true")
    for answer in question.answers:
        fmt = "moodle_auto_format" if question.qtype in ("truefalse", "numerical", "shortanswer") else "markdown"
        node = _text(element, "answer", answer.text, fmt)
        node.set("fraction", format_number(answer.fraction))
        if answer.tolerance is not None:
            _simple(node, "tolerance", format_number(answer.tolerance))
        _text(node, "feedback", "", "markdown")
    for stem, match in question.pairs:
        node = _text(element, "subquestion", stem)
        ET.SubElement(ET.SubElement(node, "answer"), "text").text = match
    if question.qtype == "numerical":
        units = ET.SubElement(element, "units")
        for label in question.units:
            unit = ET.SubElement(units, "unit")
            _simple(unit, "multiplier", "1")
            _simple(unit, "unit_name", label)
        for key, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1"), ("showunits", "0"), ("unitsleft", "0")):
            _simple(element, key, value)
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return element


def write(questions: list[MoodleQuestion], header: str = "") -> str:
    quiz = ET.Element("quiz")
    if header:
        quiz.append(ET.Comment(f" {header} "))
    category = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            holder = ET.SubElement(quiz, "question", {"type": "category"})
            _text(holder, "category", f"$course$/top/{category}", None)
        quiz.append(_question(question))
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- reading -------------------------------------------------------------------------------------


def _child_text(element: ET.Element, path: str) -> str:
    node = element.find(path)
    return (node.text or "") if node is not None else ""


def _formatted(element: ET.Element, tag: str) -> str:
    node = element.find(tag)
    if node is None:
        return ""
    return from_format(_child_text(node, "text"), node.get("format"))


def _number(value: str | None, what: str) -> float:
    try:
        return float(value or 0)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a number") from None


def parse(raw: bytes, display: str) -> ET.Element:
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise InterchangeError(f"{display}: refused: the XML declares a DTD or entities ({type(exc).__name__}); "
                               "Moodle XML never needs them") from exc
    except ET.ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+\Z", "", str(exc))
        raise InterchangeError(f"{display}:{line}: malformed XML (column {column + 1}): {reason}") from exc
    if root.tag != "quiz":
        raise InterchangeError(f"{display}: not Moodle XML: the root element is <{root.tag}>, expected <quiz>")
    return root


def read(raw: bytes, display: str) -> list[MoodleQuestion | Unreadable]:
    """Every ``<question>`` except the category markers, in file order."""
    found: list[MoodleQuestion | Unreadable] = []
    category = None
    elements = parse(raw, display).findall("question")
    lines = _start_lines(raw, len(elements))
    for number, element in enumerate(elements, start=1):
        qtype = element.get("type", "")
        if qtype == "category":
            category = _child_text(element, "category/text").strip()
            continue
        name = _child_text(element, "name/text").strip()
        where = f"{display}:{lines[number - 1]}: question" if lines else f"{display}: question {number}"
        where += f" {name!r}" if name else ""
        question = MoodleQuestion(
            qtype=qtype, name=name, text=_formatted(element, "questiontext"), where=where,
            feedback=_formatted(element, "generalfeedback"), category=category,
            single=_child_text(element, "single").strip().lower() not in ("false", "0"),
            idnumber=_child_text(element, "idnumber").strip(),
            tags=[t.strip() for t in (tag.findtext("text") or "" for tag in element.findall("tags/tag")) if t.strip()],
            units=[u.strip() for u in (unit.findtext("unit_name") or "" for unit in element.findall("units/unit"))
                   if u.strip()],
        )
        try:
            _read_answers(element, question)
        except ValueError as exc:
            found.append(Unreadable(where, str(exc)))
            continue
        found.append(question)
    return found


def _start_lines(raw: bytes, count: int) -> list[int]:
    """The line of each ``<question`` start tag, when the text shows exactly one per element
    (not when one hides in a comment or CDATA: then questions are numbered instead)."""
    starts = [raw.count(b"\n", 0, m.start()) + 1 for m in re.finditer(rb"<question[\s>/]", raw)]
    return starts if len(starts) == count else []


def _read_answers(element: ET.Element, question: MoodleQuestion) -> None:
    for node in element.findall("answer"):
        tolerance = node.findtext("tolerance")
        question.answers.append(Answer(
            text=from_format(_child_text(node, "text"), node.get("format")),
            fraction=_number(node.get("fraction"), "answer fraction"),
            tolerance=_number(tolerance, "tolerance") if tolerance is not None and tolerance.strip() else None))
    for node in element.findall("subquestion"):
        stem = from_format(_child_text(node, "text"), node.get("format"))
        question.pairs.append((stem, _child_text(node, "answer/text").strip()))
