"""Parsed drill documents → the JSON ``spec`` stored in the catalog (rendered once, at sync time).

Markdown texts become sanitised HTML (``render_inline``); every cited clause is stored with its
lesson and text, so feedback can quote the clause and link to it without another query, and a
clause edit shows up as a changed item.
"""

from __future__ import annotations

from typing import Any

from app.content.documents import ClauseDoc
from app.content.render import render_inline

from .checklist_spec import ChecklistDoc
from .complaint_rules import EXPECTED_BY_SEVERITY, FORM_FIELDS
from .complaint_spec import ComplaintDoc
from .language_spec import BannedDoc, PromptDoc
from .scenario_spec import ScenarioDoc
from .spec_common import Cite
from .textnorm import normalise

Known = dict[str, ClauseDoc]


def quote(clause_ids: list[str], known: Known) -> list[dict[str, str]]:
    """``[{id, lesson_id, text}]`` for each distinct known clause id, in order."""
    quoted = []
    for clause_id in dict.fromkeys(clause_ids):
        clause = known.get(clause_id)
        if clause is not None:
            quoted.append({"id": clause.id, "lesson_id": clause.lesson_id, "text": clause.text})
    return quoted


def _ids(cites: list[Cite]) -> list[str]:
    return [c.clause_id for c in cites]


def scenario_payload(doc: ScenarioDoc, known: Known) -> dict[str, Any]:
    nodes: dict[str, Any] = {}
    for node in doc.nodes.values():
        nodes[node.id] = {
            "situation_html": render_inline(node.situation) if node.situation else "",
            "speaker": node.speaker,
            "says_html": render_inline(node.says) if node.says else "",
            "choices": [{"text_html": render_inline(c.text), "score": c.score,
                         "feedback_html": render_inline(c.feedback), "cites": quote(_ids(c.cites), known),
                         "next": c.next} for c in node.choices],
            "ending": None if node.ending is None else {
                "title": node.ending.title, "text_html": render_inline(node.ending.text) if node.ending.text else "",
                "outcome": node.ending.outcome},
        }
    return {"title": doc.title, "type": doc.type, "feedback": doc.feedback,
            "score_range": [doc.score_min, doc.score_max],
            "summary_html": render_inline(doc.summary) if doc.summary else "", "start": doc.start, "nodes": nodes}


def complaint_payload(doc: ComplaintDoc, known: Known) -> dict[str, Any]:
    fields = {}
    for form_field in FORM_FIELDS:
        parsed = doc.fields.get(form_field.code)
        extra = _ids(parsed.cites) if parsed else []
        fields[form_field.code] = {"facts": parsed.facts if parsed else [], "sample": parsed.sample if parsed else "",
                                   "cites": quote([form_field.clause, *extra], known)}
    rules = {code: {"expected": expected, "cites": quote(list(clauses), known)}
             for code, (expected, clauses) in EXPECTED_BY_SEVERITY[doc.severity].items()}
    return {"title": doc.title, "channel": doc.channel, "complaint_html": render_inline(doc.complaint),
            "severity": doc.severity, "fields": fields, "rules": rules}


def _banned(entries: list[BannedDoc], known: Known) -> list[dict[str, Any]]:
    return [{"phrase": b.phrase, "penalty": b.penalty, "except": b.exceptions, "cites": quote(_ids(b.cites), known)}
            for b in entries]


def prompt_payload(doc: PromptDoc, common: list[BannedDoc], known: Known) -> dict[str, Any]:
    own = {normalise(b.phrase) for b in doc.banned}
    banned = _banned(doc.banned, known) + _banned([b for b in common if normalise(b.phrase) not in own], known)
    return {"title": doc.title, "context": doc.context, "situation_html": render_inline(doc.situation),
            "model_answer": doc.model_answer,
            "elements": [{"id": e.id, "label": e.label, "any": e.alternatives, "points": e.points,
                          "cites": quote(_ids(e.cites), known)} for e in doc.elements],
            "banned": banned}


def checklist_payload(doc: ChecklistDoc, known: Known) -> dict[str, Any]:
    return {"title": doc.title, "summary_html": render_inline(doc.summary) if doc.summary else "",
            "items": [{"id": item.id, "text": item.text, "cites": quote(_ids(item.cites), known)}
                      for item in doc.items]}
