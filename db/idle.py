"""SQLite: a unit of work takes its connection from a few kept open between units of work.

Checking a connection out of SQLAlchemy's pool and wrapping it in a `Connection` costs a
command about 20 µs of Python (events, the pool's fairy, reset on return) against 2 µs for
the transaction itself (bench/peers.py). On SQLite, a connection is an open file and
nothing outside the process can drop it, so the last few `Connection`s used are kept,
outside any transaction, and the next unit of work takes one; beyond `KEEP` they go back
to the pool as before. A connection that was invalidated, closed or is still inside a
transaction is never kept, nor handed to a forked process. PostgreSQL connections always
go back to the pool, whose checkout pings one that sat idle (db/engine.py), as a server
restart or a firewall may have dropped it.
"""

from __future__ import annotations

import os
import threading
import weakref

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

IN_UNIT = "caseflow.unit_of_work"
"""`Connection.info` key: a token of the unit of work the connection now serves; what
outlives the unit of work (a case's entries read on demand) checks it is still the same."""
KEEP = 4
"""Connections kept open per engine: the threads that run commands at once, typically."""


class IdleConnections:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.keep = KEEP if engine.dialect.name == "sqlite" else 0
        self._idle: list[sa.Connection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def take(self) -> sa.Connection:
        if self._pid != os.getpid():  # a forked child never uses its parent's connections
            self._idle, self._pid = [], os.getpid()
        while self.keep:
            with self._lock:
                if not self._idle:
                    break
                conn = self._idle.pop()
            if _reusable(conn):  # still as it was left (nothing ran on it since)
                return conn
            conn.close()
        return self.engine.connect()

    def give(self, conn: sa.Connection) -> None:
        """Keep the connection for the next unit of work, or close it (back to the pool)."""
        if self.keep and _reusable(conn):
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(conn)
                    return
        conn.close()

    def close_all(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            # `dispose` has already replaced the pool, so a connection closed the usual way
            # would go back to the old one and stay open (its WAL not checkpointed, the file
            # not whole for a copy): closed for good instead.
            conn.invalidate()
            conn.close()


def _reusable(conn: sa.Connection) -> bool:
    if conn.closed or conn.invalidated or conn.in_transaction():
        return False
    driver = conn.connection.driver_connection
    return driver is not None and not driver.in_transaction


_BY_ENGINE: weakref.WeakKeyDictionary[Engine, IdleConnections] = weakref.WeakKeyDictionary()
_MADE = threading.Lock()


def idle_connections(engine: Engine) -> IdleConnections:
    found = _BY_ENGINE.get(engine)
    if found is None:
        with _MADE:
            found = _BY_ENGINE.get(engine)
            if found is None:
                found = _BY_ENGINE[engine] = IdleConnections(engine)
                # `dispose` closes the pool's connections: those kept here go with them.
                event.listen(engine, "engine_disposed", lambda _e: found.close_all())
    return found
