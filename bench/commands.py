"""Commands (transitions) per second through the engine vs a raw SQLAlchemy Core floor.

N wage-arrears cases go through the whole path (open, accept, assign, start investigation,
findings, payment order with its numbered notice, full payment, close), one committed
transaction per command. Every statement the engine sends to the driver is recorded with its
parameters, per transaction, and replayed through SQLAlchemy's `Connection.exec_driver_sql` on
a fresh database: the floor makes exactly the same writes (and reads) through SQLAlchemy,
with none of the engine's work (domain rules, Machine, payload validation, hashing, deadline
arithmetic, rendering, mapping rows to objects).

    python bench/commands.py [--cases 2000] [--postgres URL] [--no-sqlite]

Prints transitions/s for both (engine and floor alternate in chunks of 50 cases, so both
meet the same machine load), their ratio, p50/p99 latency and the process RSS as the
number of open cases grows (it should stay flat: cases are rows, not objects in memory).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from db.bulk import scratch_database
from db.engine import make_engine
from db.migrate import upgrade
from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap
from engine.domain.subject import Subject

STAFF = [("admin", "admin"), ("wang", "inspector"), ("li", "inspector"), ("chen", "supervisor")]
SUBJECT = Subject("定安县某建筑劳务有限公司", "定安县定城镇", "91469021MA5T3XY14R")
FINDINGS = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "72名农民工被拖欠工资",
}


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Run:
    label: str
    latencies: list[float]
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))] * 1000


class Recorder:
    """Collects each committed transaction's statements and parameters as they reached the
    driver (SQL text and processed parameters: the engine runs its hot statements on the
    driver's cursor, db/fast.py), one chunk of cases at a time."""

    def __init__(self, engine: sa.Engine) -> None:
        self.chunk: list[list[tuple[str, Any, bool]]] = []
        self.current: list[tuple[str, Any, bool]] = []
        event.listen(engine, "before_cursor_execute", self._stmt)
        event.listen(engine, "commit", self._commit)

    def _stmt(
        self, conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
    ) -> None:
        self.current.append((sql, params, many))

    def _commit(self, conn: Any) -> None:
        if self.current:
            self.chunk.append(self.current)
        self.current = []

    def take(self) -> list[list[tuple[str, Any, bool]]]:
        chunk, self.chunk = self.chunk, []
        return chunk


def one_case(svc: Any, clock: FixedClock, i: int, timed: Callable[..., None]) -> None:
    ref = ""

    def open_case() -> None:
        nonlocal ref
        ref = svc.cases.open_case(
            procedure="wage_arrears", subject=SUBJECT, source="投诉", actor="wang"
        ).ref

    timed(open_case)
    timed(lambda: svc.cases.fire(ref, "accept", {}, actor="wang"))
    timed(lambda: svc.cases.assign(ref, ["wang", "li"], actor="chen"))
    timed(lambda: svc.cases.fire(ref, "start_investigation", actor="wang"))
    timed(lambda: svc.cases.fire(ref, "record_findings", FINDINGS, actor="li"))
    timed(lambda: svc.cases.fire(ref, "order_payment", {}, actor="wang"))
    timed(
        lambda: svc.cases.fire(
            ref, "record_payment", {"amount": "1050000", "paid_on": "2026-03-10"}, actor="li"
        )
    )
    if i % 2:  # half the cases stay open, to show memory does not grow with them
        timed(lambda: svc.cases.fire(ref, "close", {"summary": "已支付"}, actor="chen"))
    clock.set(clock.now() + timedelta(seconds=7))


def replay(conn: sa.Connection, chunk: list[list[tuple[str, Any, bool]]], lat: list[float]) -> None:
    """The recorded statements again, through SQLAlchemy's `exec_driver_sql`."""
    for tx in chunk:
        t = time.perf_counter()
        with conn.begin():
            for sql, params, many in tx:
                conn.exec_driver_sql(sql, params if many else (params or ()))
        lat.append(time.perf_counter() - t)


def run_pair(
    eng_url: str, floor_url: str, n: int, sync: str | None, chunk_cases: int = 50
) -> tuple[Run, Run, list[tuple[int, float]]]:
    """Engine and floor alternate chunk by chunk, so both meet the same machine load."""
    db = make_engine(eng_url, sqlite_synchronous=sync)
    upgrade(db)
    floor_db = make_engine(floor_url, sqlite_synchronous=sync)
    upgrade(floor_db)
    clock = FixedClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    app = bootstrap(eng_url, clock=clock, county="dingan", engine=db)
    svc = app
    for k, (name, role) in enumerate(STAFF):
        # documents print each officer's full name and 执法证号: the staff have both
        svc.users.add_user(
            name,
            role,
            "县劳动保障监察大队",
            f"{name}（测试）",
            actor="admin",
            cert_no=f"4690252026{k:04d}",
        )
    recorder = Recorder(db)
    with floor_db.connect() as conn:
        replay(conn, recorder.take(), [])  # the same users, outside the timed part
    eng_lat: list[float] = []
    floor_lat: list[float] = []
    rss: list[tuple[int, float]] = []
    eng_secs = floor_secs = 0.0

    def timed(fn: Callable[[], object]) -> None:
        t = time.perf_counter()
        fn()
        eng_lat.append(time.perf_counter() - t)

    with floor_db.connect() as conn:
        for first in range(0, n, chunk_cases):
            t = time.perf_counter()
            for i in range(first, min(n, first + chunk_cases)):
                one_case(svc, clock, i, timed)
            eng_secs += time.perf_counter() - t
            chunk = recorder.take()
            t = time.perf_counter()
            replay(conn, chunk, floor_lat)
            floor_secs += time.perf_counter() - t
            done = min(n, first + chunk_cases)
            if done % max(chunk_cases, n // 4) == 0 or done == n:
                rss.append((done, rss_mib()))
    assert app.registry.latest("wage_arrears").machine.models == [], "Machine must hold no case"
    db.dispose()
    floor_db.dispose()
    return Run("engine", eng_lat, eng_secs), Run("core floor", floor_lat, floor_secs), rss


def bench(label: str, url: str | None, n: int, sync: str | None = None) -> None:
    eng_url, drop_e = scratch_database(url, "bench")
    floor_url, drop_f = scratch_database(url, "bench")
    try:
        eng, floor, rss = run_pair(eng_url, floor_url, n, sync)
    finally:
        drop_e()
        drop_f()
    print(
        f"\n== {label}: {n} cases, {len(eng.latencies)} transitions "
        "(one committed transaction each)"
    )
    for run in (eng, floor):
        print(
            f"  {run.label:<11} {run.rate:8.0f} transitions/s   p50 {run.pct(0.5):6.2f} ms"
            f"   p99 {run.pct(0.99):6.2f} ms"
        )
    print(f"  ratio engine/floor: {eng.rate / floor.rate:.2f}")
    print(
        "  RSS as open cases grow: "
        + ", ".join(f"{k} cases {v:.0f} MiB" for k, v in rss)
        + f"; peak {peak_rss_mib():.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("CASEFLOW_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        bench(
            "SQLite, WAL, synchronous=FULL (the default: durable commits)", None, args.cases, "FULL"
        )
        bench(
            "SQLite, WAL, synchronous=NORMAL (CASEFLOW_SQLITE_SYNCHRONOUS=NORMAL)",
            None,
            args.cases,
            "NORMAL",
        )
    if args.postgres:
        bench("PostgreSQL", args.postgres, args.cases)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set CASEFLOW_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
