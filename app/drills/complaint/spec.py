"""Complaint-record exercises (``complaint-exercises/<id>.yml``) → :class:`ComplaintDoc` → the catalog ``spec``.

Format::

    id: leak-1202
    title: 楼上漏水
    channel: desk                 # desk | phone | forum (how the complaint came in)
    complaint: |                  # Markdown: what the trainee reads
      ……
    severity: important           # major | important | minor
    fields:                       # the five parts of the form, graded by key facts
      time_place:
        facts:                    # each fact: a list of synonyms; any one of them counts
          - [昨晚, 昨天晚上]
          - [1202]
        sample: 昨晚十点左右，3栋1202卫生间   # optional: shown in the feedback
        cites: [complaints.form.time-place]  # optional: the form clause is always cited
      target: …
      account: …
      request: …
      contact: …
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.content.documents import Problem
from app.content.render import render_inline
from app.content.yaml_lines import LineDict, LineList

from ..common.policy import POLICY_KEYS
from ..common.spec_common import Cite, DocBase, DrillFile, Reader, item_id, mapping, read_cites
from ..common.spec_render import Known, cite_ids, quote
from ..common.textnorm import normalise
from .rules import (
    CHANNEL_CLAUSES,
    EXPECTED_BY_SEVERITY,
    FIELD_CODES,
    FORM_FIELDS,
    SEVERITIES,
    channel_expected,
)

EXERCISE_KEYS = ("id", "title", "channel", "incident", "complaint", "severity", "fields", *POLICY_KEYS)
FIELD_KEYS = ("facts", "sample", "budget", "cites")
CHANNELS = ("desk", "phone", "forum")


@dataclass
class FieldDoc:
    code: str
    #: key facts, each a list of synonyms
    facts: list[list[str]]
    sample: str
    cites: list[Cite]
    line: int
    #: length budget in letters and digits
    budget: int = 0


@dataclass
class ComplaintDoc(DocBase):
    channel: str = "desk"
    #: caused by a quality accident or an incident: the 1-hour incident report applies too
    incident: bool = False
    complaint: str = ""
    severity: str = "minor"
    fields: dict[str, FieldDoc] = field(default_factory=dict)


def parse_complaint(reader: Reader, source: DrillFile) -> ComplaintDoc | None:
    fields = reader.fields(source)
    fields.check_keys(EXERCISE_KEYS, "a complaint exercise")
    exercise_id = item_id(reader, source, "complaint exercise")
    title = fields.text("title", required=True) or ""
    complaint = fields.text("complaint", required=True) or ""
    channel = fields.text("channel") or "desk"
    if channel not in CHANNELS:
        fields.report("channel", f"'channel' must be one of {', '.join(CHANNELS)}, not {channel!r}")
    severity = fields.text("severity", required=True)
    if severity is not None and severity not in SEVERITIES:
        fields.report("severity", f"'severity' must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        severity = None
    incident = fields.boolean("incident", default=False)
    parsed = _fields(reader, source)
    if exercise_id is None:
        return None
    doc = ComplaintDoc(id=exercise_id, title=title, path=source.display, line=source.data.line, channel=channel,
                       incident=incident,
                       complaint=complaint, severity=severity or "minor", fields=parsed)
    doc.cites = [cite for f in parsed.values() for cite in f.cites]
    return doc


def _fields(reader: Reader, source: DrillFile) -> dict[str, FieldDoc]:
    value = source.data.get("fields")
    if value is None:
        reader.fields(source).missing("fields")
        return {}
    block = mapping(reader, value, source.display, source.data.line_of("fields"), "'fields'")
    if block is None:
        return {}
    result: dict[str, FieldDoc] = {}
    for code, body in block.items():
        line = block.line_of(code)
        if code not in FIELD_CODES:
            reader.report(source.display, line, f"unknown form field {code!r} (allowed: {', '.join(FIELD_CODES)})")
            continue
        data = mapping(reader, body, source.display, line, f"field {code!r}")
        if data is not None:
            result[code] = _field(reader, source.display, code, line, data)
    for code in FIELD_CODES:
        if code not in block:
            reader.report(source.display, source.data.line_of("fields"), f"form field {code!r} is missing")
    return result


def _field(reader: Reader, display: str, code: str, line: int, data: LineDict) -> FieldDoc:
    fields = reader.fields(data, display)
    fields.check_keys(FIELD_KEYS, f"field {code!r}")
    facts = facts_list(fields, "facts")
    default = next(f.budget for f in FORM_FIELDS if f.code == code)
    budget = fields.integer("budget", default=default) or default
    if budget < 4:
        fields.report("budget", "'budget' must be at least 4 letters or digits")
        budget = default
    sample = fields.text("sample") or ""
    doc = FieldDoc(code=code, facts=facts, sample=sample, cites=read_cites(fields, required=False), line=line,
                   budget=budget)
    if sample and len(normalise(sample)) > budget:
        fields.report("sample", f"the sample of {code!r} has {len(normalise(sample))} letters or digits, more than "
                      f"its budget of {budget}")
    if sample:
        text = normalise(sample)
        for synonyms in facts:
            if not any(normalise(s) in text for s in synonyms):
                fields.report("sample", f"the sample of {code!r} does not contain the key fact {synonyms[0]!r}")
    return doc


def facts_list(fields, key: str) -> list[list[str]]:
    """A list of facts, each a list of synonyms (a lone text counts as a one-synonym fact)."""
    value = fields.data.get(key)
    if value is None:
        fields.missing(key)
        return []
    if not isinstance(value, LineList) or not value:
        fields.report(key, f"{key!r} must be a list of key facts, each a list of synonyms")
        return []
    facts: list[list[str]] = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        synonyms = [item] if isinstance(item, str | int) and not isinstance(item, bool) else item
        if not isinstance(synonyms, list) or not synonyms:
            fields.problems.append(Problem(fields.path, line, "a key fact must be a text or a list of synonyms"))
            continue
        texts = []
        for synonym in synonyms:
            text = str(synonym).strip() if isinstance(synonym, str | int) and not isinstance(synonym, bool) else ""
            if not normalise(text):
                fields.problems.append(Problem(fields.path, line, f"synonym {synonym!r} has no letters or digits to match"))
            else:
                texts.append(text)
        if texts:
            facts.append(texts)
    return facts


def complaint_payload(doc: ComplaintDoc, known: Known) -> dict[str, Any]:
    fields = {}
    for form_field in FORM_FIELDS:
        parsed = doc.fields.get(form_field.code)
        extra = cite_ids(parsed.cites) if parsed else []
        fields[form_field.code] = {"facts": parsed.facts if parsed else [], "sample": parsed.sample if parsed else "",
                                   "budget": parsed.budget if parsed else form_field.budget,
                                   "cites": quote([form_field.clause, *extra], known)}
    rules = {code: {"expected": expected, "cites": quote(list(clauses), known)}
             for code, (expected, clauses) in EXPECTED_BY_SEVERITY[doc.severity].items()}
    channel = channel_expected(doc.channel, doc.incident)
    rules["channel"] = {"expected": channel, "cites": quote(list(CHANNEL_CLAUSES[channel]), known)}
    return {"title": doc.title, "channel": doc.channel, "incident": doc.incident,
            "complaint_html": render_inline(doc.complaint),
            "severity": doc.severity, "fields": fields, "rules": rules}
