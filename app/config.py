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
    #: background jobs (app/jobs): "rq" pushes them to Redis for an `rq worker`; "thread" (the embedded
    #: default, no Redis) runs them in a background thread of the web process after the request commits
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND") or ("rq" if os.environ.get("REDIS_URL") else "thread")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "academy")
    #: seconds an RQ job may run before the worker kills it (a 100,000-employee close fits easily)
    JOBS_TIMEOUT = int(os.environ.get("JOBS_TIMEOUT", "3600"))
    #: a queued or running job with no progress for this long is taken for lost (worker restarted):
    #: the next enqueue of the same key, or the Retry button, runs it again from the start
    JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "1800"))
    #: where jobs write the files they produce (exports); web and worker must share it
    JOBS_FILES_DIR = os.environ.get("JOBS_FILES_DIR") or str(INSTANCE_DIR / "exports")
    #: job files are deleted after this many seconds
    JOBS_FILES_TTL = int(os.environ.get("JOBS_FILES_TTL", str(24 * 3600)))
    #: tests only: wait for an in-process job to finish right after the commit that queued it
    JOBS_WAIT = False
    #: exports of more rows than this run as a background job; smaller ones stream at once
    EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", "20000"))
    #: creating, editing or reopening a cycle of more employees than this recomputes its live scores in a
    #: background job (about 0.8 s per 10,000 employees on SQLite); smaller cycles inside the request
    CYCLE_RECOMPUTE_JOB_ROWS = int(os.environ.get("CYCLE_RECOMPUTE_JOB_ROWS", "20000"))
    #: static files get content-hashed names and a one-year immutable Cache-Control (app/ui/assets.py);
    #: plain (non-fingerprinted) static URLs are cacheable for STATIC_MAX_AGE seconds
    STATIC_FINGERPRINT = _bool("STATIC_FINGERPRINT", True)
    STATIC_MAX_AGE = int(os.environ.get("STATIC_MAX_AGE", "300"))
    #: Flask-Compress for HTML/JSON (br, else gzip). COMPRESS=0 when the reverse proxy compresses.
    #: Streamed responses (CSV/XLSX exports, job downloads) are never touched: COMPRESS_STREAMS = False.
    COMPRESS_REGISTER = _bool("COMPRESS", True)
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = ["text/html", "application/json", "text/css", "text/javascript", "application/javascript",
                          "image/svg+xml"]
    COMPRESS_BR_LEVEL = 4
    COMPRESS_LEVEL = 6
    #: scrypt parameters for password hashes: n=2**17, r=8, p=1 (about 128 MiB, ~0.3 s here).
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    #: the company's service-centre name, required where a language prompt says ``{service_centre}``
    #: (the placeholder form ××物业服务中心 is always accepted too)
    COMPANY_SERVICE_CENTRE = os.environ.get("COMPANY_SERVICE_CENTRE", "").strip() or DEFAULT_SERVICE_CENTRE
    #: a refresher on changed clauses (README "When a standard changes") is due this many days
    #: after HR confirms the change
    RETEST_DUE_DAYS = int(os.environ.get("RETEST_DUE_DAYS", "14"))
    #: the refresher quiz's pass mark (0-100)
    RETEST_PASS_MARK = int(os.environ.get("RETEST_PASS_MARK", "80"))
    #: the company printed on certificates (app/certificates)
    COMPANY_NAME = os.environ.get("COMPANY_NAME", "").strip() or "××物业服务有限公司"
    #: the absolute base of the verification URL in certificates' QR codes, e.g.
    #: https://academy.example.com (empty: the host of the request that made the PDF)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
    #: a certificate's holder gets a renewal assignment this many days before it expires
    CERTIFICATE_RENEWAL_DAYS = int(os.environ.get("CERTIFICATE_RENEWAL_DAYS", "30"))
    #: optional path of a full CJK font for characters outside the embedded subset (rare hanzi)
    CERTIFICATE_FALLBACK_FONT = os.environ.get("CERTIFICATE_FALLBACK_FONT", "")
    #: lookups of the public verification page per client IP
    CERTIFICATE_VERIFY_LIMIT = os.environ.get("CERTIFICATE_VERIFY_LIMIT", "30 per minute")

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
    #: in-process jobs finish before the request that queued them returns (tests read their rows)
    JOBS_BACKEND = "thread"
    JOBS_WAIT = True


CONFIGS = {"production": Config, "development": DevConfig, "testing": TestConfig}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by APP_ENV (default: production)."""
    name = os.environ.get("APP_ENV", "production").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}") from exc
