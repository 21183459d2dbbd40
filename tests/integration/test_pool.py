"""PostgreSQL connections are checked only after sitting idle (no `SELECT 1` per command),
and a pooled connection the server dropped meanwhile is replaced, not handed to a command."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import db.engine
from db.engine import make_engine


@pytest.mark.postgres
def test_no_ping_in_steady_use_and_a_dropped_idle_connection_replaced(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_database, pool_size=1, max_overflow=0)
    pings: list[str] = []
    real_ping = engine.dialect.do_ping

    def ping(dbapi_conn: object) -> bool:
        pings.append("ping")
        return real_ping(dbapi_conn)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.dialect, "do_ping", ping)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for _ in range(5):
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1 AS command"))
    assert pings == []  # in steady use: one statement per command, no ping
    assert statements.count("SELECT 1 AS command") == 5
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        conn.rollback()
    admin = make_engine(pg_database)
    with admin.begin() as conn:  # the server (a restart, a firewall) drops the idle one
        conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    admin.dispose()
    monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_SECONDS", 0.0)
    with engine.begin() as conn:  # checked, found dead, replaced: the command works
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid
    assert pings == ["ping"]
    engine.dispose()
