"""Polite-language prompts (``language-prompts/<id>.yml``) → :class:`PromptDoc` → the catalog ``spec``.

Format::

    id: phone-answer
    title: 接起客服热线
    context: phone                    # phone | desk | visit (for the page's icon and filter)
    situation: 总台电话响了第二声……你接起电话，第一句说什么？   # Markdown
    model_answer: 您好！××物业服务中心，工号036为您服务！
    elements:                         # what a good answer must contain
      - id: greeting
        label: 问候
        any: [您好, 你好]              # alternatives; any one of them counts
        points: 1                     # optional, default 1
        cites: [phone.answer.greeting]
      - id: staff-no
        label: 工号
        any: ["工号{number}"]          # placeholders {number}, {service_centre}: see matching.py
        not_in: [您好]                 # optional: longer words an alternative must not be part of
    allowed: [还没有确切的时间]         # optional: true statements no banned phrase is found in
    banned:                           # optional; added to the shared list in _banned.yml
      - phrase: 喂
        penalty: 20                   # points taken off the 0-100 score
        except: [喂猫]                 # optional: allowed phrases that contain it
        cites: [conduct.answer.no-pretend]

``language-prompts/_banned.yml`` holds ``banned:`` entries that apply to every prompt; a prompt
adds its own phrases and may allow a true statement (``allowed:``), never redefine a shared one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.content.documents import SLUG_RE
from app.content.render import render_inline
from app.content.yaml_lines import LineDict, LineList

from ..common.policy import POLICY_KEYS
from ..common.spec_common import (
    Cite,
    DocBase,
    DrillFile,
    Reader,
    item_id,
    mapping,
    read_cites,
    text_alternatives,
)
from ..common.spec_render import Known, cite_ids, quote
from ..common.textnorm import normalise
from .matching import unknown_placeholders

PROMPT_KEYS = ("id", "title", "context", "situation", "model_answer", "elements", "allowed", "banned", *POLICY_KEYS)
ELEMENT_KEYS = ("id", "label", "any", "not_in", "points", "cites")
BANNED_KEYS = ("phrase", "penalty", "except", "cites")
COMMON_KEYS = ("banned",)
CONTEXTS = ("phone", "desk", "visit")


@dataclass
class ElementDoc:
    id: str
    label: str
    alternatives: list[str]
    points: int
    cites: list[Cite]
    line: int
    not_in: list[str] = field(default_factory=list)


@dataclass
class BannedDoc:
    phrase: str
    penalty: int
    exceptions: list[str]
    cites: list[Cite]
    line: int
    path: str = ""


@dataclass
class PromptDoc(DocBase):
    context: str = "desk"
    situation: str = ""
    model_answer: str = ""
    elements: list[ElementDoc] = field(default_factory=list)
    banned: list[BannedDoc] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)


@dataclass
class CommonBanned(DocBase):
    banned: list[BannedDoc] = field(default_factory=list)


def parse_prompt(reader: Reader, source: DrillFile) -> PromptDoc | None:
    fields = reader.fields(source)
    fields.check_keys(PROMPT_KEYS, "a language prompt")
    prompt_id = item_id(reader, source, "language prompt")
    title = fields.text("title", required=True) or ""
    situation = fields.text("situation", required=True) or ""
    context = fields.text("context") or "desk"
    if context not in CONTEXTS:
        fields.report("context", f"'context' must be one of {', '.join(CONTEXTS)}, not {context!r}")
    elements = _elements(reader, source)
    banned = parse_banned(reader, source, required=False)
    allowed, _ = text_alternatives(fields, "allowed", required=False)
    if prompt_id is None:
        return None
    doc = PromptDoc(id=prompt_id, title=title, path=source.display, line=source.data.line, context=context,
                    situation=situation, model_answer=fields.text("model_answer") or "", elements=elements,
                    banned=banned, allowed=allowed)
    doc.cites = [c for e in elements for c in e.cites] + [c for b in banned for c in b.cites]
    return doc


def parse_common(reader: Reader, source: DrillFile) -> CommonBanned:
    reader.fields(source).check_keys(COMMON_KEYS, "the shared banned-phrase file")
    banned = parse_banned(reader, source, required=True)
    return CommonBanned(id=source.stem, title="", path=source.display, line=source.data.line, banned=banned,
                        cites=[c for b in banned for c in b.cites])


def _elements(reader: Reader, source: DrillFile) -> list[ElementDoc]:
    fields = reader.fields(source)
    value = source.data.get("elements")
    if value is None:
        fields.missing("elements")
        return []
    if not isinstance(value, LineList) or not value:
        fields.report("elements", "'elements' must be a list of required elements")
        return []
    elements: list[ElementDoc] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        data = mapping(reader, item, source.display, value.line_of(index), f"element {index + 1}")
        if data is None:
            continue
        element = _element(reader, source.display, data)
        if element is None:
            continue
        if element.id in seen:
            reader.report(source.display, element.line, f"duplicate element id {element.id!r} (first on line {seen[element.id]})")
            continue
        seen[element.id] = element.line
        elements.append(element)
    return elements


def _element(reader: Reader, display: str, data: LineDict) -> ElementDoc | None:
    fields = reader.fields(data, display)
    fields.check_keys(ELEMENT_KEYS, "an element")
    element_id = fields.text("id", required=True)
    label = fields.text("label", required=True) or ""
    alternatives, _ = text_alternatives(fields, "any")
    for alternative in alternatives:
        for name in unknown_placeholders(alternative):
            fields.report("any", f"unknown placeholder {{{name}}} in {alternative!r}: use {{number}} or {{service_centre}}")
    not_in, _ = text_alternatives(fields, "not_in", required=False)
    points = fields.integer("points", default=1)
    if points is not None and points < 1:
        fields.report("points", "'points' must be at least 1")
        points = 1
    cites = read_cites(fields)
    if element_id is None:
        return None
    if not SLUG_RE.match(element_id):
        fields.report("id", f"invalid element id {element_id!r}: use lowercase letters, digits and '-'")
        return None
    return ElementDoc(id=element_id, label=label, alternatives=alternatives, points=points or 1, cites=cites,
                      line=fields.line("id"), not_in=not_in)


def parse_banned(reader: Reader, source: DrillFile, *, required: bool) -> list[BannedDoc]:
    fields = reader.fields(source)
    value = source.data.get("banned")
    if value is None:
        if required:
            fields.missing("banned")
        return []
    if not isinstance(value, LineList):
        fields.report("banned", "'banned' must be a list of phrases")
        return []
    banned: list[BannedDoc] = []
    for index, item in enumerate(value):
        data = mapping(reader, item, source.display, value.line_of(index), f"banned phrase {index + 1}")
        if data is None:
            continue
        entry = reader.fields(data, source.display)
        entry.check_keys(BANNED_KEYS, "a banned phrase")
        phrases, _ = text_alternatives(entry, "phrase")
        penalty = entry.integer("penalty", required=True)
        if penalty is not None and not 1 <= penalty <= 100:
            entry.report("penalty", f"'penalty' must be between 1 and 100, not {penalty}")
            penalty = None
        exceptions, _ = text_alternatives(entry, "except", required=False)
        cites = read_cites(entry)
        if phrases and penalty is not None:
            banned.append(BannedDoc(phrase=phrases[0], penalty=penalty, exceptions=exceptions, cites=cites,
                                    line=value.line_of(index), path=source.display))
    return banned


def _banned(entries: list[BannedDoc], known: Known) -> list[dict[str, Any]]:
    return [{"phrase": b.phrase, "penalty": b.penalty, "except": b.exceptions, "cites": quote(cite_ids(b.cites), known)}
            for b in entries]


def prompt_payload(doc: PromptDoc, common: list[BannedDoc], known: Known) -> dict[str, Any]:
    own = {normalise(b.phrase) for b in doc.banned}
    banned = _banned(doc.banned, known) + _banned([b for b in common if normalise(b.phrase) not in own], known)
    return {"title": doc.title, "context": doc.context, "situation_html": render_inline(doc.situation),
            "model_answer": doc.model_answer,
            "elements": [{"id": e.id, "label": e.label, "any": e.alternatives, "not_in": e.not_in,
                          "points": e.points, "cites": quote(cite_ids(e.cites), known)} for e in doc.elements],
            "allowed": doc.allowed, "banned": banned}
