"""The timers' rows: the command path's timer statements (built once, run on the driver's
cursor: db/fast.py) and a stored timer from its row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from db.fast import Prepared
from db.tables import TimerRow
from engine.domain.timers import TimerStatus
from engine.service.read_models import StoredTimer

timers_t = TimerRow.__table__  # type: ignore[attr-defined]


_CANCEL_FOR_STATE = (
    sa.update(timers_t)
    .where(
        timers_t.c.case_id == sa.bindparam("b_case"),
        timers_t.c.state == sa.bindparam("b_state"),
        sa.or_(timers_t.c.status == TimerStatus.PENDING, timers_t.c.status == TimerStatus.EXPIRED),
    )
    .values(
        status=sa.case(
            (timers_t.c.status == TimerStatus.PENDING, TimerStatus.CANCELLED),
            else_=TimerStatus.ENDED_LATE,
        ),
        closed_at=sa.func.coalesce(
            timers_t.c.closed_at, sa.bindparam("b_at", type_=timers_t.c.closed_at.type)
        ),
    )
)
_TIMER_KEYS = (
    "case_id",
    "name",
    "label",
    "state",
    "on_expiry",
    "basis",
    "period_amount",
    "period_unit",
    "started_at",
    "due_at",
    "last_day",
    "provisional",
    "status",
    "reminders",
    "reminders_sent",
    "pauses",
    "extensions",
    "paused",
    "remind_at",
)
INSERT_TIMER = Prepared(sa.insert(timers_t), keys=_TIMER_KEYS)
CANCEL = Prepared(_CANCEL_FOR_STATE)
CLOSE = Prepared(
    sa.update(timers_t)
    .where(timers_t.c.id == sa.bindparam("b_id"), timers_t.c.status == TimerStatus.PENDING)
    .values(
        status=sa.bindparam("b_status"),
        closed_at=sa.bindparam("b_at", type_=timers_t.c.closed_at.type),
        remind_at=None,
    )
)


def timer_from_row(r: Mapping[Any, Any]) -> StoredTimer:
    return StoredTimer(
        id=r["id"],
        case_ref=r["ref"],
        name=r["name"],
        label=r["label"],
        state=r["state"],
        on_expiry=r["on_expiry"],
        basis=r["basis"],
        period_amount=r["period_amount"],
        period_unit=r["period_unit"],
        started_at=r["started_at"],
        due_at=r["due_at"],
        last_day=r["last_day"],
        provisional=r["provisional"],
        status=TimerStatus(r["status"]),
        reminders=list(r["reminders"] or []),
        reminders_sent=list(r["reminders_sent"] or []),
        pauses=list(r["pauses"] or []),
        extensions=list(r["extensions"] or []),
        paused=r["paused"],
        remind_at=r["remind_at"],
        case_id=r["case_id"],
    )
