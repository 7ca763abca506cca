"""GIFT, Moodle's plain-text question format: write and read :class:`MoodleQuestion` records.

Follows Moodle's own reader (``question/format/gift``): questions are separated by blank lines;
``//`` lines are comments, and ``// [id:…]`` / ``// [tag:…]`` in them give the ID number and
tags; ``$CATEGORY: path`` switches category; ``::name::`` names a question; a ``[markdown]``
(``[html]``, ``[plain]``, ``[moodle]``) prefix gives the text format; the answers sit in one
``{…}``: ``=right ~wrong``, ``~%50%weighted``, ``#feedback``, ``####general feedback``,
``{T}``/``{F}``, ``{#3:0.5}`` or ``{#1..5}`` numbers, ``{=a =b}`` short answers,
``{=item -> match}`` pairs, ``{}`` an essay. ``~ = # { } :`` and newlines are escaped with a
backslash (``\\n`` is a line break inside a text).
"""

from __future__ import annotations

import re

from .model import Answer, MoodleQuestion, Unreadable, format_number
from .text import from_format

_ESCAPABLE = "~=#{}:"
_ESCAPES = {**{ch: "\\" + ch for ch in _ESCAPABLE}, "\\": "\\\\", "\n": "\\n", "\r": ""}
#: Escaped characters become private-use placeholders while a block is parsed (as Moodle does).
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)} | {"n": chr(0xE010)}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()}
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_FORMAT_RE = re.compile(r"\[(moodle|html|plain|markdown)\]")
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}


# --- writing -------------------------------------------------------------------------------------


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _tag(text: str) -> str:
    return text.replace("]", "\\]").replace("\n", " ")


def _answer_lines(question: MoodleQuestion) -> list[str]:
    if question.qtype == "multichoice":
        lines = []
        for answer in question.answers:
            if question.single:
                mark = "=" if answer.fraction >= 100 else "~" if answer.fraction == 0 else f"~%{format_number(answer.fraction)}%"
            else:
                mark = f"~%{format_number(answer.fraction)}%"
            lines.append(mark + escape(answer.text))
        return lines
    if question.qtype == "shortanswer":
        return ["=" + (f"%{format_number(a.fraction)}%" if a.fraction < 100 else "") + escape(a.text)
                for a in question.answers]
    if question.qtype == "matching":
        return [f"={escape(stem)} -> {escape(answer)}" for stem, answer in question.pairs]
    raise ValueError(f"GIFT cannot write {question.qtype} questions")


def write_question(question: MoodleQuestion) -> str:
    comments = [f"// question: {question.name}"]
    markers = ([f"[id:{_tag(question.idnumber)}]"] if question.idnumber else []) + [f"[tag:{_tag(t)}]" for t in question.tags]
    if markers:
        comments.append("// " + " ".join(markers))
    head = f"::{escape(question.name)}::[markdown]{escape(question.text)}"
    feedback = f"####{escape(question.feedback)}" if question.feedback else ""
    if question.qtype == "truefalse":
        right = next(a.text for a in question.answers if a.fraction >= 100)
        body = "{" + ("TRUE" if right == "true" else "FALSE") + feedback + "}"
    elif question.qtype == "numerical":
        answer = question.answers[0]
        body = "{#" + f"{answer.text}:{format_number(answer.tolerance or 0)}" + feedback + "}"
    else:
        lines = ["\t" + line for line in _answer_lines(question)] + (["\t" + feedback] if feedback else [])
        body = "{\n" + "\n".join(lines) + "\n}"
    return "\n".join([*comments, head + body])


def write(questions: list[MoodleQuestion], header: str = "") -> str:
    """A GIFT file; a ``$CATEGORY:`` block wherever the category changes."""
    blocks = [f"// {line}" for line in header.splitlines()] if header else []
    blocks = ["\n".join(blocks)] if blocks else []
    category = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            blocks.append(f"$CATEGORY: $course$/top/{category}")
        blocks.append(write_question(question))
    return "\n\n".join(blocks) + "\n"


# --- reading -------------------------------------------------------------------------------------


def _protect(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        char, following = text[index], text[index + 1:index + 2]
        if char == "\\" and following == "\\":
            out.append("\\")
            index += 2
        elif char == "\\" and following and (following in _ESCAPABLE or following == "n"):
            out.append(_PLACEHOLDER[following])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def _formatted(text: str, default: str) -> tuple[str, str]:
    """(format, text) of a GIFT text with an optional ``[format]`` prefix, escapes restored."""
    text = text.strip()
    match = _FORMAT_RE.match(text)
    fmt = match.group(1) if match else default
    body = text[match.end():] if match else text
    return fmt, from_format(_restore(body).strip(), fmt)


def _split_feedback(text: str) -> str:
    return text.split("#", 1)[0]


def _blocks(lines: list[str]) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, comment lines, other lines) per blank-line separated block."""
    blocks, current, comments, first = [], [], [], 0
    for number, raw in enumerate([*lines, ""], start=1):
        stripped = raw.strip()
        if not stripped:
            if current or comments:
                blocks.append((first or number, comments, current))
            current, comments, first = [], [], 0
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            first = first or number
            current.append(raw)
    return blocks


def read(text: str, display: str) -> list[MoodleQuestion | Unreadable]:
    """Every question block of a GIFT text, in file order (categories applied, not returned)."""
    found: list[MoodleQuestion | Unreadable] = []
    category = None
    for line, comments, body in _blocks(text.split("\n")):
        if not body:
            continue  # a comment-only block
        where = f"{display}:{line}"
        block = _protect("\n".join(body).strip())
        if block.startswith("$CATEGORY:"):
            category = _restore(block[len("$CATEGORY:"):]).strip()
            continue
        item = _read_question(block, where)
        if isinstance(item, MoodleQuestion):
            item.category = category
            comment = "\n".join(comments)
            ident = _ID_RE.search(comment)
            item.idnumber = ident.group(1).replace("\\]", "]").strip() if ident else ""
            item.tags = [t.replace("\\]", "]").strip() for t in _TAG_RE.findall(comment)]
        found.append(item)
    return found


def _read_question(text: str, where: str) -> MoodleQuestion | Unreadable:
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            name, text = _restore(text[2:end]).strip(), text[end + 2:].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        fmt, prompt = _formatted(text, "moodle")
        return MoodleQuestion("description", name, prompt, where)
    if start < 0 or finish < 0 or finish < start:
        return Unreadable(where, "unbalanced braces: every '{' needs a '}' (escape literal braces as \\{ \\})")
    inner = text[start + 1:finish]
    after = text[finish + 1:]
    if "{" in inner:
        return Unreadable(where, "a '{' inside the answers: escape it as \\{")
    if "{" in after or "}" in after:
        return Unreadable(where, "more than one {…} answer block (separate questions with a blank line)")
    prompt_text = text[:start] + ("_____" + after if after.strip() else "")
    answers = inner.strip()
    feedback = ""
    cut = answers.rfind("####")
    if cut >= 0:
        feedback, answers = answers[cut + 4:], answers[:cut].strip()
    fmt, prompt = _formatted(prompt_text, "moodle")
    question = MoodleQuestion("", name, prompt, where, feedback=_formatted(feedback, fmt)[1] if feedback else "")
    try:
        _read_answers(question, answers, fmt)
    except ValueError as exc:
        return Unreadable(where, str(exc))
    return question


def _read_answers(question: MoodleQuestion, answers: str, fmt: str) -> None:
    if not answers:
        question.qtype = "essay"
    elif answers.startswith("#"):
        question.qtype = "numerical"
        question.answers = _numbers(answers[1:])
    elif "~" in answers:
        question.qtype, question.single = "multichoice", "=" in answers
        parts = _parts(answers.replace("=", "~="), "~")
        if len(parts) < 2:
            raise ValueError("a multiple-choice question needs at least two answers")
        for part in parts:
            fraction = 0.0
            if part.startswith("="):
                fraction, part = 100.0, part[1:]
            weight = _WEIGHT_RE.match(part)
            if weight:
                fraction, part = float(weight.group(1)), part[weight.end():]
            question.answers.append(Answer(_formatted(_split_feedback(part), fmt)[1], fraction))
    elif "=" in answers and "->" in answers:
        question.qtype = "matching"
        for part in _parts(answers, "="):
            if "->" not in part:
                raise ValueError(f"matching pair without '->': {_restore(part)!r}")
            stem, answer = part.split("->", 1)
            question.pairs.append((_formatted(stem, fmt)[1], _restore(answer).strip()))
        if len(question.pairs) < 2:
            raise ValueError("a matching question needs at least two pairs")
    elif _split_feedback(answers).strip() in _TF:
        question.qtype = "truefalse"
        truth = _TF[_split_feedback(answers).strip()]
        question.answers = [Answer("true", 100.0 if truth else 0.0), Answer("false", 0.0 if truth else 100.0)]
    else:
        question.qtype = "shortanswer"
        for part in _parts(answers, "="):
            weight = _WEIGHT_RE.match(part)
            fraction = float(weight.group(1)) if weight else 100.0
            part = part[weight.end():] if weight else part
            question.answers.append(Answer(_restore(_split_feedback(part)).strip(), fraction))
        if not question.answers:
            raise ValueError("a short-answer question needs at least one '=answer'")


def _parts(text: str, separator: str) -> list[str]:
    parts = [part.strip() for part in text.split(separator)]
    if parts and not parts[0]:
        parts = parts[1:]
    return parts


def _numbers(text: str) -> list[Answer]:
    text = text.split("~", 1)[0]  # the "~#feedback for any other answer" part
    answers = []
    for part in _parts(text, "="):
        weight = _WEIGHT_RE.match(part)
        fraction = float(weight.group(1)) if weight else 100.0
        value = _restore(_split_feedback(part[weight.end():] if weight else part)).strip()
        try:
            if ".." in value[1:]:
                low, high = (float(v) for v in value.split("..", 1))
                answer, tolerance = (low + high) / 2, (high - low) / 2
            elif ":" in value[1:]:
                number, slack = value.split(":", 1)
                answer, tolerance = float(number), float(slack)
            else:
                answer, tolerance = float(value), 0.0
        except ValueError:
            raise ValueError(f"numerical answer {value!r} is not a number (write {{#3}}, {{#3:0.5}} or {{#2..4}})") from None
        answers.append(Answer(format_number(answer), fraction, abs(tolerance)))
    if not answers:
        raise ValueError("a numerical question needs a number after '{#'")
    return answers
