"""SQLite units of work reuse the last few connections (db/idle.py): the next command takes
the same `Connection`, one left in a transaction or closed is never handed out, `dispose`
closes those kept, and PostgreSQL's always go back to the pool (its idle ping)."""

from __future__ import annotations

import gc
import sqlite3
import weakref
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.engine import make_engine
from db.idle import _RECENT, IN_UNIT, KEEP, KEEP_IN_ALL, KEPT, idle_connections
from db.migrate import upgrade
from db.uow import SqlUnitOfWork
from engine.bootstrap import App
from tests.integration.helpers import open_complaint


def _conn_of(engine: sa.Engine, readonly: bool = False) -> sa.Connection:
    with SqlUnitOfWork(engine, readonly=readonly) as uow:
        assert uow.conn is not None
        conn = uow.conn
        assert conn.info[IN_UNIT] is not None
        uow.commit()
    return conn


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    e = make_engine(f"sqlite:///{tmp_path / 'idle.db'}")
    upgrade(e)
    return e


def test_the_next_unit_of_work_takes_the_same_connection(engine: sa.Engine) -> None:
    first = _conn_of(engine)
    assert not first.closed and IN_UNIT not in first.info and "readonly" not in first.info
    assert _conn_of(engine) is first
    with SqlUnitOfWork(engine, readonly=True) as outer:  # two at once: the second another
        inner = _conn_of(engine, readonly=True)
        assert outer.conn is first and inner is not first
    kept = idle_connections(engine)
    assert len(kept._idle) == 2
    engine.dispose()  # closes those kept with the pool's
    assert first.closed and inner.closed and kept._idle == []


def test_a_connection_used_after_its_unit_of_work_is_not_handed_out(engine: sa.Engine) -> None:
    stale = _conn_of(engine)
    stale.info.pop(KEPT)  # as in production, where no test hook refuses the statement
    stale.execute(sa.text("SELECT 1"))  # autobegins a transaction outside any unit of work
    fresh = _conn_of(engine)
    assert fresh is not stale and stale.closed
    closed = _conn_of(engine)
    closed.close()
    assert _conn_of(engine) is not closed


def test_at_most_keep_connections_are_kept(engine: sa.Engine) -> None:
    units = [SqlUnitOfWork(engine, readonly=True) for _ in range(KEEP + 2)]
    conns = [u.__enter__().conn for u in units]
    for u in units:
        u.__exit__(None, None, None)
    assert len(idle_connections(engine)._idle) == KEEP
    assert sum(c is not None and c.closed for c in conns) == 2


def test_commands_reuse_it_and_lazy_entries_read_on_their_own(staffed: App) -> None:
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    kept = idle_connections(staffed.db)
    if staffed.db.dialect.name == "postgresql":
        assert kept.keep == 0 and kept._idle == []  # the pool (and its idle ping) decides
    else:
        assert len(kept._idle) >= 1
        assert all(not c.in_transaction() for c in kept._idle)


def test_dispose_closes_those_kept_so_the_file_alone_is_whole(
    engine: sa.Engine, tmp_path: Path
) -> None:
    """A template database copied file by file (tests, backups) must not leave its last
    writes in a WAL that a kept connection still holds open."""
    _conn_of(engine)
    engine.dispose()
    assert not (tmp_path / "idle.db-wal").exists()
    copy = tmp_path / "copy.db"
    copy.write_bytes((tmp_path / "idle.db").read_bytes())
    with sqlite3.connect(copy) as raw:
        tables = raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'cases'")
        assert tables.fetchone() == (1,)


def test_engines_nobody_disposes_are_freed_as_newer_ones_keep(tmp_path: Path) -> None:
    """A kept connection is checked out of its pool, which pins its engine: at most
    KEEP_IN_ALL are kept in the process, so an engine dropped without `dispose` is freed
    (its connections, their files, with it) once newer engines' connections have taken its place."""
    gones = []
    for i in range(KEEP_IN_ALL + 2):
        engine = make_engine(f"sqlite:///{tmp_path / f'e{i}.db'}")
        upgrade(engine)
        kept = _conn_of(engine)
        gones.append(weakref.ref(engine))
        del engine, kept
    gc.collect()
    assert [g() is None for g in gones[:2]] == [True, True]
    assert len(_RECENT) <= KEEP_IN_ALL


def test_a_connection_with_its_own_execution_options_is_not_kept(engine: sa.Engine) -> None:
    with SqlUnitOfWork(engine, readonly=True) as uow:
        assert uow.conn is not None
        streamed = uow.conn.execution_options(yield_per=10)  # set on the connection itself
    assert streamed.closed
    assert _conn_of(engine).get_execution_options() == engine.get_execution_options()


def test_one_in_use_during_dispose_is_not_kept_after(engine: sa.Engine, tmp_path: Path) -> None:
    with SqlUnitOfWork(engine) as uow:
        in_use = uow.conn
        engine.dispose()  # e.g. App.close() while a request finishes
        uow.commit()
    assert in_use is not None and in_use.closed
    assert idle_connections(engine)._idle == []
    assert not (tmp_path / "idle.db-wal").exists()


def test_a_statement_on_a_kept_connection_fails_the_tests(engine: sa.Engine) -> None:
    kept = _conn_of(engine)
    with pytest.raises(AssertionError, match="kept between units of work"):
        kept.execute(sa.text("SELECT 1"))
    kept.rollback()


def test_a_connection_given_way_goes_back_to_its_pool_unflagged(tmp_path: Path) -> None:
    """One kept, then given way to newer engines' (KEEP_IN_ALL): the pool hands it out
    again to a plain `connect`, which runs its statements as any other."""
    first = make_engine(f"sqlite:///{tmp_path / 'first.db'}")
    upgrade(first)
    _conn_of(first)
    others = [make_engine(f"sqlite:///{tmp_path / f'o{i}.db'}") for i in range(KEEP_IN_ALL)]
    for other in others:
        upgrade(other)
        _conn_of(other)
    assert idle_connections(first)._idle == []
    with first.connect() as conn:
        assert KEPT not in conn.info
        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one() == 0
    for engine in (first, *others):
        engine.dispose()
