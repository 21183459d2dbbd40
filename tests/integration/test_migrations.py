"""The Alembic migrations build exactly the schema the SQLModel tables declare."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.engine import make_engine
from db.migrate import alembic_config
from db.name_search import is_index_table
from db.tables import (
    METADATA,
    POSTGRES_ONLY_CONSTRAINTS,
    POSTGRES_ONLY_INDEXES,
    SQLITE_ONLY_INDEXES,
)
from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.service.read_models import CaseQuery
from tests.integration.helpers import advance_to_payment_ordered, open_complaint


def test_migrations_match_the_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    postgres = engine.dialect.name == "postgresql"

    def include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        if kind == "table" and is_index_table(name):
            return False  # SQLite's FTS5 name index and its shadow tables
        if kind == "unique_constraint" and not postgres and name in POSTGRES_ONLY_CONSTRAINTS:
            return False
        other_only = SQLITE_ONLY_INDEXES if postgres else POSTGRES_ONLY_INDEXES
        return not (kind == "index" and name in other_only)

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        diff = compare_metadata(context, METADATA)
    engine.dispose()
    assert diff == []


def test_migration_0012_downgrades_and_upgrades_again(db_url: str) -> None:
    """0012 is reversible: back to 0011 (SQLite: the open-deadline index, case_assignees
    with a rowid, the FTS5 table with its size table) and forward again."""
    engine = make_engine(db_url)
    sqlite = engine.dialect.name == "sqlite"
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("timers")}
        assert "ix_timers_open_due" in indexes and "ix_timers_held_due" not in indexes
        if sqlite:
            tables: dict[str, str] = dict(
                conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all()
            )
            assert "WITHOUT ROWID" not in tables["case_assignees"]
            assert "cases_fts_docsize" in tables
        command.upgrade(cfg, "head")
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("timers")}
        assert ("ix_timers_held_due" in indexes) is sqlite
        assert ("ix_timers_open_due" in indexes) is not sqlite
        if sqlite:
            tables = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
            assert "WITHOUT ROWID" in tables["case_assignees"]
            assert "cases_fts_docsize" not in tables
    engine.dispose()


def test_migration_0012_keeps_the_cases_both_ways(staffed: App, clock: FixedClock) -> None:
    """Cases written at the head survive a downgrade to 0011 and the upgrade back: their
    histories, assignees, documents and board, and `verify` finds nothing (SQLite renumbers
    the events both ways: at 0011 in the order they were written)."""
    case = advance_to_payment_ordered(staffed, clock)
    other = open_complaint(staffed).ref
    before = {ref: staffed.queries.history(ref) for ref in (case.ref, other)}
    board = [(r.case_ref, r.timer) for r in staffed.board.all_rows()]
    html = [n.document.html for n in staffed.documents.notices(case.ref)]
    assert staffed.integrity.verify().ok
    cfg = alembic_config()
    events = "SELECT id, case_id, seq, hash FROM history ORDER BY at, case_id, seq"
    with staffed.db.begin() as conn:
        rows = conn.exec_driver_sql(events).all()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
        old = conn.exec_driver_sql(events).all()
        assert [r[1:] for r in old] == [r[1:] for r in rows]
        if staffed.db.dialect.name == "sqlite":
            assert [r[0] for r in old] == list(range(1, len(rows) + 1))
        command.upgrade(cfg, "head")
        assert conn.exec_driver_sql(events).all() == rows
    assert {ref: staffed.queries.history(ref) for ref in before} == before
    assert [(r.case_ref, r.timer) for r in staffed.board.all_rows()] == board
    assert [n.document.html for n in staffed.documents.notices(case.ref)] == html
    assert staffed.queries.search(CaseQuery(inspector="li")).total == 1
    assert staffed.integrity.verify().ok
    staffed.cases.fire(other, "accept", {}, actor="wang")  # the step writes on after it
    assert len(staffed.queries.history(other)) == len(before[other]) + 1
    assert staffed.integrity.verify().ok


def test_migration_0015_downgrades_and_upgrades_again(staffed: App) -> None:
    """0015 is reversible: the tail goes into the FTS5 index on the way down (the per-row
    triggers need it complete), and the mark is set to the last case on the way up; the name
    search finds the same cases at 0013 and at the head, and keeps finding new ones."""
    from db.name_search import FTS_BATCH, MARK

    names = [open_complaint(staffed).ref for _ in range(3)]
    found = staffed.queries.search(CaseQuery(text="建筑劳务")).total
    assert found == len(names)
    sqlite = staffed.db.dialect.name == "sqlite"
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013")
        tables = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master" if sqlite else "SELECT tablename FROM pg_tables"
            )
        }
        assert MARK not in tables
        if sqlite:
            fts = "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"建筑劳务\"'"
            assert conn.exec_driver_sql(fts).scalar_one() == len(names)
        command.upgrade(cfg, "head")
        if sqlite:
            assert conn.exec_driver_sql(f"SELECT up_to FROM {MARK}").scalar_one() == len(names)
    assert staffed.queries.search(CaseQuery(text="建筑劳务")).total == len(names)
    more = [open_complaint(staffed).ref for _ in range(FTS_BATCH + 1)]
    assert staffed.queries.search(CaseQuery(text="建筑劳务", per_page=200)).total == len(
        names
    ) + len(more)
