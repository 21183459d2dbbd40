"""Concurrent writers are not "no database": a deadlock, a serialization failure, a lock
refused or SQLite still busy is DATABASE_BUSY (typed, retried by commands), and only a
database that cannot be reached is DATABASE_UNAVAILABLE."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer

from db.uow import contention
from engine.entrypoints.cli._common import EXIT_SYSTEM_ERROR, EXIT_USER_ERROR, reporting


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def _operational(orig: BaseException) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("UPDATE timers …", {}, orig)


@pytest.mark.parametrize("sqlstate", ["40P01", "40001", "55P03"])
def test_postgresql_contention_is_told_apart(sqlstate: str) -> None:
    assert contention(_operational(_PgError(sqlstate)))


def test_an_unreachable_server_is_not_contention() -> None:
    assert not contention(_operational(_PgError("08006")))  # connection_failure
    assert not contention(_operational(OSError("connection refused")))
    assert not contention(ValueError("not a driver error"))


def test_sqlite_busy_is_contention(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("BEGIN IMMEDIATE")
    holder.rollback()
    holder.close()
    other.close()
    assert contention(_operational(busy.value))


def _exit_of(exc: BaseException, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    with pytest.raises(typer.Exit) as done, reporting(as_json=True):
        raise exc
    return done.value.exit_code, json.loads(capsys.readouterr().out)["error"]


def test_the_cli_says_busy_not_unavailable(capsys: pytest.CaptureFixture[str]) -> None:
    code, error = _exit_of(_operational(_PgError("40P01")), capsys)
    assert (code, error["code"]) == (EXIT_USER_ERROR, "DATABASE_BUSY")
    assert "无法访问数据库" not in error["message"]
    code, error = _exit_of(_operational(_PgError("08006")), capsys)
    assert (code, error["code"]) == (EXIT_SYSTEM_ERROR, "DATABASE_UNAVAILABLE")
