"""Configuration read from the environment.

Every deployment knob lives here so that the app factory stays free of ``os.environ`` look-ups.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"
#: the service-centre name staff say on the phone when none is configured (the standards' own blank)
DEFAULT_SERVICE_CENTRE = "××物业服务中心"


def _translation_directories() -> str:
    """The core catalog plus each feature package's own (see scripts/i18n.py)."""
    app_dir = BASE_DIR / "app"
    feature_dirs = sorted(p.relative_to(app_dir).as_posix() for p in app_dir.glob("*/translations"))
    return ";".join(["translations", *feature_dirs])


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production defaults. Dev and testing relax only what they must."""

    ENV_NAME = "production"
    TESTING = False
    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'academy.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    CONTENT_DIR = os.environ.get("CONTENT_DIR") or str(BASE_DIR / "content" / "standards")
    BOOTSTRAP_SERVE_LOCAL = True
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("APP_TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")
    BABEL_TRANSLATION_DIRECTORIES = _translation_directories()
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a trainee may take a long quiz; the session bounds the token
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    #: number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    #: (0 = none). Needed behind a TLS-terminating proxy for client IPs (login throttling, audit)
    #: and for FORCE_HTTPS to see the original scheme.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    #: redirect http → https (behind a proxy that terminates TLS, leave it off and let the proxy do it)
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    #: namespace of the counters in shared storage (several deployments may share one Redis)
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "academy")
    #: failed logins (never successful ones) before the account is locked for the rest of the window
    LOGIN_ACCOUNT_FAILURES = os.environ.get("LOGIN_ACCOUNT_FAILURES", "10 per 15 minutes")
    #: failed logins from one client IP, over all accounts (a training room shares one office IP)
    LOGIN_IP_FAILURES = os.environ.get("LOGIN_IP_FAILURES", "50 per 10 minutes")
    #: scrypt parameters for password hashes: n=2**17, r=8, p=1 (about 128 MiB, ~0.3 s here).
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    #: the company's service-centre name, required where a language prompt says ``{service_centre}``
    #: (the placeholder form ××物业服务中心 is always accepted too)
    COMPANY_SERVICE_CENTRE = os.environ.get("COMPANY_SERVICE_CENTRE", "").strip() or DEFAULT_SERVICE_CENTRE

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse to start with settings that would be unsafe in this environment."""
        if not config.get("SECRET_KEY"):
            raise ConfigError(
                "SECRET_KEY is not set. In production the app refuses to start without it, because "
                "session cookies would be forgeable. Set SECRET_KEY to a long random string, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )


class DevConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls, config: dict) -> None:  # dev runs on plain http with a known key
        return None


class TestConfig(DevConfig):
    ENV_NAME = "testing"
    DEBUG = False
    TESTING = True
    SECRET_KEY = "testing-not-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    #: fast hashes in tests; the production parameters are asserted separately
    PASSWORD_HASH_METHOD = "scrypt:16384:8:1"


CONFIGS = {"production": Config, "development": DevConfig, "testing": TestConfig}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by APP_ENV (default: production)."""
    name = os.environ.get("APP_ENV", "production").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}") from exc
