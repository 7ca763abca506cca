"""Fingerprinted static files: ``url_for('static', filename='css/app.css')`` → ``/static/css/app.<hash>.css``.

At start-up every file under the app's static folder and each blueprint's static folder (Bootstrap-Flask's
own files included) is hashed once (SHA-256 of the content, 12 hex digits in the name). A ``url_defaults``
hook rewrites the ``filename`` of ``static``/``<blueprint>.static`` URLs to the fingerprinted name, so no
template changes: every ``url_for('static', …)`` and ``bootstrap.load_css()/load_js()`` gets it.

The static views are wrapped: a fingerprinted name is served from memory with
``Cache-Control: public, max-age=31536000, immutable`` (a changed file gets a new name) and, for text
types, compressed once per encoding (br when the ``brotli`` module is installed, else gzip) and kept;
any other name (an old link, a file added after start-up) is served from disk as before with a short
``max-age`` (``STATIC_MAX_AGE``). ``STATIC_FINGERPRINT = False`` turns it all off (plain names).
Static files edited while the server runs keep their start-up hash until a restart.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, Response, request

try:  # an optional accelerator: Flask-Compress pulls it in
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
_COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
                 "text/plain", "application/xml", "text/xml"}
_MIN_COMPRESS = 500


def fingerprinted_name(filename: str, digest: str) -> str:
    """``css/app.css`` → ``css/app.<digest>.css`` (``LICENSE`` → ``LICENSE.<digest>``)."""
    head, slash, name = filename.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    hashed = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
    return f"{head}{slash}{hashed}"


class _Asset:
    __slots__ = ("path", "digest", "mimetype", "_bodies")

    def __init__(self, path: Path, digest: str):
        self.path, self.digest = path, digest
        self.mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._bodies: dict[str, bytes] = {}

    def body(self, encoding: str) -> bytes:
        """The file's bytes, raw or encoded ("br", "gzip"), computed once and kept."""
        if encoding not in self._bodies:
            raw = self._bodies.get("") or self.path.read_bytes()
            self._bodies[""] = raw
            if encoding == "br":
                self._bodies["br"] = brotli.compress(raw, quality=11)
            elif encoding == "gzip":
                self._bodies["gzip"] = gzip.compress(raw, compresslevel=9, mtime=0)
        return self._bodies[encoding]


def _choose_encoding(asset: _Asset) -> str:
    if asset.mimetype not in _COMPRESSIBLE or asset.path.stat().st_size < _MIN_COMPRESS:
        return ""
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")}
    if brotli is not None and "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return ""


class StaticAssets:
    """The manifest of one app: endpoint → {file name: fingerprinted name} and the reverse."""

    def __init__(self, app: Flask):
        self.names: dict[str, dict[str, str]] = {}
        self.assets: dict[str, dict[str, _Asset]] = {}
        for endpoint, folder in self._folders(app):
            self._scan(endpoint, Path(folder))
        app.url_defaults(self._url_defaults)
        short = app.config.get("STATIC_MAX_AGE", 300)
        for endpoint in self.assets:
            app.view_functions[endpoint] = self._wrap(app.view_functions[endpoint], self.assets[endpoint], short)
        app.extensions["static_assets"] = self

    @staticmethod
    def _folders(app: Flask):
        if app.has_static_folder:
            yield "static", app.static_folder
        for name, blueprint in app.blueprints.items():
            if blueprint.has_static_folder and f"{name}.static" in app.view_functions:
                yield f"{name}.static", blueprint.static_folder

    def _scan(self, endpoint: str, folder: Path) -> None:
        names, assets = self.names.setdefault(endpoint, {}), self.assets.setdefault(endpoint, {})
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            filename = path.relative_to(folder).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
            hashed = fingerprinted_name(filename, digest)
            names[filename] = hashed
            assets[hashed] = _Asset(path, digest)

    def _url_defaults(self, endpoint: str, values: dict) -> None:
        names = self.names.get(endpoint)
        if names is not None and "filename" in values:
            values["filename"] = names.get(values["filename"], values["filename"])

    @staticmethod
    def _wrap(original, assets: dict[str, _Asset], short_max_age: int):
        def serve_static(filename: str, **kwargs):
            asset = assets.get(filename)
            if asset is None:  # a plain name: from disk, briefly cacheable
                response = original(filename=filename, **kwargs)
                if response.status_code == 200:
                    response.cache_control.public = True
                    response.cache_control.max_age = short_max_age
                return response
            encoding = _choose_encoding(asset)
            response = Response(asset.body(encoding), mimetype=asset.mimetype)
            if encoding:
                response.headers["Content-Encoding"] = encoding
            if asset.mimetype in _COMPRESSIBLE:
                response.headers["Vary"] = "Accept-Encoding"
            response.headers["Cache-Control"] = IMMUTABLE
            response.set_etag(asset.digest + (f"-{encoding}" if encoding else ""))
            return response.make_conditional(request)

        serve_static.__name__ = getattr(original, "__name__", "static")
        return serve_static


def init_assets(app: Flask) -> StaticAssets | None:
    """Call after every blueprint is registered (their static folders are scanned)."""
    if not app.config.get("STATIC_FINGERPRINT", True):
        return None
    return StaticAssets(app)
