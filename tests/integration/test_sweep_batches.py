"""The sweep's set-based batches on PostgreSQL (db/batch_writes.py) write exactly what firing
the timers one by one writes: the same case rows, the same history (events, hashes), the
same timers closed, ended and started, the same notifications. Every procedure's tours
leave cases part-way, then the clock runs on through reminders, escalations and expiries
(guards that fail and are escalated, several timers of one case due in one batch,
transitions that start timers), swept in small batches."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db.batch_writes import BatchWrites
from db.bulk import BulkCase, insert_cases
from db.engine import make_engine
from db.uow import SqlUnitOfWork
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.deadlines import LOCAL_TZ
from engine.domain.errors import CaseflowError
from engine.service.ports import AbstractUnitOfWork
from engine.service.sweep import SweepResult
from tests.conftest import truncate_pg
from tests.integration.helpers import advance_to_payment_ordered
from tests.shared import START, add_staff
from tests.unit.workflows._harness import SUBJECT, actor_for
from tests.unit.workflows._payloads import example
from tests.unit.workflows.tours import TOURS, Step

TABLES = ("cases", "history", "timers", "notifications", "case_assignees", "case_entries")
DAYS = (1, 2, 3, 4, 6, 8, 11, 15, 20, 30, 45, 62, 80, 100, 130, 200, 400)
"""Days after the start at which the sweep runs (late ones: several windows at once)."""


def _open_cases(url: str, clock: FixedClock) -> None:
    """Every Ding'an tour followed to a third and to two thirds of its steps, no time
    passing (so the cases' windows are still to run); and payment orders partly paid."""
    app = bootstrap(url, clock=clock, county="dingan")
    add_staff(app)
    for procedure, tours in sorted(TOURS.items()):
        for tour in tours:
            if getattr(tour, "county", "dingan") != "dingan":
                continue
            steps = [Step(s) if isinstance(s, str) else s for s in tour]
            for cut in {len(steps) // 3, 2 * len(steps) // 3}:
                case = app.cases.open_case(
                    procedure=procedure, subject=SUBJECT, source="测试", actor="wang"
                )
                app.cases.assign(case.ref, ["wang", "li"], actor="chen")
                for step in steps[:cut]:
                    _fire(app, case.ref, procedure, step, clock)
    for _ in range(6):  # payment orders partly paid: an entry list (case_entries) each
        clock.set(START)
        ref = advance_to_payment_ordered(app, clock).ref
        today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
        for amount in ("1", "2"):
            payment = {"amount": amount, "paid_on": today}
            app.cases.fire(ref, "record_payment", payment, actor="wang")
    clock.set(START)
    app.close()


def _fire(app: App, ref: str, procedure: str, step: Step, clock: FixedClock) -> None:
    decl = app.context.registry.latest(procedure).triggers[step.trigger][0]
    today = clock.now().astimezone(LOCAL_TZ).date()
    payload = example(decl.payload, today, **step.payload) if decl.payload else None
    with contextlib.suppress(CaseflowError):  # a step the cut-off tour is not ready for
        app.cases.fire(ref, step.trigger, payload, actor=step.actor or actor_for(decl.roles))


def _run(url: str) -> tuple[dict[str, list[Any]], SweepResult]:
    truncate_pg(url)
    clock = FixedClock(START)
    _open_cases(url, clock)
    app = bootstrap(url, clock=clock, county="dingan")
    total = SweepResult()
    for days in DAYS:
        clock.set(START + timedelta(days=days))
        done = app.sweeper.sweep(batch=7)
        for f in ("fired", "escalated", "reminders", "failed", "conflicts"):
            setattr(total, f, getattr(total, f) + getattr(done, f))
    assert app.queries.verify().broken == []
    app.close()
    engine = make_engine(url)
    rows: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in TABLES:
            # Serial ids apart: a batch undone and redone one by one used some up (or not).
            got = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2")).mappings()
            rows[table] = [
                {k: v for k, v in r.items() if k != "id" or table == "cases"} for r in got
            ]
    engine.dispose()
    return rows, total


@pytest.mark.postgres
def test_batches_write_what_one_by_one_writes(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    original = BatchWrites.write

    def counting(self: BatchWrites) -> None:
        written.append(len(self.held.cases))
        original(self)

    monkeypatch.setattr(BatchWrites, "write", counting)
    batched, batched_result = _run(pg_database)
    assert max(written) > 1  # several cases written by one statement

    monkeypatch.setattr(SqlUnitOfWork, "batch", AbstractUnitOfWork.batch)
    written.clear()
    one_by_one, one_by_one_result = _run(pg_database)
    assert written == []

    assert batched_result == one_by_one_result
    assert batched_result.fired and batched_result.escalated and batched_result.reminders
    for table in TABLES:
        assert batched[table] == one_by_one[table], table


def _two_deadline_cases(engine: sa.Engine, n: int) -> None:
    """Cases with two payment deadlines due: the first to fire ends the other."""
    due = START - timedelta(hours=1)
    cases = [
        BulkCase(
            ref=f"TWO-{i:03d}",
            opened_at=START - timedelta(days=8),
            subject="测试建筑劳务有限公司",
            unit="县劳动保障监察大队",
            assignees=["wang"],
            timers=[(due, False), (due + timedelta(minutes=1), False)],
        )
        for i in range(n)
    ]
    insert_cases(engine, cases)


@pytest.mark.parametrize("batched", [True, False])
def test_a_timer_ended_by_another_of_its_case_in_the_batch_is_left_alone(
    staffed: App, monkeypatch: pytest.MonkeyPatch, batched: bool
) -> None:
    """(It was escalated as overdue, on both paths, and counted as failed.) On SQLite the
    two variants are the same: it writes one timer after the other either way."""
    if not batched:
        monkeypatch.setattr(SqlUnitOfWork, "batch", AbstractUnitOfWork.batch)
    _two_deadline_cases(staffed.db, 5)
    result = staffed.sweeper.sweep(batch=100)
    assert (result.fired, result.escalated, result.failed, result.conflicts) == (5, 0, 0, 0)
    with staffed.db.connect() as conn:
        statuses = conn.execute(
            sa.text("SELECT status, count(*) FROM timers GROUP BY status ORDER BY 1")
        ).all()
        kinds = conn.execute(sa.text("SELECT kind, count(*) FROM history GROUP BY kind")).all()
    assert [tuple(r) for r in statuses] == [("cancelled", 5), ("fired", 5)]
    assert sorted(tuple(r) for r in kinds) == [("fired", 5), ("opened", 5)]
    assert staffed.queries.verify().broken == []
