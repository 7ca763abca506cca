import os

import pytest
from sqlalchemy import create_engine

from app import create_app
from app.config import Config, ConfigError, DevConfig


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    cfg = type("Broken", (DevConfig,), {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
    })
    app = create_app(cfg)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["db"] == "unreachable"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    cfg = type("Prod", (Config,), {"SECRET_KEY": None})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(cfg)


def test_production_starts_with_secret_key(tmp_path):
    cfg = type("Prod", (Config,), {"SECRET_KEY": "x" * 40,
                                   "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    app = create_app(cfg)
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_postgres_pass_really_runs_on_postgres(app):
    """When TEST_DATABASE_URL is set, the second CI pass must not quietly run on SQLite."""
    from app.extensions import db

    url = os.environ.get("TEST_DATABASE_URL")
    with app.app_context():
        dialect = db.engine.dialect.name
    if url:
        assert url.startswith("postgresql")
        assert dialect == "postgresql"
    else:
        assert dialect == "sqlite"


def test_sqlite_pragmas(tmp_path, app):
    from app.database import configure_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    configure_engine(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
