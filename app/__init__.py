"""Etiquette Academy: the application factory.

Every blueprint, plugin, activity kind and CLI group is listed in ``app/blueprints.py``, which
only this factory imports (DESIGN.md §1).
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from app.config import INSTANCE_DIR, Config, config_from_env
from app.extensions import babel, bootstrap, compress, csrf, db, limiter, login_manager, migrate
from app.routing import BoundedIntConverter
from app.ui.language import LANGUAGE_COOKIE


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app. ``config`` is a Config class or a dict of overrides on the env's class."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.url_map.converters["int"] = BoundedIntConverter  # before any route: ids fit a BIGINT
    base = config if isinstance(config, type) else config_from_env()
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    base.check(app.config)
    app.json.ensure_ascii = False  # the HR API and health check speak Chinese as Chinese
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_assets(app)
    register_hooks(app)
    register_errorhandlers(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def select_locale() -> str:
    """The language chosen with the switcher (a long-lived cookie), else zh_CN.

    The browser's Accept-Language is deliberately not consulted: many front-desk PCs run an
    English-language browser, and the product speaks Chinese unless a user asks otherwise.
    """
    from flask import current_app, has_request_context

    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI and background work speak the default language
        return default
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in current_app.config["LANGUAGES"] else default


def register_extensions(app: Flask) -> None:
    from app.database import configure_engine

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    from app import model_registry  # noqa: F401  (complete metadata for migrations)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(INSTANCE_DIR.parent / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    compress.init_app(app)  # HTML/JSON; streamed downloads untouched (COMPRESS_STREAMS = False)
    limiter.init_app(app)
    from app.auth.throttle import init_throttle

    init_throttle(app)

    from app.security import init_security

    init_security(app)

    from app.auth.services import load_session_user

    login_manager.user_loader(load_session_user)


def register_blueprints(app: Flask) -> None:
    """Blueprints, content plugins, activity kinds and CLI groups: all listed in app/blueprints.py."""
    from app.blueprints import register_all

    register_all(app)


def register_assets(app: Flask) -> None:
    """Fingerprinted static URLs with long cache headers (after the blueprints: their static folders too)."""
    from app.ui.assets import init_assets

    init_assets(app)


def register_hooks(app: Flask) -> None:
    from app.auth.hooks import enforce_password_change
    from app.routing import reject_nul_in_query
    from app.ui.formatting import register_filters
    from app.ui.labels import role_label
    from app.ui.navigation import navigation_for
    from app.ui.pagination import page_window

    app.before_request(reject_nul_in_query)
    app.before_request(enforce_password_change)
    register_filters(app)
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["page_window"] = page_window

    @app.context_processor
    def inject_navigation():
        user = current_user if current_user and current_user.is_authenticated else None
        return {"nav_items": navigation_for(user)}


def register_errorhandlers(app: Flask) -> None:
    from app.main.errors import register_error_handlers

    register_error_handlers(app)
