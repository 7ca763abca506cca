"""Markdown → safe HTML for lessons and short texts, and Markdown → plain text for search.

python-markdown does not sanitise and passes raw HTML through, so every output goes through one
nh3 allowlist (:data:`_CLEANER`): ids and a few known classes survive (clause anchors, TOC,
admonitions), scripts, styles, event handlers, iframes and ``javascript:`` URLs do not.
Rendering costs milliseconds per lesson (DESIGN §8): render at sync time, not per request.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import Treeprocessor

#: Same shape as the loader's clause ids; only these become clause anchors.
_MARKER_RE = re.compile(r"[ \t]*\{#([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)\}[ \t]*\Z")
_CLAUSE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+\Z")
#: Elements that end a list item's first paragraph (a marker must come before them).
_BLOCK_TAGS = {"ul", "ol", "p", "div", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
_HEADINGS = {"h2", "h3"}


@dataclass(frozen=True)
class Rendered:
    """A rendered lesson: the body and its table of contents, both already sanitised."""

    html: str
    toc_html: str


# --- the clause extension --------------------------------------------------------------------


def _text_end(block: etree.Element) -> tuple[etree.Element, str]:
    """Where a block's own text ends: ``(element, "text"|"tail")`` before any nested block."""
    holder, attr = block, "text"
    for child in block:
        if child.tag in _BLOCK_TAGS:
            break
        holder, attr = child, "tail"
    return holder, attr


def _permalink(clause_id: str) -> etree.Element:
    link = etree.Element("a", {"class": "clause-link", "href": f"#{clause_id}"})
    link.text = "¶"
    return link


class ClauseTreeprocessor(Treeprocessor):
    """Turn ``- text {#a.b}`` into ``<li id="a.b" class="clause">`` and mark heading clauses.

    attr_list (Markdown 3.11) handles heading markers but leaves list-item markers as text, so
    this runs after it and after toc (priority 4 < 5), which keeps the ``¶`` out of the TOC.
    """

    def __init__(self, md: markdown.Markdown, permalinks: bool) -> None:
        super().__init__(md)
        self.permalinks = permalinks

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "li":
                self.mark_item(element)
            elif element.tag in _HEADINGS and _CLAUSE_ID_RE.match(element.get("id", "")):
                element.set("class", "clause")
                if self.permalinks:
                    element.append(_permalink(element.get("id", "")))

    def mark_item(self, item: etree.Element) -> None:
        first = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() else item
        holder, attr = _text_end(first)
        text = getattr(holder, attr) or ""
        match = _MARKER_RE.search(text)
        if not match:
            return
        clause_id = match.group(1)
        setattr(holder, attr, text[: match.start()])
        item.set("id", clause_id)
        item.set("class", "clause")
        if self.permalinks:
            position = list(first).index(holder) + 1 if attr == "tail" else 0
            first.insert(position, _permalink(clause_id))


class ClauseExtension(Extension):
    """Registers :class:`ClauseTreeprocessor`; ``permalinks=False`` for plain-text output."""

    def __init__(self, permalinks: bool = True) -> None:
        super().__init__()
        self.permalinks = permalinks

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (python-markdown API)
        md.treeprocessors.register(ClauseTreeprocessor(md, self.permalinks), "clause", 4)


# --- the sanitiser ---------------------------------------------------------------------------

_ADMONITION_CLASSES = {"admonition", "note", "tip", "hint", "important", "warning", "caution",
                       "attention", "danger", "error", "info", "success"}
_SAFE_ID_RE = re.compile(r"[\w.-]{1,120}\Z")


def _keep_safe_id(tag: str, attribute: str, value: str) -> str | None:
    """Keep ids that look like clause or TOC anchors; anything else (spaces, quotes) goes."""
    if attribute == "id":
        return value if _SAFE_ID_RE.match(value) else None
    return value


def _attributes() -> dict[str, set[str]]:
    allowed = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    allowed["*"] = {"id", "title"}
    return allowed


_CLEANER = nh3.Cleaner(
    tags=set(nh3.ALLOWED_TAGS),
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea"},
    attributes=_attributes(),
    attribute_filter=_keep_safe_id,
    allowed_classes={
        "li": {"clause"}, "h2": {"clause"}, "h3": {"clause"}, "a": {"clause-link"},
        "div": _ADMONITION_CLASSES | {"toc"}, "p": {"admonition-title"},
    },
    url_schemes={"http", "https", "mailto"},
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style", "iframe", "template", "textarea"})


def sanitize(html_text: str) -> str:
    """The one allowlist every rendered fragment goes through (also usable on stored HTML)."""
    return _CLEANER.clean(html_text)


# --- entry points ----------------------------------------------------------------------------

_local = threading.local()


def _markdown(kind: str) -> markdown.Markdown:
    """A per-thread Markdown instance per kind (instances are stateful, building one is slow)."""
    instance = getattr(_local, kind, None)
    if instance is None:
        extensions: list[Extension | str] = [
            TableExtension(use_align_attribute=True), "attr_list", "admonition",
            ClauseExtension(permalinks=kind == "lesson"),
        ]
        if kind == "lesson":
            extensions.append(TocExtension(toc_depth="2-3", slugify=slugify_unicode))
        instance = markdown.Markdown(extensions=extensions, output_format="html")
        setattr(_local, kind, instance)
    instance.reset()
    return instance


def render_lesson(md_text: str) -> Rendered:
    """A lesson body → sanitised HTML with clause anchors, plus its sanitised TOC."""
    md = _markdown("lesson")
    body = md.convert(md_text)
    toc = md.toc if getattr(md, "toc_tokens", None) else ""  # attributes set by the toc extension
    return Rendered(html=sanitize(body), toc_html=sanitize(toc))


def render_inline(md_text: str) -> str:
    """A short text (prompt, option, explanation) → sanitised HTML; a lone paragraph is unwrapped
    so an option can sit inside a ``<label>``."""
    rendered = sanitize(_markdown("inline").convert(md_text)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def plain_text(md_text: str) -> str:
    """The visible text of a Markdown snippet or lesson, whitespace collapsed: for search."""
    stripped = _TEXT_ONLY.clean(_markdown("plain").convert(md_text))
    return " ".join(html.unescape(stripped).split())


_ANCHOR_TAG_RE = re.compile(r"<(?:li|h2|h3)\s[^>]*>")
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def rendered_clause_ids(md_text: str) -> set[str]:
    """The clause ids that actually became anchors in the final (sanitised) HTML of ``md_text``."""
    ids = set()
    for tag in _ANCHOR_TAG_RE.findall(render_lesson(md_text).html):
        attributes = dict(_ATTR_RE.findall(tag))
        if "clause" in attributes.get("class", "").split() and "id" in attributes:
            ids.add(html.unescape(attributes["id"]))
    return ids
