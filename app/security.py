"""HTTP security headers (Flask-Talisman): a strict CSP and the usual hardening headers.

Pages need no inline script or style: every script and stylesheet is a file served by the app,
so ``default-src 'self'`` holds. ``data:`` images are allowed because Bootstrap's CSS draws its
icons (navbar toggler, select arrow) as data-URI SVGs.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

CSP = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


def init_security(app: Flask) -> None:
    secure_cookies = bool(app.config.get("SESSION_COOKIE_SECURE"))
    talisman.init_app(
        app,
        force_https=bool(app.config.get("FORCE_HTTPS", False)),
        strict_transport_security=secure_cookies,
        session_cookie_secure=secure_cookies,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
    )
