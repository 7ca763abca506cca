"""Engine tuning per backend.

SQLite is the single-site default, so it must behave under concurrent gunicorn workers:

* WAL journal, ``synchronous=FULL`` (an acknowledged commit survives a crash), ``busy_timeout``
  of 10 s and foreign keys on, set on every new connection;
* pysqlite's own implicit ``BEGIN`` is switched off and SQLAlchemy's ``begin`` event emits the
  BEGIN itself (SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" recipe).
  A transaction that may write starts with ``BEGIN IMMEDIATE``: it takes the write lock up front,
  waiting up to ``busy_timeout`` for it, instead of reading first and failing with SQLITE_BUSY
  when it later tries to write (a deferred transaction cannot wait for the lock once it has read).
  Requests with a safe method (GET, HEAD, OPTIONS) only read, so they start ``BEGIN DEFERRED``
  and never block writers or each other; everything else (POST handlers, CLI commands, tests)
  starts IMMEDIATE.

PostgreSQL needs none of this: it is reached through ``postgresql+psycopg://`` and row locks
(``SELECT … FOR UPDATE``) serialise the few places that must be serialised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 10_000

#: set by :func:`write_transaction`: the BEGIN of the transaction it runs, whatever the request
_forced_begin: ContextVar[str | None] = ContextVar("sqlite_forced_begin", default=None)

#: BEGIN used outside requests (CLI, scripts, worker threads); IMMEDIATE unless a caller that only
#: reads, or that never writes concurrently, asks for DEFERRED with ``deferred_transactions()``.
_outside_request_begin: ContextVar[str] = ContextVar("sqlite_begin", default="BEGIN IMMEDIATE")


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """Start this context's transactions DEFERRED (readers that must not take the write lock)."""
    token = _outside_request_begin.set("BEGIN DEFERRED")
    try:
        yield
    finally:
        _outside_request_begin.reset(token)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Write from a request that has only read so far (a GET page that must record something).

    Ends the request's read transaction, runs the block in a transaction of its own that takes
    the write lock up front (``BEGIN IMMEDIATE`` on SQLite, so it waits for the lock instead of
    failing to upgrade a read snapshot) and commits it; rolls back and re-raises on error. The
    request then reads on in a new transaction that sees what was written.
    """
    from app.extensions import db

    db.session.rollback()
    token = _forced_begin.set("BEGIN IMMEDIATE")
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _forced_begin.reset(token)


def _begin_statement() -> str:
    forced = _forced_begin.get()
    if forced is not None:
        return forced
    if has_request_context():
        return "BEGIN DEFERRED" if request.method in SAFE_METHODS else "BEGIN IMMEDIATE"
    return _outside_request_begin.get()


def configure_sqlite(engine: Engine) -> None:
    """Install the pragmas and the explicit-BEGIN recipe on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        statement = _begin_statement()
        conn.info["sqlite_begin"] = statement
        conn.exec_driver_sql(statement)


def session_holds_sqlite_write_lock(session) -> bool:
    """True while ``session`` is inside a SQLite transaction begun IMMEDIATE (it holds the write
    lock: another connection that writes now would only wait for it)."""
    if hasattr(session, "registry"):  # a scoped_session: the session of this context
        session = session()
    transaction = session.get_transaction()
    # only a transaction that already holds a connection has begun on the database
    connections = getattr(transaction, "_connections", None) if transaction is not None else None
    if not connections:
        return False
    return any(conn.dialect.name == "sqlite" and conn.info.get("sqlite_begin") == "BEGIN IMMEDIATE"
               for conn, *_rest in connections.values())


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)
