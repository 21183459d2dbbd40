"""One lock order on PostgreSQL, the case first (engine/service/locking.py): the sweep held
between its claim and the firing while a user command on the same case runs, a user
command holding a case while the sweep runs, and eight processes of plain commands (no
expected version) and sweeps on the same few cases — no deadlock, every command succeeds
or gets a typed error, no update lost."""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

import db.uow
from db.cases import cases_t, history_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.errors import CaseflowError
from engine.domain.history import verify_chain
from engine.service.read_models import StoredTimer
from tests.integration.helpers import advance_to_payment_ordered

pytestmark = pytest.mark.postgres

WAIT = 60.0
"""Seconds a test waits for another thread before it fails (never reached when it works)."""


def _due_payment_case(app: App, clock: FixedClock) -> tuple[str, datetime]:
    case = advance_to_payment_ordered(app, clock)
    [timer] = app.queries.get_case(case.ref).timers
    return case.ref, timer.due_at + timedelta(minutes=1)


def _someone_waits_for_a_lock(app: App) -> bool:
    with app.db.connect() as conn:
        waiting = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return int(waiting) > 0


def _until(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.02)


@pytest.fixture
def pg_app(db_url: str, staffed: App) -> App:
    if not db_url.startswith("postgresql"):
        pytest.skip("lock order is a PostgreSQL matter (SQLite has one writer at a time)")
    return staffed


def _record_contention(seen: list[str]) -> None:
    """Note every deadlock, serialization failure or refused lock the database reports
    (db/uow.py turns them into DatabaseBusy, and commands retry past them — which would
    hide a deadlock from a test that only looked at the outcomes)."""
    original = db.uow.contention

    def noting(exc: BaseException) -> bool:
        found = original(exc)
        if found:
            seen.append(f"{type(exc.orig).__name__}: {exc.orig}")  # type: ignore[attr-defined]
        return found

    db.uow.contention = noting


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_user_command_during_a_held_sweep_waits_and_neither_deadlocks(
    pg_app: App, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep is held after it claimed the payment timer (its case locked) and before it
    fires it; meanwhile a user records the payment, a command that would cancel that very
    timer. The user waits at the case; the sweep, released, fires; the user's command then
    runs on the fresh case (now 未支付) — no DeadlockDetected, both done."""
    app = pg_app
    ref, after_due = _due_payment_case(app, clock)
    clock.set(after_due)
    contention: list[str] = []
    monkeypatch.setattr(db.uow, "contention", db.uow.contention)  # restored afterwards
    _record_contention(contention)
    claimed, release = threading.Event(), threading.Event()
    seen: list[Sequence[StoredTimer]] = []

    def hold(batch: Sequence[StoredTimer]) -> None:
        seen.append(batch)
        claimed.set()
        assert release.wait(WAIT)

    app.sweeper.on_claimed = hold
    outcome: dict[str, object] = {}

    def sweep() -> None:
        try:
            outcome["sweep"] = app.sweeper.sweep()
        except BaseException as exc:
            outcome["sweep"] = exc

    user_app = bootstrap(app.url, clock=clock, county="dingan")

    def pay() -> None:
        try:
            outcome["user"] = user_app.cases.fire(
                ref, "record_payment", {"amount": "1050000", "paid_on": "2026-03-14"}, actor="wang"
            )
        except CaseflowError as exc:
            outcome["user"] = exc
        except BaseException as exc:
            outcome["user"] = exc

    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    assert claimed.wait(WAIT)
    assert [t.case_ref for t in seen[0]] == [ref]
    user = threading.Thread(target=pay)
    user.start()
    _until(lambda: _someone_waits_for_a_lock(app), "the user command to wait for the case")
    release.set()
    sweeper.join(WAIT)
    user.join(WAIT)
    assert not sweeper.is_alive() and not user.is_alive()

    assert contention == []  # no DeadlockDetected, on either side
    result = outcome["sweep"]
    assert not isinstance(result, BaseException), result
    assert result.fired == 1 and result.conflicts == 0  # type: ignore[attr-defined]
    paid = outcome["user"]
    assert not isinstance(paid, BaseException) or isinstance(paid, CaseflowError), paid
    history = app.queries.history(ref)
    triggers = [e.trigger for e in history]
    assert triggers.count("payment_deadline_passed") == 1
    assert triggers.index("payment_deadline_passed") < len(triggers)
    if not isinstance(paid, CaseflowError):  # recorded after the lapse, on the fresh case
        assert triggers[-2:] == ["payment_deadline_passed", "record_payment"]
        assert history[-1].from_state == "unpaid"
    assert verify_chain(ref, history) is None
    assert app.queries.get_case(ref).case.version == len(history)
    user_app.close()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_the_sweep_passes_over_a_case_a_user_command_holds(pg_app: App, clock: FixedClock) -> None:
    """A user command in flight holds the case (locked as it loaded it, before it writes
    any timer): the sweep neither waits for it nor fires that case's timer; once the
    command ends, the next sweep fires it, once."""
    app = pg_app
    ref, after_due = _due_payment_case(app, clock)
    clock.set(after_due)
    with app.db.connect() as held:
        held.execute(sa.select(cases_t.c.id).where(cases_t.c.ref == ref).with_for_update())
        done: list[object] = []
        runner = threading.Thread(target=lambda: done.append(app.sweeper.sweep()))
        runner.start()
        runner.join(WAIT)
        assert not runner.is_alive(), "the sweep waited for the user's case"
        [first] = done
        assert first.total == 0  # type: ignore[attr-defined]
        held.rollback()
    second = app.sweeper.sweep()
    assert second.fired == 1
    assert app.sweeper.sweep().total == 0
    assert app.queries.get_case(ref).case.state == "unpaid"


# -- eight processes --------------------------------------------------------------------

PROCESSES = 8
COMMANDS = 12


def _contend(url: str, refs: list[str], now: datetime, n: int, queue: object) -> None:
    """One process: COMMANDS plain commands (no expected version) on the same few cases,
    every other process also sweeping; reports each outcome."""
    app = bootstrap(url, clock=FixedClock(now), county="dingan")
    outcomes: list[str] = []
    contention: list[str] = []
    _record_contention(contention)
    try:
        for i in range(COMMANDS):
            ref = refs[(n + i) % len(refs)]
            try:
                if i % 4 == 3 and n % 2 == 0:
                    app.sweeper.sweep()
                    outcomes.append("sweep")
                    continue
                if i % 3 == 0:
                    app.cases.fire(
                        ref,
                        "record_payment",
                        {"amount": "100000", "paid_on": "2026-03-14"},
                        actor="wang" if n % 2 else "li",
                    )
                elif i % 3 == 1:
                    app.cases.assign(ref, ["wang", "li"], actor="chen", reason=f"进程{n}")
                else:
                    app.cases.add_note(ref, f"进程{n}第{i}条", actor="wang")
                outcomes.append("ok")
            except CaseflowError as exc:
                outcomes.append(exc.code)
            except BaseException:
                outcomes.append("TRACEBACK " + traceback.format_exc())
    finally:
        app.close()
        queue.put(outcomes + [f"CONTENTION {c}" for c in contention])  # type: ignore[attr-defined]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_eight_processes_of_plain_commands_and_sweeps_lose_nothing(
    pg_app: App, clock: FixedClock
) -> None:
    app = pg_app
    cases = [_due_payment_case(app, clock) for _ in range(3)]
    refs = [ref for ref, _ in cases]
    now = max(at for _, at in cases)
    with app.db.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(history_t)).scalar_one()
        before_id = conn.execute(sa.select(sa.func.max(history_t.c.id))).scalar_one()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_contend, args=(app.url, refs, now, n, queue)) for n in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    outcomes = Counter(o for r in results for o in r)
    tracebacks = [o for o in outcomes if o.startswith(("TRACEBACK", "CONTENTION"))]
    assert tracebacks == []  # nor any deadlock the retries would have hidden
    # Typed refusals only (a payment beyond what is owed, a trigger the state no longer
    # has); never a deadlock, a lost retry or "no database".
    assert set(outcomes) - {"ok", "sweep"} <= {"GUARD_FAILED", "TRIGGER_NOT_ALLOWED"}, outcomes
    assert "DATABASE_UNAVAILABLE" not in outcomes and "DATABASE_BUSY" not in outcomes
    assert "VERSION_CONFLICT" not in outcomes  # plain commands queue at the case row

    with app.db.connect() as conn:
        after = conn.execute(sa.select(sa.func.count()).select_from(history_t)).scalar_one()
        by_sweeps = conn.execute(
            sa.select(sa.func.count())
            .select_from(history_t)
            .where(history_t.c.id > before_id, history_t.c.actor == "system")
        ).scalar_one()
        lapsed = conn.execute(
            sa.select(sa.func.count()).where(history_t.c.trigger == "payment_deadline_passed")
        ).scalar_one()
        by_people = conn.execute(
            sa.select(sa.func.count())
            .select_from(history_t)
            .where(history_t.c.id > before_id, history_t.c.actor != "system")
        ).scalar_one()
    # Every command that succeeded wrote exactly one event, and no other command any; the
    # rest are the sweeps' own (each lapse once, and the reminders or escalations that the
    # new states' timers owed).
    assert by_people == outcomes["ok"]
    assert after - before == by_people + by_sweeps
    assert lapsed <= len(refs)
    for ref in refs:
        history = app.queries.history(ref)
        assert verify_chain(ref, history) is None
        assert app.queries.get_case(ref).case.version == len(history)
        assert [e.seq for e in history] == list(range(1, len(history) + 1))
        assert [e.trigger for e in history].count("payment_deadline_passed") <= 1
    assert app.queries.verify().broken == []
