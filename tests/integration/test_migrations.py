"""The Alembic migrations build exactly the schema the SQLModel tables declare."""

from __future__ import annotations

from datetime import timedelta

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
from db.timer_ids import timer_id
from db.timers import timers_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
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
    search finds the same cases at 0014 and at the head, and keeps finding new ones."""
    from db.name_search import FTS_BATCH, MARK

    names = [open_complaint(staffed).ref for _ in range(3)]
    found = staffed.queries.search(CaseQuery(text="建筑劳务")).total
    assert found == len(names)
    sqlite = staffed.db.dialect.name == "sqlite"
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0014")
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


def _paid_twice(app: App, clock: FixedClock) -> str:
    case = advance_to_payment_ordered(app, clock)
    clock.set(clock.now() + timedelta(days=1))
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    for _ in range(2):
        app.cases.fire(case.ref, "record_payment", {"amount": "1", "paid_on": today}, actor="wang")
    return case.ref


def test_migration_0014_keeps_every_timer_and_entry_both_ways(
    staffed: App, clock: FixedClock
) -> None:
    """Timers and entry lists written at the head survive a downgrade to 0013 and the
    upgrade back, row for row (SQLite renumbers the timers both ways: at 0013 1, 2, … in
    id order, which keeps each case's in the order they started; back at the head the same
    ids as before), and a timer written at 0013 (an id SQLite picked) is keyed by its case
    at the head."""
    paid = _paid_twice(staffed, clock)
    other = open_complaint(staffed)
    sqlite = staffed.db.dialect.name == "sqlite"
    board = [(r.case_ref, r.timer) for r in staffed.board.all_rows()]
    assert staffed.integrity.verify().ok
    timers = "SELECT * FROM timers ORDER BY case_id, id"
    entries = 'SELECT * FROM case_entries ORDER BY case_id, "key", seq'
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        before = conn.exec_driver_sql(timers).all(), conn.exec_driver_sql(entries).all()
        assert len(before[0]) == 5 and len(before[1]) == 2
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013")
        old = conn.exec_driver_sql(timers).all()
        assert [r[1:] for r in old] == [r[1:] for r in before[0]]
        assert conn.exec_driver_sql(entries).all() == before[1]
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("timers")}
        assert "ix_timers_case_id" in indexes
        if sqlite:
            assert [r[0] for r in old] == list(range(1, len(old) + 1))
            ddl: dict[str, str] = dict(
                conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all()
            )
            assert "WITHOUT ROWID" not in ddl["case_entries"]
            assert "ck_timers_id_in_case" not in ddl["timers"]
            # a timer of the first case written after the other's, as 0013 numbers it
            cols = ", ".join(f'"{c.name}"' for c in timers_t.c if c.name not in ("id", "name"))
            conn.exec_driver_sql(
                f"INSERT INTO timers (name, {cols}) SELECT 'late', {cols} FROM timers WHERE id = 1"
            )
        command.upgrade(cfg, "head")
        after = conn.exec_driver_sql(timers).all()
        assert [r for r in after if r[2] != "late"] == before[0]
        assert conn.exec_driver_sql(entries).all() == before[1]
        if sqlite:
            case_id = before[0][0][1]
            n = sum(r[1] == case_id for r in before[0])
            assert [r[0] for r in after if r[2] == "late"] == [timer_id(case_id, n + 1)]
            ddl = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
            assert (
                "WITHOUT ROWID" in ddl["case_entries"] and "ck_timers_id_in_case" in ddl["timers"]
            )
            assert "ix_timers_case_id" not in ddl
            conn.execute(sa.delete(timers_t).where(timers_t.c.name == "late"))
    assert [(r.case_ref, r.timer) for r in staffed.board.all_rows()] == board
    assert staffed.integrity.verify().ok
    staffed.cases.fire(other.ref, "accept", {"summary": "受理"}, actor="wang")  # writes on
    assert [t.state for t in staffed.queries.get_case(other.ref).timers] == ["accepted"]
    assert staffed.queries.get_case(paid).case.data["payments"] is not None
    assert staffed.integrity.verify().ok
