"""Bulk-loads synthetic cases for load tests and benchmarks: wage-arrears cases waiting on
their payment deadline (10,000 due timers; a million pending ones), and a mixed county's
worth of open cases for the read side (case search, deadline board). Rows are built with the
domain's own history hashing, so `verify` holds on them."""

from __future__ import annotations

import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from db.cases import assignees_t, cases_t, history_t
from db.engine import make_engine, normalise_url
from db.event_ids import event_id
from db.timer_ids import timer_id
from db.timers import timers_t
from engine.domain.history import GENESIS, EventKind, HistoryEvent, make_event

STATE = "payment_ordered"
FINDINGS = {
    "workers": 12,
    "months": 2,
    "claimed": "60000.00",
    "admitted": "60000.00",
    "disputed": "0.00",
    "facts": "批量生成的测试案件",
}
UNITS = ("县劳动保障监察大队", "县社会保险基金监督股", "县劳动人事争议仲裁院")
INSPECTORS = ("wang", "li", "zhao", "qian", "sun2", "zhou2", "wu", "zheng")
COMPANIES = ("建筑劳务", "装饰工程", "制衣", "物业服务", "餐饮管理", "运输", "电子科技", "农业开发")


@dataclass(frozen=True)
class BulkCase:
    ref: str
    opened_at: datetime
    subject: str
    unit: str
    assignees: list[str]
    timers: list[tuple[datetime, bool]]
    """(due at, paused) of each running payment-deadline timer."""
    overdue: bool = False
    """Marked overdue, as the sweep marks a case whose deadline has passed."""


def _case_row(c: BulkCase, ev: HistoryEvent) -> dict[str, Any]:
    return {
        "ref": c.ref,
        "procedure": "wage_arrears",
        "procedure_version": 1,
        "state": STATE,
        "version": 1,
        "subject_name": c.subject,
        "subject_address": "定城镇",
        "subject_uscc": "91469021MA5T3XY14R",
        "complainant": "",
        "source": "批量",
        "unit": c.unit,
        "matter": "wage_arrears",
        "data": {"findings": FINDINGS},
        "assignees": c.assignees,
        "opened_by": c.assignees[0],
        "opened_at": c.opened_at,
        "closed_at": None,
        "last_seq": 1,
        "last_hash": ev.hash,
        "overdue": c.overdue,
    }


def _history_row(case_id: int, ev: HistoryEvent) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "seq": ev.seq,
        "at": ev.at,
        "actor": ev.actor,
        "kind": str(ev.kind),
        "trigger": None,
        "from_state": None,
        "to_state": ev.to_state,
        "payload": dict(ev.payload),
        "reason": "",
        "prev_hash": ev.prev_hash,
        "hash": ev.hash,
    }


def _timer_row(case_id: int, started: datetime, due: datetime, paused: bool) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "name": "payment_deadline",
        "label": "限期支付期限",
        "state": STATE,
        "on_expiry": "payment_deadline_passed",
        "basis": "《劳动保障监察条例》第二十六条",
        "period_amount": 7,
        "period_unit": "days",
        "started_at": started,
        "due_at": due,
        "last_day": (due - timedelta(days=1)).date().isoformat(),
        "provisional": False,
        "status": "pending",
        "reminders": [],
        "reminders_sent": [],
        "pauses": [],
        "extensions": [],
        "paused": paused,
        "remind_at": None,
    }


def insert_cases(engine: Engine, cases: Sequence[BulkCase]) -> None:
    """Insert cases with their opening event, assignees and timers in one transaction."""
    events = [
        make_event(
            case_ref=c.ref,
            seq=1,
            prev_hash=GENESIS,
            at=c.opened_at,
            actor=c.assignees[0],
            kind=EventKind.OPENED,
            to_state=STATE,
            payload={"bulk": True, "data": {"findings": FINDINGS}, "assignees": c.assignees},
        )
        for c in cases
    ]
    with engine.begin() as conn:
        conn.execute(
            sa.insert(cases_t), [_case_row(c, ev) for c, ev in zip(cases, events, strict=True)]
        )
        found = conn.execute(
            sa.select(cases_t.c.ref, cases_t.c.id).where(cases_t.c.ref.in_([c.ref for c in cases]))
        )
        ids = {ref: case_id for ref, case_id in found}
        rows = [_history_row(ids[e.case_ref], e) for e in events]
        if conn.dialect.name == "sqlite":  # the id is the (case, seq) key (db/event_ids.py)
            rows = [{**r, "id": event_id(r["case_id"], r["seq"])} for r in rows]
        conn.execute(sa.insert(history_t), rows)
        conn.execute(
            sa.insert(assignees_t),
            [{"case_id": ids[c.ref], "user_name": u} for c in cases for u in c.assignees],
        )
        timers = [
            _timer_row(ids[c.ref], c.opened_at, due, paused)
            for c in cases
            for due, paused in c.timers
        ]
        if conn.dialect.name == "sqlite":  # keyed by the (new) case (db/timer_ids.py)
            started: Counter[int] = Counter()
            for r in timers:
                started[r["case_id"]] += 1
                r["id"] = timer_id(r["case_id"], started[r["case_id"]])
        if timers:
            conn.execute(sa.insert(timers_t), timers)


def insert_waiting_cases(
    engine: Engine,
    n: int,
    *,
    due_at: datetime,
    opened_at: datetime,
    prefix: str = "BULK",
    timers_per_case: int = 1,
    batch: int = 5_000,
) -> None:
    """Insert `n` cases, each with `timers_per_case` pending payment-deadline timers due at
    `due_at` (extra timers model a large backlog of pending, not-yet-due windows)."""
    for start in range(0, n, batch):
        insert_cases(
            engine,
            [
                BulkCase(
                    ref=f"{prefix}-{i:07d}",
                    opened_at=opened_at,
                    subject=f"批量单位{i}",
                    unit=UNITS[0],
                    assignees=["wang", "li"],
                    timers=[(due_at, False)] * timers_per_case,
                )
                for i in range(start, min(start + batch, n))
            ],
        )


def insert_mixed_cases(engine: Engine, n: int, *, now: datetime, batch: int = 5_000) -> None:
    """Insert ``n`` open wage-arrears cases for the read benchmarks: opened every ten minutes
    up to ``now``, spread over three units and eight inspectors (two a case), parties with
    varied names, one running deadline each — a tenth of them overdue, a twentieth paused."""
    for start in range(0, n, batch):
        cases = []
        for i in range(start, min(start + batch, n)):
            opened = now - timedelta(minutes=(n - i) * 10)
            due = now + timedelta(days=(i % 60) - 6, hours=i % 24)
            cases.append(
                BulkCase(
                    ref=f"WA{opened.year}-{i + 1:07d}",
                    opened_at=opened,
                    subject=f"定安县{COMPANIES[i % 8]}有限公司第{i}分公司",
                    unit=UNITS[i % 3],
                    assignees=[INSPECTORS[i % 8], INSPECTORS[(i + 3) % 8]],
                    timers=[(due, i % 20 == 0)],
                    overdue=due < now and i % 20 != 0,
                )
            )
        insert_cases(engine, cases)


def scratch_database(url: str | None, purpose: str) -> tuple[str, Callable[[], None]]:
    """A database for one benchmark run and how to drop it: a temporary SQLite file, or — given
    a PostgreSQL server's URL — a fresh database on it (dropped with its connections)."""
    if url is None:
        folder = tempfile.mkdtemp(prefix=f"caseflow-{purpose}-")
        return f"sqlite:///{folder}/{purpose}.db", lambda: None
    name = f"caseflow_{purpose}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    target = sa.engine.make_url(normalise_url(url)).set(database=name)
    return target.render_as_string(hide_password=False), drop
