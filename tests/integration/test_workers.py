"""Several workers sweeping one database fire every due timer exactly once, and a worker
killed mid-sweep loses nothing. PostgreSQL: separate processes (`caseflow tick`) with
FOR UPDATE SKIP LOCKED; SQLite: threads, serialised by its write lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from db.bulk import insert_waiting_cases
from db.cases import cases_t, history_t
from db.engine import make_engine
from db.timers import timers_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from tests.conftest import truncate_pg

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
TICK = "from engine.entrypoints.cli import main; main()"


def _fired_counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        fired = conn.execute(
            sa.select(sa.func.count()).where(history_t.c.trigger == "payment_deadline_passed")
        ).scalar_one()
        per_case_max: int | None = conn.execute(
            sa.select(sa.func.max(sa.literal_column("n"))).select_from(
                sa.select(sa.func.count().label("n"))
                .where(history_t.c.trigger == "payment_deadline_passed")
                .group_by(history_t.c.case_id)
                .subquery()
            )
        ).scalar_one()
        pending = conn.execute(
            sa.select(sa.func.count()).where(timers_t.c.status == "pending")
        ).scalar_one()
    return int(fired), int(per_case_max or 0), int(pending)


def _tick(url: str, batch: int | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "CASEFLOW_COUNTY": "dingan"}
    more = ["--batch", str(batch)] if batch else []
    return subprocess.Popen(
        [sys.executable, "-c", TICK, "--db", url, "tick", "--json", *more],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.postgres
def test_three_worker_processes_fire_10000_timers_exactly_once(pg_database: str) -> None:
    truncate_pg(pg_database)
    engine = make_engine(pg_database)
    insert_waiting_cases(
        engine, 10_000, due_at=NOW - timedelta(hours=1), opened_at=NOW - timedelta(days=8)
    )
    victim = _tick(pg_database)
    workers = [_tick(pg_database) for _ in range(3)]
    time.sleep(2.0)
    victim.send_signal(signal.SIGKILL)  # killed mid-sweep: its open transaction rolls back
    victim.communicate(timeout=30)
    results = []
    for w in workers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
        results.append(json.loads(out))
    # Whatever the killed worker had not committed is still there for the next sweep.
    last = _tick(pg_database)
    out, err = last.communicate(timeout=600)
    assert last.returncode == 0, err
    results.append(json.loads(out))

    fired, per_case_max, pending = _fired_counts(engine)
    assert fired == 10_000
    assert per_case_max == 1
    assert pending == 0
    assert all(r["failed"] == 0 for r in results)
    assert sum(r["fired"] for r in results) <= 10_000  # the victim's share makes up the rest
    assert sum(1 for r in results[:3] if r["fired"] > 0) >= 2  # the work was shared
    app = bootstrap(pg_database, clock=FixedClock(NOW), county="dingan")
    assert app.queries.verify().broken == []
    app.close()
    engine.dispose()


@pytest.mark.postgres
def test_a_worker_killed_mid_batch_commits_whole_batches_only(pg_database: str) -> None:
    """A batch commits once: killed while it fires a batch, the worker leaves only whole
    batches fired; three workers (their own batch sizes) then fire the rest exactly once."""
    truncate_pg(pg_database)
    engine = make_engine(pg_database)
    insert_waiting_cases(
        engine, 3000, due_at=NOW - timedelta(hours=1), opened_at=NOW - timedelta(days=8)
    )
    victim = _tick(pg_database, batch=250)
    deadline = time.monotonic() + 120
    while _fired_counts(engine)[0] < 250 and time.monotonic() < deadline:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)  # mid-sweep: most likely mid-batch
    victim.communicate(timeout=30)
    fired_by_victim = _fired_counts(engine)[0]
    assert 250 <= fired_by_victim < 3000
    assert fired_by_victim % 250 == 0  # the batch it was in committed nothing
    workers = [_tick(pg_database, batch=b) for b in (1, 37, 100)]
    results = []
    for w in workers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
        results.append(json.loads(out))
    assert _fired_counts(engine) == (3000, 1, 0)
    assert sum(r["fired"] for r in results) == 3000 - fired_by_victim
    assert all(r["failed"] == 0 and r["conflicts"] == 0 for r in results)
    app = bootstrap(pg_database, clock=FixedClock(NOW), county="dingan")
    assert app.queries.verify().broken == []
    app.close()
    engine.dispose()


KILLED_IN_A_WRITE = """
import os, signal, sys
from datetime import datetime
import sqlalchemy as sa
from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap

app = bootstrap(sys.argv[1], clock=FixedClock(datetime.fromisoformat(sys.argv[2])), county="dingan")
batches = 0

@sa.event.listens_for(app.db, "before_cursor_execute")
def _kill(conn, cursor, sql, params, context, many):
    global batches
    if sql.startswith("INSERT INTO history") and "json_populate_recordset" in sql:
        batches += 1
        if batches == 3:  # the third batch's cases are written, its events not yet
            os.kill(os.getpid(), signal.SIGKILL)

app.sweeper.sweep(batch=100)
"""


@pytest.mark.postgres
def test_a_worker_killed_while_it_writes_a_batch_set_based_commits_none_of_it(
    pg_database: str,
) -> None:
    """Killed between the statements that write a batch (db/batch_writes.py): its cases'
    compare-and-sets done, their events not yet, nothing of that batch is committed; three
    workers then fire the rest exactly once and every case file verifies."""
    truncate_pg(pg_database)
    engine = make_engine(pg_database)
    insert_waiting_cases(
        engine, 1000, due_at=NOW - timedelta(hours=1), opened_at=NOW - timedelta(days=8)
    )
    victim = subprocess.Popen(
        [sys.executable, "-c", KILLED_IN_A_WRITE, pg_database, NOW.isoformat()],
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = victim.communicate(timeout=120)
    assert victim.returncode == -signal.SIGKILL, err
    assert _fired_counts(engine) == (200, 1, 800)  # two whole batches, not the third
    with engine.connect() as conn:
        moved = conn.execute(sa.select(sa.func.count()).where(cases_t.c.version > 1)).scalar_one()
    assert moved == 200  # no case row of the third batch without its event
    workers = [_tick(pg_database, batch=b) for b in (1, 37, 100)]
    results = []
    for w in workers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
        results.append(json.loads(out))
    assert _fired_counts(engine) == (1000, 1, 0)
    assert sum(r["fired"] for r in results) == 800
    app = bootstrap(pg_database, clock=FixedClock(NOW), county="dingan")
    assert app.queries.verify().broken == []
    app.close()
    engine.dispose()


def test_threads_sweeping_one_database_fire_each_timer_once(app: App, clock: FixedClock) -> None:
    insert_waiting_cases(
        app.db, 300, due_at=NOW - timedelta(hours=1), opened_at=NOW - timedelta(days=8)
    )
    clock.set(NOW)
    others = [bootstrap(app.url, clock=clock, county="dingan") for _ in range(2)]
    counts: list[int] = []
    lock = threading.Lock()

    def run(a: App) -> None:
        n = a.sweeper.sweep().fired
        with lock:
            counts.append(n)

    threads = [threading.Thread(target=run, args=(a,)) for a in (app, *others)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sum(counts) == 300
    assert _fired_counts(app.db) == (300, 1, 0)
    assert app.queries.verify().broken == []
    for a in others:
        a.db.dispose()
