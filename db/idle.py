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

import contextlib
import os
import threading
from collections import deque

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

IN_UNIT = "caseflow.unit_of_work"
"""`Connection.info` key: a token of the unit of work the connection now serves; what
outlives the unit of work (a case's entries read on demand) checks it is still the same."""
_GENERATION = "caseflow.idle_generation"
_ATTRIBUTE = "_caseflow_idle_connections"
KEPT = "caseflow.kept"
"""`Connection.info` key: set while the connection waits here, outside any unit of work
(the tests fail a statement run on it then: tests/conftest.py)."""
KEEP = 4
"""Connections kept open per engine: the threads that run commands at once, typically."""
KEEP_IN_ALL = 8
"""Connections kept open in the process, of every engine. A connection kept is checked out
of its pool, and SQLAlchemy holds a checked-out connection's pool (and so its engine) until
it is returned: an engine dropped without `dispose` (a script's, a test's) is freed once its
connections have given way to newer ones."""


class IdleConnections:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.keep = KEEP if engine.dialect.name == "sqlite" else 0
        self._idle: list[sa.Connection] = []
        self._pid = os.getpid()
        self._generation = 0
        """Moved on by `dispose`: a connection taken before it is not kept after it."""

    def take(self) -> sa.Connection:
        if self._pid != os.getpid():  # a forked child never uses its parent's connections
            with _LOCK:
                for conn in self._idle:
                    _discard(conn)
                self._idle, self._pid = [], os.getpid()
        while self.keep:
            with _LOCK:
                if not self._idle:
                    break
                conn = self._idle.pop()
                _discard(conn)
            if _reusable(conn):  # still as it was left (nothing ran on it since)
                conn.info.pop(KEPT, None)
                return conn
            _back_to_pool(conn)
        conn = self.engine.connect()
        conn.info[_GENERATION] = self._generation
        return conn

    def give(self, conn: sa.Connection) -> None:
        """Keep the connection for the next unit of work, or close it (back to the pool).
        One with execution options of its own (SQLAlchemy sets them on the connection
        itself, e.g. a streamed read's ``yield_per``) is not kept: the next unit of work
        would inherit them."""
        if conn.info.get(_GENERATION) != self._generation:  # taken before a `dispose`
            _close_for_good(conn)
            return
        if (
            self.keep
            and _reusable(conn)
            and conn.get_execution_options() == self.engine.get_execution_options()
        ):
            with _LOCK:
                if len(self._idle) < self.keep:
                    conn.info[KEPT] = True
                    self._idle.append(conn)
                    _RECENT.append(conn)
                    if len(_RECENT) <= KEEP_IN_ALL:
                        return
                    conn = _RECENT.popleft()  # the least recently kept, of any engine
                    owner = _owner(conn)
                    if owner is not None:
                        owner._idle.remove(conn)
        _back_to_pool(conn)

    def close_all(self) -> None:
        """On `dispose`: the kept connections closed, and those in use not kept after."""
        with _LOCK:
            idle, self._idle = self._idle, []
            self._generation += 1
            for conn in idle:
                _discard(conn)
        for conn in idle:
            _close_for_good(conn)


def _close_for_good(conn: sa.Connection) -> None:
    """`dispose` has already replaced the pool, so a connection closed the usual way would
    go back to the old one and stay open (its WAL not checkpointed, the file not whole for
    a copy): closed for good instead."""
    if not conn.closed:
        conn.info.pop(KEPT, None)
        conn.invalidate()
        conn.close()


def _back_to_pool(conn: sa.Connection) -> None:
    """Closed the usual way; ``info`` is the pooled connection's own, so the flag goes."""
    if not conn.closed:
        conn.info.pop(KEPT, None)
        conn.close()


def _reusable(conn: sa.Connection) -> bool:
    if conn.closed or conn.invalidated or conn.in_transaction():
        return False
    driver = conn.connection.driver_connection
    return driver is not None and not driver.in_transaction


_LOCK = threading.Lock()
"""Guards every engine's kept connections and `_RECENT`."""
_RECENT: deque[sa.Connection] = deque()
"""Every kept connection, least recently kept first: at most `KEEP_IN_ALL`."""
_MADE = threading.Lock()


def _discard(conn: sa.Connection) -> None:
    with contextlib.suppress(ValueError):  # not there after a fork
        _RECENT.remove(conn)


def _owner(conn: sa.Connection) -> IdleConnections | None:
    found: IdleConnections | None = getattr(conn.engine, _ATTRIBUTE, None)
    return found


def idle_connections(engine: Engine) -> IdleConnections:
    """The engine's kept connections (held by the engine itself, an attribute)."""
    found: IdleConnections | None = getattr(engine, _ATTRIBUTE, None)
    if found is None:
        with _MADE:
            found = getattr(engine, _ATTRIBUTE, None)
            if found is None:
                found = IdleConnections(engine)
                setattr(engine, _ATTRIBUTE, found)
                # `dispose` closes the pool's connections: those kept here go with them.
                event.listen(engine, "engine_disposed", _on_dispose)
    return found


def _on_dispose(engine: Engine) -> None:
    found: IdleConnections | None = getattr(engine, _ATTRIBUTE, None)
    if found is not None:
        found.close_all()
