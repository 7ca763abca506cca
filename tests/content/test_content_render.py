"""render: clause anchors on list items and headings, a TOC, and a sanitiser that lets nothing
executable through while keeping the ids and classes the pages rely on."""

from __future__ import annotations

import pytest

from app.content.render import (
    Rendered,
    clause_resolver,
    plain_text,
    render_inline,
    render_lesson,
    rendered_clause_ids,
    sanitize,
)

LESSON = """开场。

## 接听电话 {#phone.answer}

- 三声之内接起。 {#phone.answer.rings}
- 通话时**面带微笑** {#phone.answer.smile}
    - 嵌套一条 {#phone.answer.smile.eyes}
- 没有编号的项

### 转接 {#phone.answer.transfer}

1. 先告知。 {#phone.answer.transfer.tell}

- 松散项一 {#phone.loose.one}

- 松散项二 {#phone.loose.two}

!!! warning "注意"
    见[三声](#phone.answer.rings)。
"""


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return render_lesson(LESSON)


def test_list_item_clauses_get_id_class_and_permalink(rendered: Rendered):
    html = rendered.html
    assert ('<li class="clause" id="phone.answer.rings">三声之内接起。'
            '<a aria-label="链接到本条 phone.answer.rings" class="clause-link" href="#phone.answer.rings"') in html
    assert "{#" not in html


def test_marker_after_inline_markup_and_in_nested_and_loose_items(rendered: Rendered):
    assert rendered_clause_ids(LESSON) == {
        "phone.answer", "phone.answer.rings", "phone.answer.smile", "phone.answer.smile.eyes",
        "phone.answer.transfer", "phone.answer.transfer.tell", "phone.loose.one", "phone.loose.two"}
    assert "<strong>面带微笑</strong><a aria-label=\"链接到本条 phone.answer.smile\" class=\"clause-link\" href=\"#phone.answer.smile\"" in rendered.html
    assert '<p>松散项一<a aria-label="链接到本条 phone.loose.one" class="clause-link" href="#phone.loose.one"' in rendered.html


def test_items_without_marker_stay_plain(rendered: Rendered):
    assert "<li>没有编号的项</li>" in rendered.html


def test_heading_clauses_get_class_and_permalink(rendered: Rendered):
    assert ('<h2 class="clause" id="phone.answer">接听电话<a aria-label="链接到本条 phone.answer" class="clause-link" href="#phone.answer"'
            in rendered.html)
    assert '<h3 class="clause" id="phone.answer.transfer">' in rendered.html


def test_toc_lists_headings_without_permalink_signs(rendered: Rendered):
    assert '<div class="toc">' in rendered.toc_html
    assert '<a href="#phone.answer" rel="noopener noreferrer">接听电话</a>' in rendered.toc_html
    assert "¶" not in rendered.toc_html


def test_admonition_classes_and_clause_links_survive(rendered: Rendered):
    assert '<div class="admonition warning">' in rendered.html
    assert '<p class="admonition-title">注意</p>' in rendered.html
    assert 'href="#phone.answer.rings"' in rendered.html


def test_lesson_without_headings_has_empty_toc():
    assert render_lesson("只有一段。").toc_html == ""


def test_tables_use_align_attributes_not_styles():
    html = render_lesson("| a | b |\n|:--|--:|\n| 1 | 2 |\n").html
    assert '<th align="left">a</th>' in html and "style" not in html


@pytest.mark.parametrize("source, forbidden", [
    ("<script>alert(1)</script>正文", ["<script", "alert(1)"]),
    ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"]),
    ("[点我](javascript:alert(1))", ["javascript", "alert"]),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', ["avascript", "alert"]),
    ('<a href="jav&#x61;script:alert(1)">x</a>', ["script:", "alert"]),
    ('<iframe src="https://evil.example"></iframe>', ["iframe", "evil"]),
    ("<style>body{display:none}</style>", ["<style", "display"]),
    ('<div style="position:fixed" class="modal">x</div>', ["style", "modal"]),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', ["data:"]),
    ('<form action="/x"><input name="p"></form>', ["<form", "<input"]),
    ('<p id="x&quot; onmouseover=&quot;a" title="t">x</p>', ["onmouseover"]),
])
def test_sanitiser_removes_executable_content(source: str, forbidden: list[str]):
    html = render_lesson(source).html
    for fragment in forbidden:
        assert fragment not in html


def test_sanitiser_keeps_safe_links_and_drops_unsafe_ids():
    html = sanitize('<a href="https://example.com/a" id="ok.id">a</a> <a href="mailto:x@example.com">m</a>'
                    ' <a href="/lessons/phone">r</a> <span id="bad id">s</span>')
    assert 'href="https://example.com/a"' in html and 'id="ok.id"' in html
    assert 'href="mailto:x@example.com"' in html and 'href="/lessons/phone"' in html
    assert "bad id" not in html


def test_render_inline_unwraps_a_single_paragraph_and_sanitises():
    assert render_inline("**三声**之内") == "<strong>三声</strong>之内"
    assert render_inline("一段。\n\n二段。") == "<p>一段。</p>\n<p>二段。</p>"
    assert render_inline('<b onclick="x()">粗</b>') == "<b>粗</b>"


def test_plain_text_drops_markup_markers_and_scripts():
    text = plain_text(LESSON + "\n<script>alert(1)</script>\n\n&lt;b&gt; A &amp; B\n")
    assert "三声之内接起。" in text and "{#" not in text and "¶" not in text
    assert "alert" not in text and "<strong>" not in text
    assert text.endswith("<b> A & B")


# --- links between lessons (issue 17 item 6) --------------------------------------------------

CROSS = """## 声音 {#phone.voice}

- 语气见[语气](#language.tone)，三声见[三声](#phone.answer.rings)。 {#phone.voice.tone}

另见[未知][ref]。

[ref]: #nowhere.at-all
"""


def test_links_resolve_to_the_lesson_each_clause_lives_in():
    clause_lessons = {"language.tone": "language", "phone.answer.rings": "phone", "phone.voice": "phone",
                      "phone.voice.tone": "phone"}
    rendered = render_lesson(CROSS, clause_resolver(clause_lessons, "phone"))
    assert 'href="/lessons/language#language.tone"' in rendered.html
    assert 'href="#phone.answer.rings"' in rendered.html  # same lesson: stays in-page
    assert 'href="#language.tone"' not in rendered.html
    assert rendered.unresolved == ("nowhere.at-all",)


def test_without_a_resolver_links_stay_as_written():
    rendered = render_lesson(CROSS)
    assert 'href="#language.tone"' in rendered.html and rendered.unresolved == ()


def test_clause_permalinks_have_an_accessible_name(rendered: Rendered):
    assert '<a aria-label="链接到本条 phone.answer.rings" class="clause-link" href="#phone.answer.rings"' \
        in rendered.html
