"""The command path's statements on the driver's cursor (db/fast.py) read and write exactly
what SQLAlchemy Core would: aware datetimes, JSON, booleans; errors keep their types."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from db.cases import _CASE_COLUMNS, _case_with_timers, history_t
from db.event_ids import event_id
from db.fast import Prepared, insert_rows
from db.timers import SqlTimerRepository
from db.uow import SqlUnitOfWork
from engine.bootstrap import App
from engine.domain.errors import VersionConflict
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from tests.integration.helpers import open_complaint


def test_a_prepared_read_equals_cores(staffed: App) -> None:
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    read = _case_with_timers(staffed.db.dialect.name)
    q = Prepared(read)
    with staffed.db.connect() as conn:
        core = [dict(r) for r in conn.execute(read, {"b_ref": case.ref}).mappings()]
        raw = q.rows(conn, {"b_ref": case.ref})
        fast = [q.processed(conn, r) for r in raw]
        first = q.first(conn, {"b_ref": case.ref})
        head = q.processed(conn, raw[0], 0, _CASE_COLUMNS)
        assert q.first(conn, {"b_ref": "WA1999-0001"}) is None
        assert q.rows(conn, {"b_ref": "WA1999-0001"}) == []
    assert fast == core and first == core[0]
    # the case with its running timer (the investigation's), not the registration's: it
    # ended with the state the case left
    assert len(core) == 1 and core[0]["t_state"] == "accepted"
    assert head == {k: v for k, v in core[0].items() if not k.startswith("t_")}
    assert head["opened_at"].utcoffset() is not None  # aware, as Core returns it
    assert isinstance(head["data"], dict) and isinstance(head["overdue"], bool)
    assert isinstance(fast[0]["t_paused"], bool) and fast[0]["t_due_at"].utcoffset() is not None


def test_a_missing_parameter_is_an_error_not_a_null(staffed: App) -> None:
    with staffed.db.connect() as conn, pytest.raises(KeyError, match="b_ref"):
        Prepared(_case_with_timers(staffed.db.dialect.name)).first(conn, {})


def test_a_duplicate_event_raises_sqlalchemys_integrity_error(staffed: App) -> None:
    case = open_complaint(staffed)
    [event] = staffed.queries.history(case.ref)
    keys = [c.key for c in history_t.c if not c.primary_key]
    row: dict[str, object] = {k: None for k in keys} | {
        "case_id": case.id,
        "seq": event.seq,  # taken: (case_id, seq) is unique
        "at": event.at,
        "actor": "wang",
        "kind": "note",
        "payload": {},
        "reason": "",
        "prev_hash": event.hash,
        "hash": "0" * 64,
    }
    rows = [row, {**row, "seq": event.seq + 1}]
    if staffed.db.dialect.name == "sqlite":  # the id is the (case, seq) key: the PK refuses
        keys = ["id", *keys]
        rows = [{**r, "id": event_id(case.id or 0, int(str(r["seq"])))} for r in rows]
    with staffed.db.connect() as conn, pytest.raises(IntegrityError):
        insert_rows(conn, history_t, keys, rows)
    with staffed.db.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(history_t)).scalar_one()
    assert n == 1  # nothing half-written


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_refuses_an_event_whose_id_is_not_its_case_and_seq(staffed: App) -> None:
    """SQLite's events are keyed by case_id × 2**24 + seq (db/event_ids.py): a row written
    without that id (SQLite would pick the next free rowid) is refused by the CHECK."""
    case = open_complaint(staffed)
    later = open_complaint(staffed)  # holds the highest rowid
    assert case.id is not None and later.id is not None
    [event] = staffed.queries.history(case.ref)
    with staffed.db.connect() as conn:
        stored = list(conn.execute(sa.select(history_t.c.id).order_by(history_t.c.id)).scalars())
        assert stored == [case.id * 2**24 + event.seq, event_id(later.id, 1)]
        keys = [c.key for c in history_t.c if not c.primary_key]
        row = {k: None for k in keys} | {
            "case_id": case.id,
            "seq": event.seq + 1,
            "at": event.at,
            "actor": "wang",
            "kind": "note",
            "payload": {},
            "reason": "",
            "prev_hash": event.hash,
            "hash": "0" * 64,
        }
        with pytest.raises(IntegrityError, match="ck_history_id_is_case_seq"):
            insert_rows(conn, history_t, keys, [row])
    with pytest.raises(ValueError):
        event_id(case.id, 2**24)


def test_a_stale_step_is_a_conflict_and_writes_nothing(staffed: App) -> None:
    """The one-statement step (SQLite's case_steps trigger, PostgreSQL's writable CTE)
    keeps the compare-and-set: a case saved since it was loaded is refused, whole."""
    ref = open_complaint(staffed).ref
    with staffed.context.uow() as uow:
        stale = uow.cases.get(ref)
    staffed.cases.add_note(ref, "先写的备注", actor="wang")
    before = staffed.queries.get_case(ref).case
    event = stale.add_note("后写的备注", Actor("wang", Role.INSPECTOR), staffed.clock.now())
    with staffed.context.uow() as uow, pytest.raises(VersionConflict):
        uow.cases.save(stale, stale.version, [event])
    after = staffed.queries.get_case(ref).case
    assert (after.version, after.last_hash, after.data) == (
        before.version,
        before.last_hash,
        before.data,
    )
    events = staffed.queries.history(ref)
    assert len(events) == before.last_seq and events[-1].hash == before.last_hash


def test_a_step_writes_the_indexed_columns_only_when_they_change(staffed: App) -> None:
    ref = open_complaint(staffed).ref
    staffed.cases.fire(ref, "accept", {"summary": "受理"}, actor="wang")
    staffed.cases.assign(ref, ["wang", "li"], actor="chen")
    case = staffed.queries.get_case(ref).case
    assert case.state == "accepted" and case.assignees == ["wang", "li"]
    assert case.version == 3 and case.last_seq == 3 and case.closed_at is None
    events = staffed.queries.history(ref)
    assert [e.seq for e in events] == [1, 2, 3] and events[-1].hash == case.last_hash


def _flow(app: App) -> int:
    case = open_complaint(app)
    app.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    app.cases.assign(case.ref, ["wang", "li"], actor="chen")
    app.cases.fire(case.ref, "start_investigation", actor="wang")
    assert case.id is not None
    return case.id


def test_timer_writes_carried_by_the_step_are_stored_as_written_alone(
    staffed: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the step carries a command's timer writes (db/case_steps.py): the rows it
    stores are byte for byte those the timer statements of their own store."""
    carried = _flow(staffed)
    init = SqlTimerRepository.__init__

    def alone(self: SqlTimerRepository, conn: sa.Connection) -> None:
        init(self, conn)
        self.deferring = False

    monkeypatch.setattr(SqlTimerRepository, "__init__", alone)
    written = _flow(staffed)
    q = sa.text("SELECT * FROM timers WHERE case_id = :c ORDER BY id")
    with staffed.db.connect() as conn:
        rows = {
            c: [dict(r) for r in conn.execute(q, {"c": c}).mappings()] for c in (carried, written)
        }
    for r in (*rows[carried], *rows[written]):
        del r["id"], r["case_id"]
    assert rows[carried] == rows[written]
    assert [r["status"] for r in rows[carried]] == ["cancelled", "cancelled", "pending"]
    assert rows[carried][0]["closed_at"] is not None and rows[carried][-1]["remind_at"]


def test_a_case_read_knows_its_running_timers_and_those_of_its_state(staffed: App) -> None:
    """The case's read brings its running timers and every timer of its current state;
    the others (of the states it left) are read from their table when asked for."""
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    with SqlUnitOfWork(staffed.db) as uow:
        uow.cases.get(case.ref)
        timers = uow.timers
        assert [t.state for t in timers.for_case(case.ref)] == ["accepted"]
        assert [t.status for t in timers.of_state(case.ref, "accepted")] == ["pending"]
        left = timers.of_state(case.ref, "registered")  # not read with the case
        assert [str(t.status) for t in left] == ["cancelled"]
        every = timers.for_case(case.ref, pending_only=False)
        assert sorted(t.state for t in every) == ["accepted", "registered"]


def test_timestamps_are_stored_and_read_on_sqlite_as_sqlalchemy_would() -> None:
    """UTCDateTime's own SQLite processors (db/tables.py) store and read the same text and
    the same aware instants as the type's generic steps around SQLAlchemy's DATETIME."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy.dialects.sqlite import pysqlite
    from sqlalchemy.types import TypeDecorator

    from db.tables import UTCDateTime

    dialect = pysqlite.dialect()
    t: Any = UTCDateTime().dialect_impl(dialect)  # as a statement's compiled form holds it
    impl = t.impl_instance
    impl_bind: Any = impl.bind_processor(dialect)
    fast_bind: Any = t.bind_processor(dialect)
    fast_result: Any = t.result_processor(dialect, None)
    generic_bind: Any = TypeDecorator.bind_processor(t, dialect)
    generic_result: Any = TypeDecorator.result_processor(t, dialect, None)
    assert generic_bind is not None and generic_result is not None
    cst = timezone(timedelta(hours=8))
    for at in (
        datetime(2026, 3, 2, 9, 30, tzinfo=cst),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1999, 1, 1, 0, 0, 0, 1, tzinfo=cst),
    ):
        text = generic_bind(at)
        assert fast_bind(at) == text == impl_bind(at.astimezone(UTC).replace(tzinfo=None))
        assert fast_result(text) == generic_result(text) == at
        assert fast_result(text).tzinfo is UTC
    assert fast_bind(None) is None and fast_result(None) is None
    with pytest.raises(ValueError, match="naive"):
        fast_bind(datetime(2026, 3, 2))
