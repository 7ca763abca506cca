"""Scenario files (``scenarios/<id>.yml``) → :class:`ScenarioDoc`, with every problem located;
:func:`scenario_payload` renders a document to the catalog ``spec``.

Format (see content/standards/README.md, "Drills")::

    id: leak
    title: 楼上漏水
    type: desk                 # desk | phone | forum | elevator | visit
    feedback: immediate        # immediate (after each choice) | end (only in the review)
    score_range: [-2, 3]       # every choice's score must lie in this range
    start: arrive
    nodes:
      arrive:
        situation: 上午十点，……
        speaker: 王先生
        says: 你们物业到底管不管？
        choices:
          - text: 先请王先生坐下，代表工程部向他道歉。
            score: 3
            feedback: 先致歉、请坐，情绪先降下来。
            cites: [complaints.reception.apologise, complaints.desk.sofa]
            next: record
      good-end:
        ending: {title: 住户满意离开, text: ……, outcome: good}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.content.documents import SLUG_RE
from app.content.render import render_inline
from app.content.yaml_lines import LineDict, LineList

from ..common.policy import POLICY_KEYS
from ..common.spec_common import Cite, DocBase, DrillFile, Reader, item_id, mapping, read_cites
from ..common.spec_render import Known, cite_ids, quote
from .graph import Edge, GraphNode, check_graph
from .path import ending_defaults, parse_clock
from .spec_checks import check_endings, check_placeholders

SCENARIO_KEYS = ("id", "title", "type", "feedback", "score_range", "clock", "summary", "start", "nodes",
                 *POLICY_KEYS)
NODE_KEYS = ("situation", "speaker", "says", "deadline", "choices", "ending")
CHOICE_KEYS = ("text", "score", "minutes", "critical", "feedback", "cites", "next")
ENDING_KEYS = ("title", "text", "outcome", "min_score", "allow_critical", "otherwise")
DEADLINE_KEYS = ("within", "reason")
SITUATION_TYPES = ("desk", "phone", "forum", "elevator", "visit")
FEEDBACK_MODES = ("immediate", "end")
OUTCOMES = ("good", "fair", "poor")


@dataclass
class ChoiceDoc:
    text: str
    score: int
    feedback: str
    cites: list[Cite]
    next: str
    line: int
    minutes: int = 0
    critical: str = ""


@dataclass
class EndingDoc:
    title: str
    text: str
    outcome: str
    min_score: int = 0
    allow_critical: bool = True
    otherwise: str = ""
    line: int = 0


@dataclass
class NodeDoc:
    id: str
    line: int
    situation: str
    speaker: str
    says: str
    choices: list[ChoiceDoc] = field(default_factory=list)
    ending: EndingDoc | None = None
    #: ``(within minutes of the start, reason)`` or None
    deadline: tuple[int, str] | None = None


@dataclass
class ScenarioDoc(DocBase):
    type: str = "desk"
    feedback: str = "immediate"
    score_min: int = 0
    score_max: int = 0
    #: the start clock in minutes after midnight, or None
    clock: int | None = None
    summary: str = ""
    start: str = ""
    nodes: dict[str, NodeDoc] = field(default_factory=dict)


def parse_scenario(reader: Reader, source: DrillFile) -> ScenarioDoc | None:
    fields = reader.fields(source)
    fields.check_keys(SCENARIO_KEYS, "a scenario")
    scenario_id = item_id(reader, source, "scenario")
    title = fields.text("title", required=True) or ""
    kind = _choice_of(reader, source, "type", SITUATION_TYPES, "desk")
    feedback = _choice_of(reader, source, "feedback", FEEDBACK_MODES, None)
    low, high = _score_range(reader, source)
    start = fields.text("start", required=True)
    clock = _clock(reader, source)
    nodes = _nodes(reader, source, low, high)
    if scenario_id is None:
        return None
    doc = ScenarioDoc(id=scenario_id, title=title, path=source.display, line=source.data.line, type=kind,
                      feedback=feedback or "immediate", score_min=low if low is not None else 0,
                      score_max=high if high is not None else 0, summary=fields.text("summary") or "",
                      start=start or "", nodes=nodes, clock=clock)
    doc.cites = [cite for node in nodes.values() for choice in node.choices for cite in choice.cites]
    graph = {node.id: GraphNode(node.id, node.line, node.ending is not None,
                                [Edge(c.next, c.line, i + 1) for i, c in enumerate(node.choices) if c.next])
             for node in nodes.values()}
    for node in nodes.values():  # an ``otherwise`` ending is reached through the ending before it
        if node.ending and node.ending.otherwise in nodes:
            graph[node.id].edges.append(Edge(node.ending.otherwise, node.ending.line, 0))
    if nodes:
        for problem in check_graph(graph, start, fields.line("start")):
            reader.report(source.display, problem.line, problem.message)
        check_endings(reader, source.display, nodes)
        check_placeholders(reader, source.display, doc)
    return doc


def _clock(reader: Reader, source: DrillFile) -> int | None:
    fields = reader.fields(source)
    value = source.data.get("clock")
    if value is None:
        return None
    minutes = parse_clock(str(value)) if isinstance(value, str) else None
    if minutes is None:
        fields.report("clock", "'clock' must be a time of day in quotes, \"HH:MM\" (e.g. \"14:00\")")
    return minutes


def _choice_of(reader: Reader, source: DrillFile, key: str, allowed: tuple[str, ...],
               default: str | None) -> str | None:
    fields = reader.fields(source)
    value = fields.text(key, required=default is None)
    if value is None:
        return default
    if value not in allowed:
        fields.report(key, f"{key!r} must be one of {', '.join(allowed)}, not {value!r}")
        return default
    return value


def _score_range(reader: Reader, source: DrillFile) -> tuple[int | None, int | None]:
    fields = reader.fields(source)
    value = source.data.get("score_range")
    if value is None:
        fields.missing("score_range")
        return None, None
    ok = (isinstance(value, LineList) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
    if not ok or value[0] >= value[1]:
        fields.report("score_range", "'score_range' must be two whole numbers [lowest, highest], lowest first")
        return None, None
    return value[0], value[1]


def _nodes(reader: Reader, source: DrillFile, low: int | None, high: int | None) -> dict[str, NodeDoc]:
    fields = reader.fields(source)
    value = source.data.get("nodes")
    if value is None:
        fields.missing("nodes")
        return {}
    if not isinstance(value, LineDict) or not value:
        fields.report("nodes", "'nodes' must map node ids to nodes")
        return {}
    nodes: dict[str, NodeDoc] = {}
    for node_id, body in value.items():
        line = value.line_of(node_id)
        if not isinstance(node_id, str) or not SLUG_RE.match(node_id):
            reader.report(source.display, line, f"invalid node id {node_id!r}: use lowercase letters, digits and '-'")
            continue
        data = mapping(reader, body, source.display, line, f"node {node_id!r}")
        if data is not None:
            nodes[node_id] = _node(reader, source.display, node_id, line, data, low, high)
    return nodes


def _node(reader: Reader, display: str, node_id: str, line: int, data: LineDict,
          low: int | None, high: int | None) -> NodeDoc:
    fields = reader.fields(data, display)
    fields.check_keys(NODE_KEYS, f"node {node_id!r}")
    node = NodeDoc(id=node_id, line=line, situation=fields.text("situation") or "",
                   speaker=fields.text("speaker") or "", says=fields.text("says") or "")
    if "ending" in data:
        if "choices" in data:
            fields.report("choices", f"node {node_id!r} is an ending and cannot also have choices")
        ending = mapping(reader, data["ending"], display, data.line_of("ending"), f"the ending of node {node_id!r}")
        if ending is not None:
            node.ending = _ending(reader, display, ending)
        return node
    if not node.situation:
        fields.missing("situation")
    if "deadline" in data:
        node.deadline = _deadline(reader, display, data)
    choices = data.get("choices")
    if choices is None:
        return node  # a dead end: reported by the graph check
    if not isinstance(choices, LineList):
        fields.report("choices", "'choices' must be a list")
        return node
    for index, item in enumerate(choices):
        choice = mapping(reader, item, display, choices.line_of(index), f"choice {index + 1} of node {node_id!r}")
        if choice is not None:
            parsed = _choice(reader, display, choice, low, high)
            if parsed is not None:
                node.choices.append(parsed)
    return node


def _choice(reader: Reader, display: str, data: LineDict, low: int | None, high: int | None) -> ChoiceDoc | None:
    fields = reader.fields(data, display)
    fields.check_keys(CHOICE_KEYS, "a choice")
    text = fields.text("text", required=True)
    score = fields.integer("score", required=True)
    feedback = fields.text("feedback", required=True)
    cites = read_cites(fields)
    target = fields.text("next", required=True)
    minutes = fields.integer("minutes", default=0)
    if minutes is not None and minutes < 0:
        fields.report("minutes", "'minutes' must be 0 or more")
    critical = fields.text("critical") or ""
    if score is not None and low is not None and high is not None and not low <= score <= high:
        fields.report("score", f"score {score} is outside the declared score_range [{low}, {high}]")
    return ChoiceDoc(text=text or "", score=score if score is not None else 0, feedback=feedback or "",
                     cites=cites, next=target or "", line=fields.line("next"), minutes=max(minutes or 0, 0),
                     critical=critical)


def _ending(reader: Reader, display: str, data: LineDict) -> EndingDoc:
    fields = reader.fields(data, display)
    fields.check_keys(ENDING_KEYS, "an ending")
    outcome = fields.text("outcome") or "fair"
    if outcome not in OUTCOMES:
        fields.report("outcome", f"'outcome' must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
        outcome = "fair"
    default_min, default_critical = ending_defaults(outcome)
    min_score = fields.integer("min_score", default=default_min)
    if min_score is not None and not 0 <= min_score <= 100:
        fields.report("min_score", "'min_score' must be between 0 and 100")
        min_score = default_min
    return EndingDoc(title=fields.text("title", required=True) or "", text=fields.text("text") or "", outcome=outcome,
                     min_score=min_score if min_score is not None else default_min,
                     allow_critical=fields.boolean("allow_critical", default=default_critical),
                     otherwise=fields.text("otherwise") or "", line=data.line)


def _deadline(reader: Reader, display: str, data: LineDict) -> tuple[int, str] | None:
    body = mapping(reader, data["deadline"], display, data.line_of("deadline"), "'deadline'")
    if body is None:
        return None
    fields = reader.fields(body, display)
    fields.check_keys(DEADLINE_KEYS, "a deadline")
    within = fields.integer("within", required=True)
    reason = fields.text("reason", required=True)
    if within is None or reason is None:
        return None
    if within < 0:
        fields.report("within", "'within' must be 0 or more minutes")
        return None
    return within, reason


def scenario_payload(doc: ScenarioDoc, known: Known) -> dict[str, Any]:
    nodes: dict[str, Any] = {}
    for node in doc.nodes.values():
        nodes[node.id] = {
            "situation_html": render_inline(node.situation) if node.situation else "",
            "speaker": node.speaker,
            "says_html": render_inline(node.says) if node.says else "",
            "choices": [{"text_html": render_inline(c.text), "score": c.score, "minutes": c.minutes,
                         "critical": c.critical,
                         "feedback_html": render_inline(c.feedback), "cites": quote(cite_ids(c.cites), known),
                         "next": c.next} for c in node.choices],
            "ending": None if node.ending is None else {
                "title": node.ending.title, "text_html": render_inline(node.ending.text) if node.ending.text else "",
                "outcome": node.ending.outcome, "min_score": node.ending.min_score,
                "allow_critical": node.ending.allow_critical, "otherwise": node.ending.otherwise},
        }
        if node.deadline is not None:
            nodes[node.id]["deadline"] = {"within": node.deadline[0], "reason": node.deadline[1]}
    return {"title": doc.title, "type": doc.type, "feedback": doc.feedback,
            "score_range": [doc.score_min, doc.score_max], "clock": doc.clock,
            "summary_html": render_inline(doc.summary) if doc.summary else "", "start": doc.start, "nodes": nodes}
