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
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

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


#: Maps a link's fragment (``language.tone`` in ``[…](#language.tone)``) to the href it should
#: have on the rendered page, or None when nothing by that id exists.
LinkResolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Rendered:
    """A rendered lesson: the body and its table of contents, both already sanitised.

    ``unresolved`` lists the ``#fragment`` links the resolver could not place (document order);
    ``content check`` reports them, sync never stores a lesson with any.
    """

    html: str
    toc_html: str
    unresolved: tuple[str, ...] = field(default=())


def lesson_url(lesson_id: str, clause_id: str) -> str:
    """Where a clause lives: its lesson page, scrolled to the clause anchor."""
    return f"/lessons/{lesson_id}#{clause_id}"


def clause_resolver(clause_lessons: dict[str, str], lesson_id: str) -> LinkResolver:
    """A resolver for one lesson: clauses of the same lesson stay in-page (``#id``), clauses of
    another lesson point at that lesson's page (``/lessons/<lesson>#id``), anything else is None.

    Absolute paths work on the lesson page and in the handbook, which shows every lesson's HTML.
    """

    def resolve(fragment: str) -> str | None:
        owner = clause_lessons.get(fragment)
        if owner is None:
            return None
        return f"#{fragment}" if owner == lesson_id else lesson_url(owner, fragment)

    return resolve


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
    """The ``¶`` link of a clause. Its accessible name is stored in the content language (the HTML
    is rendered once, at sync); a bare "¶" would be announced as "pilcrow" or not at all."""
    link = etree.Element("a", {"class": "clause-link", "href": f"#{clause_id}",
                               "aria-label": f"链接到本条 {clause_id}"})
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


class ClauseLinkTreeprocessor(Treeprocessor):
    """Rewrite every ``<a href="#fragment">`` through the resolver set for this conversion.

    A lesson's ``[…](#other.clause)`` is written as if all lessons were one page; on the site each
    lesson is its own page, so a bare fragment pointing into another lesson would be a dead link.
    Runs before the permalinks are added (priority 4.5 > 4); unresolved fragments are collected on
    ``md.unresolved_links`` and left as they are.
    """

    def run(self, root: etree.Element) -> None:
        resolve: LinkResolver | None = getattr(self.md, "clause_links", None)
        unresolved: list[str] = []
        self.md.unresolved_links = unresolved  # type: ignore[attr-defined]
        if resolve is None:
            return
        for link in root.iter("a"):
            href = link.get("href", "")
            if not href.startswith("#"):
                continue
            fragment = unquote(href[1:])
            target = resolve(fragment)
            if target is None:
                unresolved.append(fragment)
            else:
                link.set("href", target)


class ClauseLinkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (python-markdown API)
        md.treeprocessors.register(ClauseLinkTreeprocessor(md), "clause-links", 4.5)


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
    allowed["a"] = allowed.get("a", set()) | {"aria-label"}
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
            ClauseExtension(permalinks=kind == "lesson"), ClauseLinkExtension(),
        ]
        if kind == "lesson":
            extensions.append(TocExtension(toc_depth="2-3", slugify=slugify_unicode))
        instance = markdown.Markdown(extensions=extensions, output_format="html")
        setattr(_local, kind, instance)
    instance.reset()
    return instance


def render_lesson(md_text: str, links: LinkResolver | None = None) -> Rendered:
    """A lesson body → sanitised HTML with clause anchors, plus its sanitised TOC.

    With ``links`` (see :func:`clause_resolver`) every ``#fragment`` link is rewritten to where
    that clause lives; without it links are left as written and none are reported.
    """
    md = _markdown("lesson")
    md.clause_links = links  # type: ignore[attr-defined]
    try:
        body = md.convert(md_text)
    finally:
        md.clause_links = None  # type: ignore[attr-defined]
    toc = md.toc if getattr(md, "toc_tokens", None) else ""  # attributes set by the toc extension
    return Rendered(html=sanitize(body), toc_html=sanitize(toc),
                    unresolved=tuple(getattr(md, "unresolved_links", ())))


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


def rendered_clause_ids(md_text: str | Rendered) -> set[str]:
    """The clause ids that actually became anchors in the final (sanitised) HTML of ``md_text``
    (Markdown source, or an already rendered lesson)."""
    ids = set()
    rendered = md_text if isinstance(md_text, Rendered) else render_lesson(md_text)
    for tag in _ANCHOR_TAG_RE.findall(rendered.html):
        attributes = dict(_ATTR_RE.findall(tag))
        if "clause" in attributes.get("class", "").split() and "id" in attributes:
            ids.add(html.unescape(attributes["id"]))
    return ids
