"""The timers' rows: the command path's timer statements (built once, run on the driver's
cursor: db/fast.py) and a stored timer from its row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from db.fast import Prepared
from db.tables import TimerRow
from db.timer_ids import next_id, of_case
from engine.domain.timers import TimerStatus
from engine.service.read_models import StoredTimer

timers_t = TimerRow.__table__  # type: ignore[attr-defined]


def _cancel_for_state(dialect: str) -> sa.Update:
    """End a case's timers of one state (on SQLite: its timers' rowid range)."""
    status = timers_t.c.status
    return (
        sa.update(timers_t)
        .where(
            of_case(sa.bindparam("b_case", type_=sa.Integer), dialect),
            timers_t.c.state == sa.bindparam("b_state"),
            sa.or_(status == TimerStatus.PENDING, status == TimerStatus.EXPIRED),
        )
        .values(
            status=sa.case(
                (status == TimerStatus.PENDING, TimerStatus.CANCELLED),
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
_INSERT_TIMER = {
    "postgresql": Prepared(sa.insert(timers_t), keys=_TIMER_KEYS),
    # SQLite: the id is the case's next (db/timer_ids.py); b_case binds its case_id again
    "sqlite": Prepared(
        sa.insert(timers_t).values(id=next_id(sa.bindparam("b_case", type_=sa.Integer))),
        keys=_TIMER_KEYS,
    ),
}
_CANCEL = {d: Prepared(_cancel_for_state(d)) for d in ("postgresql", "sqlite")}


def insert_timer(conn: sa.Connection, values: dict[str, Any]) -> None:
    """Insert one timer row (``values``: its columns but the id and closed_at)."""
    _INSERT_TIMER[_dialect(conn)].execute(conn, {**values, "b_case": values["case_id"]})


def cancel_for_state(conn: sa.Connection, case_id: int, state: str, at: Any) -> int:
    """End the case's pending or expired timers of ``state``; how many it ended."""
    result = _CANCEL[_dialect(conn)].execute(
        conn, {"b_case": case_id, "b_state": state, "b_at": at}
    )
    return int(result.rowcount)


def _dialect(conn: sa.Connection) -> str:
    return "sqlite" if conn.dialect.name == "sqlite" else "postgresql"


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
