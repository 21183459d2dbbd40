"""caseflow against its peers on one wage-arrears case: a SQLAlchemy Core floor and
SpiffWorkflow, interleaved in one run.

The case: open, accept, assign two inspectors, start the investigation, record the
findings, order payment (numbered order, payment deadline); then every odd case is paid
and closed, every even one stays unpaid and its deadline passes through the timer sweep.

* caseflow: through its public service API (engine/bootstrap.py), every command one
  committed transaction, the sweep as the worker runs it;
* the floor: SQLAlchemy Core making only the minimal writes on its own three tables — the
  case compare-and-set (state, version), the event row, the deadline row — statements built
  once, one transaction per command, the sweep claiming due deadline rows;
* SpiffWorkflow 3.2 running the same procedure as BPMN (bench/wage_arrears.bpmn, the
  payment deadline a timer boundary event): the workflow loaded from its row, the task run,
  the workflow serialised back (compare-and-set on a version) per step; its sweep loads the
  workflows whose timer is due and refreshes them.

Each engine first runs one warm-up case, its figures dropped (what an engine does once per
instance is set-up, like its schema). The three (on SQLite each with synchronous=NORMAL and
with FULL, six databases) run chunk by chunk (50 cases each) in rotating order in one run,
so they meet the same load on a shared machine; the paired ratios are per chunk. Printed per
backend: cases/s, p50/p99 per command, statements (cursor executions, counted with a
`before_cursor_execute` listener) and transactions per command and per case, WAL pages and
bytes written per case on SQLite (automatic checkpoints off during the run; the WAL's frames
counted by a checkpoint after each chunk, outside the timed part; bytes are frames × (page
size + the 24-byte frame header), so a page-size change shows), and caseflow's RSS as open
cases grow.

    python bench/peers.py [--cases 2000] [--postgres URL] [--no-sqlite] [--sync FULL,NORMAL]
                          [--only caseflow,floor,spiff] [--trace]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.bulk import scratch_database
from db.engine import make_engine
from db.migrate import upgrade
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.subject import Subject

HERE = Path(__file__).resolve().parent
BPMN = HERE / "wage_arrears.bpmn"
START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
STEP = timedelta(seconds=7)  # simulated time between two cases
PAST_DEADLINE = timedelta(days=60)  # the sweep runs this long after a chunk's cases
PAYMENT_DAYS = 30  # the floor's and Spiff's payment deadline (caseflow counts its own)
STAFF = [  # login, role, full name, 执法证号 (the documents print both)
    ("admin", "admin", "", ""),
    ("wang", "inspector", "王明", "HN-0001"),
    ("li", "inspector", "李华", "HN-0002"),
    ("chen", "supervisor", "陈刚", "HN-0003"),
]
SUBJECT = Subject("定安县某建筑劳务有限公司", "定安县定城镇", "91469021MA5T3XY14R")
FINDINGS = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "72名农民工被拖欠工资",
}
PAYMENT = {"amount": "1050000", "paid_on": "2026-03-02"}
"""Paid on the first day of the run: on or after the order, not after the day it is recorded."""
COMMANDS = (
    "open",
    "accept",
    "assign",
    "start_investigation",
    "record_findings",
    "order_payment",
    "record_payment",
    "close",
    "sweep",
)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class Stats:
    """What one engine did: time and latency per command, statements and transactions."""

    name: str
    seconds: float = 0.0
    cases: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statements: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    transactions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wal_frames: int = 0
    wal_bytes: int = 0
    """What those frames added to the `-wal` file: each frame is a page and its 24-byte header."""
    chunk_rates: list[float] = field(default_factory=list)
    sync: str = ""
    traced: dict[str, list[str]] = field(default_factory=dict)
    """The SQL of each command's latest run (``--trace``)."""

    def commands(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class Meter:
    """Counts the statements (cursor executions) and commits an engine sends."""

    def __init__(self, engine: sa.Engine) -> None:
        self.statements = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._stmt)
        event.listen(engine, "commit", self._commit)

        self.trace: list[str] | None = None
        """When a list: the SQL of every statement sent (``--trace``)."""

    def _stmt(self, _conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        self.statements += 1
        if self.trace is not None:
            self.trace.append(" ".join(sql.split()))

    def _commit(self, *_: Any) -> None:
        self.commits += 1


class Peer:
    """One engine under test on its own database."""

    name = ""

    def __init__(self, url: str, sync: str | None, clock: FixedClock) -> None:
        self.clock = clock
        self.db = make_engine(url, sqlite_synchronous=sync)
        self.sqlite = self.db.dialect.name == "sqlite"
        if self.sqlite:
            # The WAL is counted after each chunk (outside the timed part), so no automatic
            # checkpoint may reset it in between.
            event.listen(self.db, "connect", _no_autocheckpoint)
        self.meter = Meter(self.db)
        self.stats = Stats(self.name)
        self.page_size = 0
        """The database's page size, read with the WAL's frames (WAL bytes = frames × (it + 24))."""

    @contextmanager
    def command(self, name: str) -> Iterator[None]:
        s0, c0 = self.meter.statements, self.meter.commits
        trace = self.meter.trace
        t0 = len(trace) if trace is not None else 0
        t = time.perf_counter()
        yield
        self.stats.latencies[name].append(time.perf_counter() - t)
        self.stats.statements[name] += self.meter.statements - s0
        self.stats.transactions[name] += self.meter.commits - c0
        if trace is not None:  # the statements of the command's latest run
            self.stats.traced[name] = trace[t0:]
            del trace[:]

    def run_case(self, i: int) -> None:
        raise NotImplementedError

    def sweep(self) -> int:
        raise NotImplementedError

    def wal_frames(self) -> int:
        """Frames in the WAL since the last call (checkpointed; the next commit starts the
        WAL again from its beginning, overwriting it in place, as it does in production
        after an automatic checkpoint — the WAL is never truncated there, and a commit that
        has to grow the file pays for the file's size in its fsync under
        synchronous=FULL)."""
        if not self.sqlite:
            return 0
        raw = self.db.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA wal_checkpoint(PASSIVE)")  # TRUNCATE would report 0 frames
            row = cur.fetchone()
            assert row is not None
            busy, frames, _done = row
            assert busy == 0, "checkpoint blocked"
            cur.execute("PRAGMA page_size")
            self.page_size = int(cur.fetchone()[0])  # type: ignore[index]
            cur.execute("PRAGMA wal_checkpoint(RESTART)")
            cur.close()
        finally:
            raw.close()
        return int(frames)

    def close(self) -> None:
        self.db.dispose()


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.close()


# -- caseflow ---------------------------------------------------------------------------


class Caseflow(Peer):
    name = "caseflow"

    def __init__(self, url: str, sync: str | None, clock: FixedClock) -> None:
        super().__init__(url, sync, clock)
        upgrade(self.db)
        self.app: App = bootstrap(url, clock=clock, county="dingan", engine=self.db)
        for name, role, full, cert in STAFF:
            self.app.users.add_user(
                name, role, "县劳动保障监察大队", full, actor="admin", cert_no=cert
            )

    def run_case(self, i: int) -> None:
        cases = self.app.cases
        with self.command("open"):
            ref = cases.open_case(
                procedure="wage_arrears", subject=SUBJECT, source="投诉", actor="wang"
            ).ref
        with self.command("accept"):
            cases.fire(ref, "accept", {}, actor="wang")
        with self.command("assign"):
            cases.assign(ref, ["wang", "li"], actor="chen")
        with self.command("start_investigation"):
            cases.fire(ref, "start_investigation", actor="wang")
        with self.command("record_findings"):
            cases.fire(ref, "record_findings", FINDINGS, actor="li")
        with self.command("order_payment"):
            cases.fire(ref, "order_payment", {}, actor="wang")
        if i % 2:
            with self.command("record_payment"):
                cases.fire(ref, "record_payment", PAYMENT, actor="li")
            with self.command("close"):
                cases.fire(ref, "close", {"summary": "已支付"}, actor="chen")

    def sweep(self) -> int:
        return self.app.sweeper.sweep().fired

    def close(self) -> None:
        machine = self.app.registry.latest("wage_arrears").machine
        assert machine.models == [], "the Machine must hold no case"
        super().close()


# -- the SQLAlchemy Core floor ----------------------------------------------------------

floor_md = sa.MetaData()
f_cases = sa.Table(
    "f_cases",
    floor_md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ref", sa.String(40), nullable=False, unique=True),
    sa.Column("state", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
f_events = sa.Table(
    "f_events",
    floor_md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("f_cases.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("trigger", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.UniqueConstraint("case_id", "seq"),
)
f_deadlines = sa.Table(
    "f_deadlines",
    floor_md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("f_cases.id"), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("pending", sa.Boolean, nullable=False),
    sa.Index(
        "ix_f_deadlines_due",
        "due_at",
        sqlite_where=sa.text("pending"),
        postgresql_where=sa.text("pending"),
    ),
)
_F_OPEN = sa.insert(f_cases).returning(f_cases.c.id)
_F_CAS = (
    sa.update(f_cases)
    .where(f_cases.c.id == sa.bindparam("b_id"), f_cases.c.version == sa.bindparam("b_v"))
    .values(state=sa.bindparam("b_state"), version=sa.bindparam("b_v") + 1)
)
_F_EVENT = sa.insert(f_events)
_F_DEADLINE = sa.insert(f_deadlines)
_F_STOP = (
    sa.update(f_deadlines)
    .where(f_deadlines.c.case_id == sa.bindparam("b_case"), f_deadlines.c.pending)
    .values(pending=False)
)
_F_DUE = (
    sa.select(f_deadlines.c.id, f_deadlines.c.case_id)
    .where(f_deadlines.c.pending, f_deadlines.c.due_at <= sa.bindparam("b_now"))
    .order_by(f_deadlines.c.due_at)
    .limit(1)
)
_F_CLOSE_DEADLINE = (
    sa.update(f_deadlines).where(f_deadlines.c.id == sa.bindparam("b_id")).values(pending=False)
)


class Floor(Peer):
    name = "floor"

    def __init__(self, url: str, sync: str | None, clock: FixedClock) -> None:
        super().__init__(url, sync, clock)
        floor_md.create_all(self.db)
        self.versions: dict[int, int] = {}
        self.due = _F_DUE.with_for_update(skip_locked=True) if not self.sqlite else _F_DUE

    def _step(
        self,
        conn: sa.Connection,
        case_id: int,
        trigger: str,
        state: str,
        payload: dict[str, Any],
        actor: str,
    ) -> None:
        v = self.versions[case_id]
        got = conn.execute(_F_CAS, {"b_id": case_id, "b_v": v, "b_state": state})
        if got.rowcount != 1:
            raise RuntimeError("version conflict")
        self.versions[case_id] = v + 1
        conn.execute(
            _F_EVENT,
            {
                "case_id": case_id,
                "seq": v + 1,
                "at": self.clock.now(),
                "actor": actor,
                "trigger": trigger,
                "payload": payload,
            },
        )

    def run_case(self, i: int) -> None:
        now = self.clock.now()
        with self.command("open"), self.db.begin() as conn:
            case_id = conn.execute(
                _F_OPEN, {"ref": f"WA-{i}", "state": "registered", "version": 1}
            ).scalar_one()
            conn.execute(
                _F_EVENT,
                {
                    "case_id": case_id,
                    "seq": 1,
                    "at": now,
                    "actor": "wang",
                    "trigger": "open",
                    "payload": {"source": "投诉"},
                },
            )
            self.versions[case_id] = 1
        steps: list[tuple[str, str, dict[str, Any], str]] = [
            ("accept", "investigation_pending", {}, "wang"),
            ("assign", "investigation_pending", {"assignees": ["wang", "li"]}, "chen"),
            ("start_investigation", "investigating", {}, "wang"),
            ("record_findings", "findings", FINDINGS, "li"),
        ]
        for trigger, state, payload, actor in steps:
            with self.command(trigger), self.db.begin() as conn:
                self._step(conn, case_id, trigger, state, payload, actor)
        with self.command("order_payment"), self.db.begin() as conn:
            self._step(conn, case_id, "order_payment", "payment_ordered", {}, "wang")
            conn.execute(
                _F_DEADLINE,
                {
                    "case_id": case_id,
                    "due_at": now + timedelta(days=PAYMENT_DAYS),
                    "pending": True,
                },
            )
        if i % 2:
            with self.command("record_payment"), self.db.begin() as conn:
                self._step(conn, case_id, "record_payment", "paid", PAYMENT, "li")
                conn.execute(_F_STOP, {"b_case": case_id})
            with self.command("close"), self.db.begin() as conn:
                self._step(conn, case_id, "close", "closed", {"summary": "已支付"}, "chen")

    def sweep(self) -> int:
        fired = 0
        now = self.clock.now()
        while True:
            with self.db.begin() as conn:
                row = conn.execute(self.due, {"b_now": now}).first()
                if row is None:
                    return fired
                conn.execute(_F_CLOSE_DEADLINE, {"b_id": row.id})
                self._step(conn, row.case_id, "payment_deadline_passed", "unpaid", {}, "system")
                fired += 1


# -- SpiffWorkflow ----------------------------------------------------------------------

spiff_md = sa.MetaData()
s_workflows = sa.Table(
    "s_workflows",
    spiff_md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ref", sa.String(40), nullable=False, unique=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True, index=True),
    sa.Column("workflow", sa.Text, nullable=False),
)
_S_ADD = sa.insert(s_workflows).returning(s_workflows.c.id)
_S_GET = sa.select(s_workflows.c.version, s_workflows.c.workflow).where(
    s_workflows.c.id == sa.bindparam("b_id")
)
_S_SAVE = (
    sa.update(s_workflows)
    .where(s_workflows.c.id == sa.bindparam("b_id"), s_workflows.c.version == sa.bindparam("b_v"))
    .values(
        version=sa.bindparam("b_v") + 1,
        workflow=sa.bindparam("b_wf"),
        due_at=sa.bindparam("b_due", type_=s_workflows.c.due_at.type),
    )
)
_S_DUE = (
    sa.select(s_workflows.c.id, s_workflows.c.version, s_workflows.c.workflow)
    .where(s_workflows.c.due_at <= sa.bindparam("b_now"))
    .order_by(s_workflows.c.due_at)
    .limit(1)
)


class Spiff(Peer):
    name = "spiff"

    def __init__(self, url: str, sync: str | None, clock: FixedClock) -> None:
        super().__init__(url, sync, clock)
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.specs.event_definitions import timer
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        class SimulatedNow(datetime):
            """Spiff's timers read `datetime.now`; here it is the bench's clock."""

            @classmethod
            def now(cls, tz: Any = None) -> Any:
                return clock.now()

        timer.datetime = SimulatedNow
        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec("wage_arrears")
        self.workflow_cls = BpmnWorkflow
        self.serializer = BpmnWorkflowSerializer()
        self.ready = TaskState.READY
        spiff_md.create_all(self.db)
        self.due = _S_DUE.with_for_update(skip_locked=True) if not self.sqlite else _S_DUE

    def _run(self, case_id: int, task: str, data: dict[str, Any]) -> None:
        with self.command(task), self.db.begin() as conn:
            version, js = conn.execute(_S_GET, {"b_id": case_id}).one()
            wf = self.serializer.deserialize_json(js)
            t = wf.get_next_task(state=self.ready, manual=True, spec_name=task)
            if t is None:
                raise RuntimeError(f"{task} is not ready")
            t.data.update(data)
            due = None
            if task == "order_payment":
                due = self.clock.now() + timedelta(days=PAYMENT_DAYS)
                t.data["deadline"] = due.isoformat()
            t.run()
            wf.do_engine_steps()
            saved = {"b_id": case_id, "b_v": version, "b_due": due}
            got = conn.execute(_S_SAVE, {**saved, "b_wf": self.serializer.serialize_json(wf)})
            if got.rowcount != 1:
                raise RuntimeError("version conflict")

    def run_case(self, i: int) -> None:
        with self.command("open"), self.db.begin() as conn:
            wf = self.workflow_cls(self.spec)
            wf.data.update({"source": "投诉", "subject": SUBJECT.name})
            wf.do_engine_steps()
            case_id = conn.execute(
                _S_ADD,
                {
                    "ref": f"WA-{i}",
                    "version": 1,
                    "workflow": self.serializer.serialize_json(wf),
                    "due_at": None,
                },
            ).scalar_one()
        self._run(case_id, "accept", {})
        self._run(case_id, "assign", {"assignees": ["wang", "li"]})
        self._run(case_id, "start_investigation", {})
        self._run(case_id, "record_findings", FINDINGS)
        self._run(case_id, "order_payment", {})
        if i % 2:
            self._run(case_id, "record_payment", PAYMENT)
            self._run(case_id, "close", {"summary": "已支付"})

    def sweep(self) -> int:
        fired = 0
        now = self.clock.now()
        while True:
            with self.db.begin() as conn:
                row = conn.execute(self.due, {"b_now": now}).first()
                if row is None:
                    return fired
                wf = self.serializer.deserialize_json(row.workflow)
                wf.refresh_waiting_tasks()
                wf.do_engine_steps()
                conn.execute(
                    _S_SAVE,
                    {
                        "b_id": row.id,
                        "b_v": row.version,
                        "b_wf": self.serializer.serialize_json(wf),
                        "b_due": None,
                    },
                )
                fired += 1


# -- the run ----------------------------------------------------------------------------

PEERS: dict[str, type[Peer]] = {"caseflow": Caseflow, "floor": Floor, "spiff": Spiff}


def run(
    url: str | None,
    syncs: list[str | None],
    n: int,
    names: list[str],
    chunk: int,
    trace: bool = False,
    warmed: Callable[[], None] | None = None,
) -> tuple[list[Stats], list[tuple[int, float]]]:
    """Every engine in every synchronous mode, interleaved chunk by chunk in one run;
    ``warmed`` is called once every engine has run its warm-up case."""
    clock = FixedClock(START)
    drops: list[Callable[[], None]] = []
    peers: list[Peer] = []
    rss: list[tuple[int, float]] = []
    try:
        for sync in syncs:
            for name in names:
                db_url, drop = scratch_database(url, "peers")
                drops.append(drop)
                peer = PEERS[name](db_url, sync, clock)
                peer.stats.sync = sync or ""
                if trace:
                    peer.meter.trace = []
                peers.append(peer)
        for p in peers:
            warm_up(p, clock)
            p.wal_frames()  # the set-up's writes are not counted
        if warmed is not None:
            warmed()
        at = START
        for k, first in enumerate(range(0, n, chunk)):
            last = min(n, first + chunk)
            k0 = k % len(peers)
            for p in peers[k0:] + peers[:k0]:  # a rotating order: all meet the same load
                clock.set(at)
                t = time.perf_counter()
                for i in range(first, last):
                    p.run_case(i)
                    clock.set(clock.now() + STEP)
                clock.set(at + PAST_DEADLINE)
                with p.command("sweep"):
                    fired = p.sweep()
                if fired != (last - first + (first % 2)) // 2:
                    raise AssertionError(f"{p.name}: the sweep fired {fired} timers")
                secs = time.perf_counter() - t
                p.stats.seconds += secs
                p.stats.cases += last - first
                p.stats.chunk_rates.append((last - first) / secs)
                frames = p.wal_frames()
                p.stats.wal_frames += frames
                p.stats.wal_bytes += frames * (p.page_size + 24)
            at += STEP * chunk
            if "caseflow" in names and (last % max(chunk, n // 4) == 0 or last == n):
                rss.append((last, rss_mib()))
        return [p.stats for p in peers], rss
    finally:
        for p in peers:
            p.close()
        for drop in drops:
            drop()


WARM_UP = -1
"""The warm-up case's number: odd, so it is paid and closed and leaves no timer running."""


def warm_up(p: Peer, clock: FixedClock) -> None:
    """One paid and closed case run before the timed run, its figures dropped: what each
    engine does once per instance (caseflow: the first notice of a kind its renderer issues
    reads the Word template for the fields it prints, 0.2–0.4 s; SQLAlchemy compiles each
    statement once) is set-up, as every engine's schema and caseflow's bootstrap are. The
    sweep's own first statements are still compiled in the first chunk."""
    clock.set(START)
    p.run_case(WARM_UP)
    p.stats = Stats(p.name, sync=p.stats.sync)


def pct(data: list[float], q: float) -> float:
    s = sorted(data)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def report(label: str, stats: list[Stats], rss: list[tuple[int, float]], sqlite: bool) -> None:
    by = {s.name: s for s in stats}
    n = stats[0].cases
    print(f"\n== {label}: {n} cases")
    print(
        f"  {'engine':<9} {'cases/s':>8} {'× floor':>8} {'stmts/case':>11} {'tx/case':>8}", end=""
    )
    print(f" {'WAL pages/case':>15} {'WAL KiB/case':>13}" if sqlite else "")
    floor = by.get("floor")
    for s in stats:
        rate = s.cases / s.seconds
        ratio = f"{rate / (floor.cases / floor.seconds):8.2f}" if floor else "       -"
        stmts = sum(s.statements.values()) / s.cases
        txs = sum(s.transactions.values()) / s.cases
        print(f"  {s.name:<9} {rate:8.0f} {ratio} {stmts:11.1f} {txs:8.1f}", end="")
        wal = f" {s.wal_frames / s.cases:15.1f} {s.wal_bytes / s.cases / 1024:13.1f}"
        print(wal if sqlite else "")
    print("  per command: p50 / p99 ms, statements per command")
    print("  " + f"{'command':<20}" + "".join(f"{s.name:>26}" for s in stats))
    for cmd in COMMANDS:
        cells = []
        for s in stats:
            lat = s.latencies.get(cmd)
            if not lat:
                cells.append(f"{'-':>26}")
                continue
            if cmd == "sweep":  # one call per chunk: per timer fired
                fired = sum(1 for _ in range(0, s.cases, 2))
                per = sum(lat) / fired * 1000
                cells.append(f"{per:>9.3f} per timer {s.statements[cmd] / fired:6.1f} st")
                continue
            per_cmd = s.statements[cmd] / len(lat)
            cells.append(f"{pct(lat, 0.5):7.3f} /{pct(lat, 0.99):7.3f} {per_cmd:6.1f} st")
        print("  " + f"{cmd:<20}" + "".join(cells))
    cf = by.get("caseflow")
    if cf is not None:
        for other in ("floor", "spiff"):
            if other in by:
                o = by[other]
                paired = [a / b for a, b in zip(cf.chunk_rates, o.chunk_rates, strict=True)]
                print(
                    f"  caseflow / {other}: {cf.cases / cf.seconds / (o.cases / o.seconds):.2f}"
                    f" overall, per chunk median {statistics.median(paired):.2f}"
                    f" (min {min(paired):.2f}, max {max(paired):.2f})"
                )
    for s in stats:
        if not s.traced:
            continue
        print(f"  {s.name}: the statements of each command's latest run (--trace)")
        for cmd in COMMANDS:
            sqls = s.traced.get(cmd)
            if sqls is None:
                continue
            print(f"    {cmd}: {len(sqls)}")
            for sql, times in Counter(sqls).items():
                print(f"      {times:>3} × {sql[:150]}")
    if rss:
        print(
            "  process RSS as cases grow (half of them stay open): "
            + ", ".join(f"{k} cases {v:.0f} MiB" for k, v in rss)
        )


def ms_per_case(s: Stats) -> float:
    return s.seconds / s.cases * 1000


def durability(by: dict[tuple[str, str], Stats], names: list[str]) -> str:
    """What synchronous=FULL adds per commit (its fsync of the WAL), read off this run, and
    what it implies for caseflow: a case costs P on NORMAL and P + F on FULL, so
    FULL / NORMAL = P / (P + F), which is ≥ 0.6 only while P ≥ 1.5 F — the faster the
    command path, the lower the ratio, while ≥ 3 × SpiffWorkflow asks P ≤ Spiff's P / 3."""
    lines = ["  FULL − NORMAL per commit (the WAL's fsync), from the same run:"]
    for name in names:
        full, normal = by[name, "FULL"], by[name, "NORMAL"]
        commits = sum(normal.transactions.values()) / normal.cases
        extra = ms_per_case(full) - ms_per_case(normal)
        lines.append(f"    {name:<9} {extra / commits:.3f} ms a commit ({commits:.1f} a case)")
    if "caseflow" in names:
        p = ms_per_case(by["caseflow", "NORMAL"])
        f = ms_per_case(by["caseflow", "FULL"]) - p
        lines.append(
            f"  caseflow: P = {p:.2f} ms a case on NORMAL, F = {f:.2f} ms more on FULL;"
            f" FULL / NORMAL ≥ 0.6 needs P ≥ 1.5 F = {1.5 * f:.2f} ms"
        )
        if "spiff" in names:
            limit = ms_per_case(by["spiff", "NORMAL"]) / 3
            both = "both can hold" if limit >= 1.5 * f else "both cannot hold"
            lines.append(f"  ≥ 3 × SpiffWorkflow on NORMAL needs P ≤ {limit:.2f} ms: {both} here")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("CASEFLOW_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sync", default="NORMAL,FULL", help="SQLite synchronous modes")
    parser.add_argument("--only", default="caseflow,floor,spiff", help="engines to run")
    parser.add_argument(
        "--trace", action="store_true", help="print the SQL of each command's latest run"
    )
    args = parser.parse_args()
    names = [x for x in args.only.split(",") if x]
    if not args.no_sqlite:
        syncs: list[str | None] = [x for x in args.sync.split(",") if x]
        stats, rss = run(None, syncs, args.cases, names, args.chunk, args.trace)
        for sync in syncs:
            group = [st for st in stats if st.sync == sync]
            report(f"SQLite, WAL, synchronous={sync}", group, [], sqlite=True)
        by = {(st.name, st.sync): st for st in stats}
        if "NORMAL" in syncs and "FULL" in syncs:
            print("\n  FULL / NORMAL, same engine, paired chunk by chunk in this one run:")
            for name in names:
                full, normal = by[name, "FULL"], by[name, "NORMAL"]
                paired = [a / b for a, b in zip(full.chunk_rates, normal.chunk_rates, strict=True)]
                overall = (full.cases / full.seconds) / (normal.cases / normal.seconds)
                print(
                    f"    {name:<9} {overall:.2f} overall, per chunk median"
                    f" {statistics.median(paired):.2f}"
                )
            print(durability(by, names))
        if rss:
            print(
                "  process RSS as cases grow: "
                + ", ".join(f"{k} cases {v:.0f} MiB" for k, v in rss)
            )
    if args.postgres:
        stats, rss = run(args.postgres, [None], args.cases, names, args.chunk, args.trace)
        report("PostgreSQL", stats, rss, sqlite=False)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set CASEFLOW_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
