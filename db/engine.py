"""Database engines: SQLite (embedded default, WAL) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from db.name_search import register_fold
from engine.domain.entries import EntryList

DEFAULT_SQLITE_PATH = Path("caseflow.db")


def database_url(explicit: str | None = None) -> str:
    """The configured database: an explicit URL, CASEFLOW_DATABASE_URL, or the SQLite file
    at CASEFLOW_DB_PATH (default ./caseflow.db)."""
    if explicit:
        return normalise_url(explicit)
    env = os.environ.get("CASEFLOW_DATABASE_URL")
    if env:
        return normalise_url(env)
    path = Path(os.environ.get("CASEFLOW_DB_PATH", str(DEFAULT_SQLITE_PATH)))
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """Accept postgresql:// and postgres:// URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


SQLITE_SYNCHRONOUS = ("FULL", "NORMAL")


def make_engine(url: str, *, sqlite_synchronous: str | None = None, **kw: Any) -> Engine:
    """An engine for the URL. SQLite runs in WAL mode with `synchronous=FULL` by default, so
    a command reported committed survives a power cut (a case file is a legal record);
    CASEFLOW_SQLITE_SYNCHRONOUS=NORMAL trades that for speed."""
    url = normalise_url(url)
    kw.setdefault("json_serializer", _json_dumps)
    kw.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        mode = sqlite_synchronous or os.environ.get("CASEFLOW_SQLITE_SYNCHRONOUS") or "FULL"
        if mode.upper() not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"CASEFLOW_SQLITE_SYNCHRONOUS must be one of {SQLITE_SYNCHRONOUS}")
        return _sqlite_engine(url, mode.upper(), **kw)
    kw.setdefault("pool_size", 10)
    engine = sa.create_engine(url, **kw)
    if not kw.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 30.0
"""A pooled PostgreSQL connection idle longer than this is checked (`SELECT 1`) before a
command uses it; one in steady use is not, so a command costs no extra round trip."""


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping` pings on every checkout, one round trip per command.
    This pings only a connection that sat idle in the pool, where a server restart, a
    failover or a firewall's idle timeout may have dropped it; a failed ping discards the
    connection and the pool hands out a fresh one (SQLAlchemy's DisconnectionError). A
    connection dropped while in steady use fails its command, as it would with pre-ping
    between the ping and the command, and the pool replaces it."""

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            ok = engine.dialect.do_ping(dbapi_conn)
            dbapi_conn.rollback()
        except Exception as exc:
            raise sa.exc.DisconnectionError("idle connection lost") from exc
        if not ok:
            raise sa.exc.DisconnectionError("idle connection lost")


def _sqlite_engine(url: str, synchronous: str, **kw: Any) -> Engine:
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()
        register_fold(dbapi_conn)  # the name search's tail (db/name_search.py)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock at BEGIN so that two writers queue instead of failing
        # to upgrade a read snapshot; readers begin deferred and never block writers (WAL).
        mode = "DEFERRED" if conn.info.get("readonly") else "IMMEDIATE"
        conn.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]

    return engine


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value, default=_plain).decode("utf-8")


def _plain(value: Any) -> Any:
    """An entry list reaching a JSON column is stored whole (engine/domain/entries.py)."""
    if isinstance(value, EntryList):
        return value.items()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
