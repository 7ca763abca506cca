"""Issue 17 item 6: every link on every lesson page lands on a page that exists and, when it names
an anchor, on an element with that id (a cross-lesson reference used to point at the same page)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urldefrag, urlsplit

from playwright.sync_api import expect

from tests.support.live_server import ROOT

LESSONS = sorted(path.stem for path in (ROOT / "content" / "standards" / "lessons").glob("*.md"))
#: links that change state or leave the page's language, not content links
SKIP = re.compile(r"^/(lang/|logout)")


def _links(page) -> list[str]:
    return page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")


def test_every_link_on_every_lesson_page_reaches_its_target(browser, live_server, log_in):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "T001")
    expect(page).not_to_have_url(re.compile(r"/login"))
    origin = urlsplit(live_server.url).netloc
    ids_on: dict[str, set[str]] = {}

    def ids_of(path: str) -> set[str]:
        if path not in ids_on:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            ids_on[path] = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
        return ids_on[path]

    links: list[tuple[str, str]] = []
    for lesson in LESSONS:
        source = f"/lessons/{lesson}"
        ids_of(source)
        page.goto(live_server.url + source)
        links += [(source, href) for href in _links(page)]
    assert len(LESSONS) == 9 and len(links) > 100

    dead, cross_lesson = [], 0
    for source, href in links:
        url, fragment = urldefrag(href)
        fragment = unquote(fragment)
        parts = urlsplit(url)
        assert parts.netloc == origin, f"{source}: link leaves the site: {href}"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if SKIP.match(parts.path):
            continue
        if parts.path.startswith("/lessons/") and parts.path != source:
            cross_lesson += int(bool(fragment))
        if fragment and fragment not in ids_of(path):
            dead.append(f"{source} → {href}")
        elif not fragment:
            ids_of(path)
    assert not dead, "\n".join(dead)
    assert cross_lesson >= 23  # the references between lessons really point at the other lesson
    context.close()
