"""SQLite: a timer's id is keyed by its case (db/timer_ids.py, migration 0014), so a case's
timers are a rowid range and no index on timers.case_id is written or needed. Every writer
supplies the id; a row without it is refused; every read by case is a range, not a scan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from db import case_steps
from db.board import board_page
from db.cases import SqlCaseRepository
from db.integrity import SqlIntegrityReader
from db.tables import TIMERS_PER_CASE
from db.timer_ids import timer_id
from db.timers import SqlTimerRepository, timers_t
from db.uow import SqlUnitOfWork
from engine.bootstrap import App
from engine.deadlines import Deadline
from engine.deadlines.periods import Period, Unit
from engine.domain.decision import TimerRequest
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.service.read_models import BoardQuery
from tests.integration.helpers import open_complaint

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _timer_ids(app: App, case_id: int) -> list[int]:
    first = case_id * TIMERS_PER_CASE
    with app.db.connect() as conn:
        return list(
            conn.execute(
                sa.select(timers_t.c.id)
                .where(timers_t.c.id > first, timers_t.c.id < first + TIMERS_PER_CASE)
                .order_by(timers_t.c.id)
            ).scalars()
        )


def _plan(conn: sa.Connection, sql: str, params: object = ()) -> str:
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()  # type: ignore[arg-type]
    return "\n".join(str(r[-1]) for r in rows)


def test_each_cases_timers_are_numbered_in_the_order_they_started(staffed: App) -> None:
    """Two cases' commands interleaved: each case's timers are n = 1, 2, … of its own."""
    a, b = open_complaint(staffed), open_complaint(staffed)
    assert a.id is not None and b.id is not None
    for ref in (a.ref, b.ref):
        staffed.cases.fire(ref, "accept", {"summary": "受理"}, actor="wang")
    staffed.cases.assign(a.ref, ["wang", "li"], actor="chen")
    staffed.cases.fire(a.ref, "start_investigation", actor="wang")
    assert _timer_ids(staffed, a.id) == [timer_id(a.id, n) for n in (1, 2, 3)]
    assert _timer_ids(staffed, b.id) == [timer_id(b.id, n) for n in (1, 2)]
    assert [t.state for t in staffed.queries.get_case(a.ref).timers] == ["investigating"]


def test_a_timer_written_by_a_statement_of_its_own_takes_its_cases_next_number(
    staffed: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timer repository's own INSERT (when no step carries the write) numbers it as
    the step does."""
    init = SqlTimerRepository.__init__

    def alone(self: SqlTimerRepository, conn: sa.Connection) -> None:
        init(self, conn)
        self.deferring = False

    monkeypatch.setattr(SqlTimerRepository, "__init__", alone)
    a, b = open_complaint(staffed), open_complaint(staffed)
    assert a.id is not None and b.id is not None
    staffed.cases.fire(a.ref, "accept", {"summary": "受理"}, actor="wang")
    assert _timer_ids(staffed, a.id) == [timer_id(a.id, 1), timer_id(a.id, 2)]
    assert _timer_ids(staffed, b.id) == [timer_id(b.id, 1)]


def test_several_timers_started_in_one_step_take_consecutive_numbers(staffed: App) -> None:
    """The step's one INSERT of several rows (the trigger) numbers each row after the
    case's last timer, in the order they were started."""
    case = open_complaint(staffed)
    assert case.id is not None
    now = staffed.clock.now()
    requests = [
        TimerRequest(
            name=f"extra_{i}",
            label=f"附加期限{i}",
            state=case.state,
            on_expiry=None,
            period=Period(i + 1, Unit.DAYS),
            basis="测试",
            started_at=now,
            deadline=Deadline(date(2027, 1, 10 + i), now + timedelta(days=i + 1), False, False),
            reminders=(),
        )
        for i in range(3)
    ]
    with SqlUnitOfWork(staffed.db) as uow:
        loaded = uow.cases.get(case.ref)
        for request in requests:
            uow.timers.start(loaded, request)
        event = loaded.add_note("三个期限", Actor("wang", Role.INSPECTOR), now)
        uow.cases.save(loaded, loaded.version, [event])
        uow.commit()
    ids = _timer_ids(staffed, case.id)
    assert ids == [timer_id(case.id, n) for n in (1, 2, 3, 4)]
    with staffed.db.connect() as conn:
        names = conn.execute(sa.select(timers_t.c.name).order_by(timers_t.c.id)).scalars().all()
    assert names[1:] == ["extra_0", "extra_1", "extra_2"]


def test_sqlite_refuses_a_timer_whose_id_is_not_keyed_by_its_case(staffed: App) -> None:
    """A timer row written without the encoded id (SQLite would pick the next free rowid)
    or with another case's is refused by the CHECK."""
    case, later = open_complaint(staffed), open_complaint(staffed)
    assert case.id is not None and later.id is not None
    with staffed.db.connect() as conn:
        row = dict(
            conn.execute(sa.select(timers_t).where(timers_t.c.case_id == case.id)).one()._mapping
        )
        for bad in (None, timer_id(later.id, 2), case.id * TIMERS_PER_CASE):
            with pytest.raises(IntegrityError, match="ck_timers_id_in_case"):
                conn.execute(sa.insert(timers_t), [{**row, "id": bad}])
            conn.rollback()
    with pytest.raises(ValueError):
        timer_id(case.id, TIMERS_PER_CASE)


def test_the_reads_of_a_cases_timers_search_its_rowid_range(staffed: App) -> None:
    """No read of timers by case scans the table (there is no case_id index on SQLite):
    the command's case read, the step's cancellation and next id, the board of one case,
    verify's batches."""
    case = open_complaint(staffed)
    assert case.id is not None
    with staffed.db.connect() as conn:
        plans = []
        trigger = case_steps.sqlite_ddl()[1]
        for statement in re.findall(
            r"^  (UPDATE timers .*?|INSERT INTO timers .*?);$", trigger, re.M
        ):
            plans.append(_plan(conn, re.sub(r"NEW\.(\w+)", r"1", statement)))
        assert len(plans) == 2
        recorded: list[tuple[str, object]] = []

        def record(*args: object) -> None:
            recorded.append((str(args[2]), args[3]))

        sa.event.listen(conn, "before_cursor_execute", record)
        timers = SqlTimerRepository(conn)
        SqlCaseRepository(conn, timers).get(case.ref)
        timers.for_case(case.ref, pending_only=False)
        board_page(conn, BoardQuery(case=case.ref), staffed.clock.now())
        next(SqlIntegrityReader(conn).case_batches(100))
        sa.event.remove(conn, "before_cursor_execute", record)
        plans += [_plan(conn, sql, params) for sql, params in recorded if "timers" in sql]
    for plan in plans:
        assert "SCAN timers" not in plan, plan
    assert all("timers USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in p for p in plans[:5])
