"""One case grown large: 1,000 transitions and 600 notices (送达回证 of 600 services, the
rest partial payments), and what a command on it costs at the start and at the end.

A notice stores what its templates read (engine.service.issuing.keep_used), not a copy of
the whole case data; the second run ("whole data") stores the whole copy, as before, to
show what that costs on the same case in the same run. For each, at the start (a handful of
events, one notice) and at the end (1,000 events, 600 notices):

  * `fire` (a partial payment: the case loaded, the engine deciding, the case saved) and
    `record_service` (which issues a 送达回证): median latency of 11, and the peak of memory
    allocated during one command (tracemalloc);
  * the frozen data stored by the first and by the last notice, and by all of them.

    python bench/large_case.py [--notices 600] [--transitions 1000] [--postgres URL]
                               [--only stored|whole]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import orjson
import sqlalchemy as sa

import engine.service.issuing as issuing
from db.bulk import scratch_database
from db.engine import make_engine
from db.migrate import upgrade
from db.repositories import documents_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.deadlines import LOCAL_TZ
from engine.domain.entries import plain
from engine.domain.subject import Subject

STAFF = [("admin", "admin"), ("wang", "inspector"), ("li", "inspector"), ("chen", "supervisor")]
SUBJECT = Subject.create(
    "定安县某建筑劳务有限公司", "海南省定安县定城镇见龙大道某建筑工地项目部", "91469021MA5T3XY14R"
)
FINDINGS = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "经调查，你单位承认拖欠农民工工资105万元，对其余15万元工资款存在结算争议。",
}
MIB = 1024 * 1024
SAMPLES = 11


@contextmanager
def whole_data(on: bool) -> Iterator[None]:
    """Store the whole data in every notice, as documents did before keep_used."""
    kept = issuing.keep_used
    if on:
        issuing.keep_used = lambda data, fields: plain(data)
    try:
        yield
    finally:
        issuing.keep_used = kept


class Case:
    def __init__(self, app: App, clock: FixedClock) -> None:
        self.app, self.clock = app, clock
        svc = app.cases
        self.ref = svc.open_case(
            procedure="wage_arrears", subject=SUBJECT, source="投诉", actor="wang"
        ).ref
        svc.fire(self.ref, "accept", {}, actor="wang")
        svc.assign(self.ref, ["wang", "li"], actor="chen")
        svc.fire(self.ref, "start_investigation", actor="wang")
        clock.set(clock.now() + timedelta(days=9))
        svc.fire(self.ref, "record_findings", FINDINGS, actor="li")
        svc.fire(self.ref, "order_payment", {}, actor="wang")
        [order] = app.queries.get_case(self.ref).documents
        self.order = order.id
        clock.set(clock.now() + timedelta(days=1))
        self.today = clock.now().astimezone(LOCAL_TZ).date().isoformat()

    def pay(self) -> None:
        self.app.cases.fire(
            self.ref, "record_payment", {"amount": "1", "paid_on": self.today}, actor="wang"
        )

    def serve(self) -> None:
        record = {
            "document": self.order,
            "recipient": SUBJECT.name,
            "method": "direct",
            "served_on": self.today,
            "place": SUBJECT.address,
            "signed_by": "陈某（项目负责人）",
        }
        self.app.cases.record_service(self.ref, record, actor="wang")

    def events(self) -> int:
        return len(self.app.queries.history(self.ref))


def measure(command: Callable[[], None]) -> tuple[float, float]:
    """(median seconds of SAMPLES runs, peak MiB allocated during one run)."""
    times = []
    for _ in range(SAMPLES):
        t = time.perf_counter()
        command()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    command()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / MIB


def data_sizes(app: App) -> tuple[int, int, int, int]:
    """(notices, bytes of the first's data, of the last's, of all of them)."""
    with app.db.connect() as conn:
        datas = conn.execute(sa.select(documents_t.c.data).order_by(documents_t.c.id)).scalars()
        rows = [len(orjson.dumps(d).decode()) for d in datas]  # its JSON, stored deflated on SQLite
    return len(rows), int(rows[0]), int(rows[-1]), int(sum(rows))


def run(label: str, url: str | None, notices: int, transitions: int, whole: bool) -> None:
    target, drop = scratch_database(url, "large")
    db = make_engine(target)
    upgrade(db)
    clock = FixedClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    app = bootstrap(target, clock=clock, county="dingan", engine=db)
    for k, (name, role) in enumerate(STAFF):
        app.users.add_user(
            name, role, "县劳动保障监察大队", f"{name}（测试）", actor="admin",
            cert_no=f"4690252026{k:04d}",
        )  # fmt: skip
    with whole_data(whole):
        case = Case(app, clock)
        fire0 = measure(case.pay)
        serve0 = measure(case.serve)
        start = (case.events(), data_sizes(app))
        t = time.perf_counter()
        while data_sizes(app)[0] < notices - SAMPLES - 1:
            case.serve()
        while case.events() < transitions - 2 * (SAMPLES + 1):
            case.pay()
        built = time.perf_counter() - t
        fire1 = measure(case.pay)
        serve1 = measure(case.serve)
        end = (case.events(), data_sizes(app))
    print(f"\n{label} ({'whole case data in every notice' if whole else 'what it shows'})")
    print(f"  built in {built:.1f} s; {end[0]} events, {end[1][0]} notices at the end")
    print("                     events  notices   fire ms  fire MiB  serve ms  serve MiB")
    for name, (events, sizes), f, s in (
        ("start", start, fire0, serve0),
        ("end", end, fire1, serve1),
    ):
        print(
            f"  {name:<18} {events:>6} {sizes[0]:>8} {f[0] * 1e3:>9.1f} {f[1]:>9.2f}"
            f" {s[0] * 1e3:>9.1f} {s[1]:>10.2f}"
        )
    history = app.queries.history(case.ref)
    payload_sizes = [len(orjson.dumps(dict(e.payload))) for e in history]
    pays = [z for e, z in zip(history, payload_sizes, strict=True) if e.trigger == "record_payment"]
    print(
        f"  history: {sum(payload_sizes) / MIB:.2f} MiB of payloads for {len(payload_sizes)}"
        f" events; a payment's event {pays[0]} B first, {pays[-1]} B last"
        " (a step records its patch of the data)"
    )
    n, first, last, total = end[1]
    print(
        f"  stored data: first notice {first / 1024:.1f} KiB, last {last / 1024:.1f} KiB,"
        f" all {n} notices {total / MIB:.2f} MiB"
    )
    print(
        f"  end/start: fire latency x{fire1[0] / fire0[0]:.2f}, peak x{fire1[1] / fire0[1]:.2f};"
        f" serve latency x{serve1[0] / serve0[0]:.2f}, peak x{serve1[1] / serve0[1]:.2f}"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak RSS so far: {rss:.0f} MiB")
    app.close()
    db.dispose()
    drop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--notices", type=int, default=600)
    ap.add_argument("--transitions", type=int, default=1000)
    ap.add_argument("--postgres", metavar="URL", help="run on PostgreSQL instead of SQLite")
    ap.add_argument("--only", choices=("stored", "whole"))
    args = ap.parse_args()
    label = "PostgreSQL" if args.postgres else "SQLite"
    for whole in (False, True):
        if args.only and args.only != ("whole" if whole else "stored"):
            continue
        run(label, args.postgres, args.notices, args.transitions, whole)


if __name__ == "__main__":
    main()
