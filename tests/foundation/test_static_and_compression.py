"""Fingerprinted static URLs with immutable caching, and compression that never touches a stream."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from app import create_app
from app.config import TestConfig
from app.ui.assets import IMMUTABLE, fingerprinted_name

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def test_fingerprinted_name():
    assert fingerprinted_name("css/app.css", "abc") == "css/app.abc.css"
    assert fingerprinted_name("bootstrap.min.js", "abc") == "bootstrap.min.abc.js"
    assert fingerprinted_name("LICENSE", "abc") == "LICENSE.abc"


def test_every_page_links_fingerprinted_assets_served_immutable(client, login_as):
    login_as("trainee")
    page = client.get("/training/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+\.(?:css|js))"', page)
    assert any("/static/css/app." in link for link in links), links
    assert any(link.startswith("/bootstrap/static/css/bootstrap.min.") for link in links), links
    body = (STATIC / "css" / "app.css").read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:12]
    assert f"/static/css/app.{digest}.css" in links
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", link), link
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == IMMUTABLE
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.data == body
    assert "immutable" not in plain.headers["Cache-Control"] and "max-age=300" in plain.headers["Cache-Control"]


def test_templates_use_url_for_for_every_asset():
    """No hard-coded /static/ path in a template: every one goes through url_for (and gets a hash)."""
    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    offenders = [str(p) for p in templates.rglob("*.html") if re.search(r'(?:href|src)="/(?:bootstrap/)?static/', p.read_text())]
    assert offenders == []


def test_static_assets_compressed_once_and_identical_when_decoded(client):
    body = (STATIC / "css" / "app.css").read_bytes()
    url = "/static/css/app." + hashlib.sha256(body).hexdigest()[:12] + ".css"
    br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == body
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == body
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers and plain.data == body
    assert "Accept-Encoding" in br.headers["Vary"]
    again = client.get(url, headers={"If-None-Match": br.headers["ETag"], "Accept-Encoding": "br"})
    assert again.status_code == 304


def test_html_and_json_are_compressed(client, login_as):
    login_as("trainee")
    page = client.get("/training/", headers={"Accept-Encoding": "br, gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "br"
    assert "我的培训".encode() in brotli.decompress(page.data) or b"<html" in brotli.decompress(page.data)
    gz = client.get("/training/", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(gz.data)
    health = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert health.status_code == 200  # tiny JSON: below the minimum size, sent as is or gzip; both fine


@pytest.fixture()
def plain_app(_tmp_root):
    return create_app(type("NoCompress", (TestConfig,), {"COMPRESS_REGISTER": False, "STATIC_FINGERPRINT": False,
                                                          "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


def test_both_can_be_switched_off(plain_app):
    client = plain_app.test_client()
    page = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in page.headers
    assert 'href="/static/css/app.css"' in page.get_data(as_text=True)
