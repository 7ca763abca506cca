"""Observation checklists (``checklists/<id>.yml``) → :class:`ChecklistDoc` → the catalog ``spec``.

Format::

    id: grooming
    title: 仪容仪表
    summary: 上岗前和当班时的着装、工牌、头发与个人卫生。   # optional
    items:
      - id: uniform
        text: 穿公司制服，干净整洁，纽扣扣齐
        cites: [grooming.uniform.on-duty, grooming.uniform.buttons]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.content.documents import SLUG_RE
from app.content.render import render_inline
from app.content.yaml_lines import LineList

from ..common.policy import POLICY_KEYS
from ..common.spec_common import Cite, DocBase, DrillFile, Reader, item_id, mapping, read_cites
from ..common.spec_render import Known, cite_ids, quote

CHECKLIST_KEYS = ("id", "title", "summary", "items", *POLICY_KEYS)
ITEM_KEYS = ("id", "text", "cites")


@dataclass
class ChecklistItemDoc:
    id: str
    text: str
    cites: list[Cite]
    line: int


@dataclass
class ChecklistDoc(DocBase):
    summary: str = ""
    items: list[ChecklistItemDoc] = field(default_factory=list)


def parse_checklist(reader: Reader, source: DrillFile) -> ChecklistDoc | None:
    fields = reader.fields(source)
    fields.check_keys(CHECKLIST_KEYS, "a checklist")
    checklist_id = item_id(reader, source, "checklist")
    title = fields.text("title", required=True) or ""
    items = _items(reader, source)
    if checklist_id is None:
        return None
    doc = ChecklistDoc(id=checklist_id, title=title, path=source.display, line=source.data.line,
                       summary=fields.text("summary") or "", items=items)
    doc.cites = [cite for item in items for cite in item.cites]
    return doc


def _items(reader: Reader, source: DrillFile) -> list[ChecklistItemDoc]:
    fields = reader.fields(source)
    value = source.data.get("items")
    if value is None:
        fields.missing("items")
        return []
    if not isinstance(value, LineList) or not value:
        fields.report("items", "'items' must be a list of checklist items")
        return []
    items: list[ChecklistItemDoc] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(value):
        data = mapping(reader, entry, source.display, value.line_of(index), f"item {index + 1}")
        if data is None:
            continue
        item_fields = reader.fields(data, source.display)
        item_fields.check_keys(ITEM_KEYS, "a checklist item")
        item_id_ = item_fields.text("id", required=True)
        text = item_fields.text("text", required=True)
        cites = read_cites(item_fields)
        if item_id_ is None or text is None:
            continue
        line = item_fields.line("id")
        if not SLUG_RE.match(item_id_):
            item_fields.report("id", f"invalid item id {item_id_!r}: use lowercase letters, digits and '-'")
        elif item_id_ in seen:
            item_fields.report("id", f"duplicate item id {item_id_!r} (first on line {seen[item_id_]})")
        else:
            seen[item_id_] = line
            items.append(ChecklistItemDoc(id=item_id_, text=text, cites=cites, line=line))
    return items


def checklist_payload(doc: ChecklistDoc, known: Known) -> dict[str, Any]:
    return {"title": doc.title, "summary_html": render_inline(doc.summary) if doc.summary else "",
            "items": [{"id": item.id, "text": item.text, "cites": quote(cite_ids(item.cites), known)}
                      for item in doc.items]}
