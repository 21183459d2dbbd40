"""The sweep against a large backlog: 1,000,000 pending timers of which 10,000 are due.

Shows that the due-timer query uses an index (its plan is printed) and that the sweep's
time grows with the number of timers due, not with the number pending:

  * claim-query latency with 100,000 and with 1,000,000 pending timers (same 10,000 due);
  * the full sweep (every due timer fired; batches of 100, one commit per batch, written
    set-based on PostgreSQL) with 1,000 and with 10,000 due among 1,000,000 pending;
  * on PostgreSQL, 3 worker processes sweeping 9,000 due timers at once (FOR UPDATE SKIP
    LOCKED): timers/s per worker, the CPU each worker and its PostgreSQL backend spent
    per timer (the backend's read from /proc: a local server), and each timer fired
    exactly once.

    python bench/sweep.py [--postgres URL] [--sqlite] [--pending 1000000] [--due 10000]
                          [--workers 3] [--worker-due 9000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db.bulk import insert_waiting_cases, scratch_database
from db.cases import history_t
from db.engine import make_engine
from db.migrate import upgrade
from db.timers import _CLAIM, _EPOCH, timers_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
PER_CASE = 100  # pending, not-yet-due timers per backlog case
N_WORKERS = 3
WORKER_DUE = 9000


def claim_query(engine: sa.Engine) -> sa.Select[Any]:
    """The sweep's own claim query (db/timers.py): a batch of 100, from the start."""
    q = _CLAIM["due_at", engine.dialect.name == "postgresql"]
    return q.params(b_now=NOW, b_limit=100, b_since=_EPOCH, b_after=0)


def plan(engine: sa.Engine) -> str:
    sql = str(claim_query(engine).compile(engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN ANALYZE " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql).fetchall()
        conn.rollback()
    return "\n".join("    " + " ".join(str(c) for c in r) for r in rows)


def claim_latency(engine: sa.Engine, n: int = 300) -> float:
    q = claim_query(engine)
    samples = []
    with engine.connect() as conn:
        for _ in range(n):
            t = time.perf_counter()
            conn.execute(q).fetchall()
            samples.append(time.perf_counter() - t)
            conn.rollback()
    return statistics.median(samples) * 1000


def load(engine: sa.Engine, pending: int, due: int, tag: str) -> float:
    t = time.perf_counter()
    backlog_cases = max(0, (pending - due) // PER_CASE)
    insert_waiting_cases(
        engine,
        backlog_cases,
        due_at=NOW + timedelta(days=365),
        opened_at=NOW - timedelta(days=30),
        prefix=f"FUT{tag}",
        timers_per_case=PER_CASE,
        batch=200,
    )
    insert_waiting_cases(
        engine,
        due,
        due_at=NOW - timedelta(hours=1),
        opened_at=NOW - timedelta(days=8),
        prefix=f"DUE{tag}",
    )
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return time.perf_counter() - t


def count_pending(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(timers_t.c.status == "pending")
            ).scalar_one()
        )


def sweep_all(url: str, engine: sa.Engine) -> tuple[float, int]:
    app = bootstrap(url, clock=FixedClock(NOW), county="dingan", engine=engine)
    t = time.perf_counter()
    fired = app.sweeper.sweep().fired
    return time.perf_counter() - t, fired


def _backend_cpu(pid: int) -> float:
    """CPU seconds a PostgreSQL backend of a local server has used (0 if not readable)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker(url: str, start: Any, out: Any) -> None:
    engine = make_engine(url, pool_size=1)
    app = bootstrap(url, clock=FixedClock(NOW), county="dingan", engine=engine)
    with engine.connect() as conn:  # connected and warm before the start
        backend = int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
    start.wait()
    t, cpu, db_cpu = time.perf_counter(), time.process_time(), _backend_cpu(backend)
    result = app.sweeper.sweep()
    wall = time.perf_counter() - t
    cpu, db_cpu = time.process_time() - cpu, _backend_cpu(backend) - db_cpu
    out.put((result.fired, result.failed, wall, cpu, db_cpu))
    engine.dispose()


def fired_once(engine: sa.Engine) -> tuple[int, int]:
    """Events of fired payment deadlines, and the most any one case got."""
    fired = sa.select(history_t.c.case_id).where(history_t.c.trigger == "payment_deadline_passed")
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(fired.subquery()))
        n = int(total.scalar_one())
        per_case = fired.add_columns(sa.func.count().label("n")).group_by(history_t.c.case_id)
        most = conn.execute(sa.select(sa.func.max(per_case.subquery().c.n))).scalar_one()
    return n, int(most or 0)


def workers(url: str, engine: sa.Engine, n_workers: int, due: int) -> None:
    """`n_workers` processes sweep the same `due` timers at once."""
    before, _ = fired_once(engine)
    insert_waiting_cases(
        engine,
        due,
        due_at=NOW - timedelta(hours=1),
        opened_at=NOW - timedelta(days=8),
        prefix="WRK",
    )
    ctx = mp.get_context("fork")
    start = ctx.Barrier(n_workers)
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, start, out)) for _ in range(n_workers)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    fired, most = fired_once(engine)
    total = sum(r[0] for r in results)
    wall = max(r[2] for r in results)
    print(f"  {n_workers} workers, {due:,} due at once:")
    for i, (n, failed, secs, cpu, db_cpu) in enumerate(results, 1):
        print(
            f"    worker {i}: fired {n:,} in {secs:.2f} s = {n / secs:,.0f} timers/s"
            f" ({failed} failed); CPU per timer: worker {cpu / n * 1000:.3f} ms,"
            f" its PostgreSQL backend {db_cpu / n * 1000:.3f} ms"
        )
    print(
        f"    together {total:,} in {wall:.2f} s = {total / wall:,.0f} timers/s; "
        f"fired events {fired - before:,} for {due:,} timers, at most {most} per case"
        + (" — each exactly once" if fired - before == due == total and most == 1 else " — WRONG")
    )
    if total:
        # A worker and its backend take turns (one waits for the other's answer), so the
        # pairs together run on at most the cores this process may use: a bound on their
        # sum (one worker may run faster while another waits on a lock or the disk).
        cpu_per_timer = sum(r[3] + r[4] for r in results) / total
        cores = (
            len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        ) or 1
        ceiling = min(cores, n_workers) / cpu_per_timer
        print(
            f"    CPU per timer, worker and its backend: {cpu_per_timer * 1000:.3f} ms; on"
            f" {cores} cores the {n_workers} workers together can fire at most about"
            f" {ceiling:,.0f} timers/s here ({ceiling / n_workers:,.0f} a worker on average;"
            " a remote server's backend CPU is not counted)"
        )


def bench(
    label: str,
    url: str | None,
    pending: int,
    due: int,
    n_workers: int = N_WORKERS,
    worker_due: int = WORKER_DUE,
) -> None:
    print(f"\n== {label}")
    db_url, drop = scratch_database(url, "sweep")
    try:
        engine = make_engine(db_url)
        upgrade(engine)
        # Step 1: 100,000 pending (same number due) — claim latency and plan.
        small = pending // 10
        secs = load(engine, small, due, "A")
        print(f"  loaded {count_pending(engine):,} pending timers ({due:,} due) in {secs:.0f} s")
        lat_small = claim_latency(engine)
        print(f"  claim query, {small:,} pending: median {lat_small:.3f} ms")
        # Step 2: grow the backlog to 1,000,000 pending (still the same due ones).
        secs = load(engine, pending - small, 0, "B")
        print(f"  grew to {count_pending(engine):,} pending timers in {secs:.0f} s")
        lat_big = claim_latency(engine)
        print(
            f"  claim query, {pending:,} pending: median {lat_big:.3f} ms  "
            f"(×{lat_big / lat_small:.2f} for ×{pending / small:.0f} pending)"
        )
        print("  plan of the due-timer query:")
        print(plan(engine))
        # Step 3: sweep the 10,000 due, then a run with a tenth as many due.
        t_big, fired_big = sweep_all(db_url, engine)
        print(
            f"  sweep: fired {fired_big:,} of {pending:,} pending in {t_big:.1f} s "
            f"({fired_big / t_big:.0f} timers/s)"
        )
        insert_waiting_cases(
            engine,
            due // 10,
            due_at=NOW - timedelta(hours=1),
            opened_at=NOW - timedelta(days=8),
            prefix="DUEC",
        )
        t_small, fired_small = sweep_all(db_url, engine)
        print(
            f"  sweep: fired {fired_small:,} of {count_pending(engine) + fired_small:,} pending"
            f" in {t_small:.1f} s ({fired_small / t_small:.0f} timers/s)"
        )
        print(
            f"  → ×{fired_big / fired_small:.0f} due costs ×{t_big / t_small:.1f} time; "
            f"×{pending / small:.0f} pending costs ×{lat_big / lat_small:.2f} per claim"
        )
        if engine.dialect.name == "postgresql" and n_workers:
            workers(db_url, engine, n_workers, worker_due)
        engine.dispose()
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("CASEFLOW_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite", action="store_true", help="also run on SQLite")
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=N_WORKERS, help="0: skip that step")
    parser.add_argument("--worker-due", type=int, default=WORKER_DUE)
    args = parser.parse_args()
    if args.postgres:
        bench("PostgreSQL", args.postgres, args.pending, args.due, args.workers, args.worker_due)
    if args.sqlite or not args.postgres:
        bench("SQLite", None, args.pending, args.due)


if __name__ == "__main__":
    main()
