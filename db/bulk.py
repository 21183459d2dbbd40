"""Bulk-loads synthetic wage-arrears cases waiting on their payment deadline, for load
tests and benchmarks (10,000 due timers; a million pending ones). Rows are built with the
domain's own history hashing, so `verify` holds on them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from db.cases import cases_t, history_t
from db.timers import timers_t
from engine.domain.history import GENESIS, EventKind, make_event

STATE = "payment_ordered"
FINDINGS = {
    "workers": 12,
    "months": 2,
    "claimed": "60000.00",
    "admitted": "60000.00",
    "disputed": "0.00",
    "facts": "批量生成的测试案件",
}


def _case_rows(prefix: str, start: int, n: int, at: datetime) -> Iterator[dict[str, Any]]:
    for i in range(start, start + n):
        ref = f"{prefix}-{i:07d}"
        ev = make_event(
            case_ref=ref,
            seq=1,
            prev_hash=GENESIS,
            at=at,
            actor="wang",
            kind=EventKind.OPENED,
            to_state=STATE,
            payload={"bulk": True},
        )
        yield {
            "ref": ref,
            "procedure": "wage_arrears",
            "procedure_version": 1,
            "state": STATE,
            "version": 1,
            "subject_name": f"批量单位{i}",
            "subject_address": "定城镇",
            "subject_uscc": "91469021MA5T3XY14R",
            "source": "批量",
            "unit": "县劳动保障监察大队",
            "matter": "wage_arrears",
            "data": {"findings": FINDINGS},
            "assignees": ["wang", "li"],
            "opened_by": "wang",
            "opened_at": at,
            "closed_at": None,
            "last_seq": 1,
            "last_hash": ev.hash,
            "overdue": False,
            "_event": ev,
        }


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
    done = 0
    while done < n:
        size = min(batch, n - done)
        rows = list(_case_rows(prefix, done, size, opened_at))
        events = [r.pop("_event") for r in rows]
        with engine.begin() as conn:
            conn.execute(sa.insert(cases_t), rows)
            found = conn.execute(
                sa.select(cases_t.c.ref, cases_t.c.id).where(
                    cases_t.c.ref.in_([r["ref"] for r in rows])
                )
            )
            ids = {ref: case_id for ref, case_id in found}
            conn.execute(
                sa.insert(history_t),
                [
                    {
                        "case_id": ids[ev.case_ref],
                        "seq": 1,
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
                    for ev in events
                ],
            )
            timers = [
                _timer_row(ids[r["ref"]], opened_at, due_at)
                for r in rows
                for _ in range(timers_per_case)
            ]
            conn.execute(sa.insert(timers_t), timers)
        done += size


def _timer_row(case_id: int, started: datetime, due: datetime) -> dict[str, Any]:
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
        "paused": False,
        "remind_at": None,
    }
