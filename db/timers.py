"""Timers in SQL (the notification outbox is in db/notifications.py). The sweep claims due
timers by locking their *cases* (`FOR UPDATE OF cases SKIP LOCKED` on PostgreSQL): the
lock order of every writer is the case first, then its timers (engine/service/locking.py),
so the sweep and a user command never deadlock, and several workers share the due timers
without waiting on each other. On SQLite the write transaction (BEGIN IMMEDIATE) already
serialises them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from db.batch_writes import BatchWrites, due_among
from db.board import board_page
from db.case_steps import TimerWrites
from db.tables import CaseRow, TimerRow
from db.timer_ids import of_case
from db.timer_rows import CLOSE, cancel_for_state, insert_timer, timer_from_row
from engine.deadlines import Deadline
from engine.domain.case import Case
from engine.domain.copies import copied
from engine.domain.decision import TimerRequest
from engine.domain.timers import Mark, TimerStatus
from engine.service import ports
from engine.service.read_models import (
    BoardEntry,
    BoardQuery,
    Page,
    StoredTimer,
)

cases_t = CaseRow.__table__  # type: ignore[attr-defined]
timers_t = TimerRow.__table__  # type: ignore[attr-defined]


_ENDS = (TimerStatus.PENDING, TimerStatus.EXPIRED)
"""What cancel_for_state ends (db/timer_rows.py, its condition)."""

RUNNING = sa.text("timers.status = 'pending' AND NOT timers.paused")
"""The predicate of the sweep's partial indexes (db/tables.py), written the same way so
both PostgreSQL and SQLite use them."""


def _with_ref() -> sa.Select[Any]:
    return sa.select(timers_t, cases_t.c.ref).join(cases_t, cases_t.c.id == timers_t.c.case_id)


def _claim_query(column: sa.Column[Any], postgres: bool, due: bool = False) -> sa.Select[Any]:
    """The running timers due (or to remind) by ``b_now`` after (``b_since``,
    ``b_after``), in (due, id) order, at most ``b_limit``. On PostgreSQL their cases are
    locked, skipping the cases another transaction holds — a user command in flight, or
    another worker's batch: the timer rows themselves are not locked, so nobody ever holds
    a timer while waiting for its case. Rows read here may be stale (under READ COMMITTED a
    case locked just after its holder committed is re-read, its timer row is not), so the
    sweep reads the claimed timers again once their cases are locked (`recheck`). A sweep
    continues past what it claimed last instead of rescanning, from the start of the index,
    the entries of the timers just fired (under concurrent workers PostgreSQL cannot yet
    prune them, and each claim would wade through all of them). On SQLite a timer's id is
    keyed by its case (db/timer_ids.py), not by when it started: a timer started during a
    sweep already due at the cursor's due time with a smaller id is left to the next sweep
    (fired once, a sweep later), as is one started due before the cursor. With ``due``
    (SQLite's reminders, which have no index of their own), the running timers due by
    ``b_due`` are read in due order and those to remind sorted: no timer due later has a
    reminder due (engine/domain/timers.py, reminded_due_by)."""
    since = sa.bindparam("b_since", type_=column.type)
    bound = [timers_t.c.due_at <= sa.bindparam("b_due", type_=timers_t.c.due_at.type)]
    q = (
        _with_ref()
        .where(
            RUNNING,
            *(bound if due else []),
            column <= sa.bindparam("b_now", type_=column.type),
            column >= since,
            sa.or_(column > since, timers_t.c.id > sa.bindparam("b_after", type_=sa.Integer)),
        )
        .order_by(column, timers_t.c.id)
        .limit(sa.bindparam("b_limit", type_=sa.Integer))
    )
    return q.with_for_update(skip_locked=True, of=cases_t) if postgres else q


def _recheck_query(column: sa.Column[Any]) -> sa.Select[Any]:
    return _with_ref().where(
        timers_t.c.id.in_(sa.bindparam("b_ids", expanding=True)),
        RUNNING,
        column <= sa.bindparam("b_now", type_=column.type),
    )


_RECHECK = {col.key: _recheck_query(col) for col in (timers_t.c.due_at, timers_t.c.remind_at)}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CLAIM = {
    (col.key, pg): _claim_query(col, pg, due=col.key == "remind_at" and not pg)
    for col in (timers_t.c.due_at, timers_t.c.remind_at)
    for pg in (False, True)
}
"""The claim queries, built once (the sweep runs them in a loop). On PostgreSQL the
reminders have their index (ix_timers_running_remind); on SQLite they are read from the
due index (ix_timers_running_due), up to a bound: two pages fewer written by each command
that starts or ends a deadline."""
_NO_BOUND = datetime(9999, 1, 1, tzinfo=UTC)


class SqlTimerRepository(ports.TimerRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.deferring = conn.dialect.name in ("sqlite", "postgresql")
        """Hold the timer writes of a case read here for its step (db/case_steps.py)."""
        self._known: dict[str, list[StoredTimer]] = {}
        """The timers read with the cases read in this unit of work (by ref, in due order):
        those running (pending or expired) and every one of the state the case was read in
        (`_states`), as they stand after its own writes; a write this repository cannot
        follow drops them."""
        self._states: dict[str, str] = {}

        self._pending: dict[str, TimerWrites] = {}
        """Timer writes held for the step of a case this unit of work read (take)."""
        self.batch: BatchWrites | None = None
        """The sweep's batch (db/batch_writes.py): timers closed and reminders noted are
        held with it, and written before anything here reads the timers again."""

    def take(self, ref: str) -> TimerWrites | None:
        """The timer writes held for the case's step, which now carries them."""
        return self._pending.pop(ref, None)

    def flush(self, ref: str | None = None) -> None:
        """Write the held timer writes (of one case, or all) as statements of their own,
        after the batch's (which come first)."""
        if ref is None or ref in self._pending:
            self.write_batch()
        for r in [ref] if ref is not None else list(self._pending):
            writes = self._pending.pop(r, None)
            if writes is None:
                continue
            for state in writes.cancel_states:
                cancel_for_state(self.conn, writes.case_id, state, writes.cancel_at)
            for values in writes.starts:
                insert_timer(self.conn, values)
            self.forget(r)

    def write_batch(self) -> None:
        """The batch's held writes, before a statement that may read or write them."""
        if self.batch is not None:
            self.batch.write()

    def remember(self, ref: str, state: str, rows: list[dict[str, Any]]) -> None:
        """The timers of a case read with the case itself (db/cases.py): those running and
        all of ``state``, its state (or more: a sweep batch reads every timer of its
        cases). The rows are the caller's, completed here."""
        for r in rows:
            r["ref"] = ref
        self._known[ref] = [timer_from_row(r) for r in rows]
        self._states[ref] = state

    def forget(self, ref: str | None = None) -> None:
        if ref is None:
            self._known.clear()
            self._states.clear()
        else:
            self._known.pop(ref, None)
            self._states.pop(ref, None)

    def start(self, case: Case, timer: TimerRequest, remind_at: datetime | None = None) -> None:
        assert case.id is not None
        values = dict(
            case_id=case.id,
            name=timer.name,
            label=timer.label,
            state=timer.state,
            on_expiry=timer.on_expiry,
            basis=timer.basis,
            period_amount=timer.period.amount,
            period_unit=str(timer.period.unit),
            started_at=timer.started_at,
            due_at=timer.deadline.ends_at,
            last_day=timer.deadline.last_day.isoformat(),
            provisional=timer.deadline.provisional,
            status=TimerStatus.PENDING,
            reminders=list(timer.reminders),
            reminders_sent=[],
            pauses=[],
            extensions=[],
            paused=False,
            remind_at=remind_at,
        )
        if self.deferring and case.ref in self._known:  # the case's step writes it
            self._pending.setdefault(case.ref, TimerWrites(case.id)).starts.append(values)
            return
        self.forget(case.ref)
        self.write_batch()
        insert_timer(self.conn, values)

    def cancel_for_state(self, case: Case, state: str, at: datetime) -> int:
        assert case.id is not None
        known = self._known.get(case.ref)
        ending = [i for i, t in enumerate(known or []) if t.state == state and t.status in _ENDS]
        if known is not None and not ending:
            return 0  # read with the case: nothing of that state runs, nothing to write
        writes = self._pending.get(case.ref)
        if (
            self.deferring
            and known is not None
            and (writes is None or (not writes.starts and writes.cancel_at in (None, at)))
        ):
            writes = self._pending.setdefault(case.ref, TimerWrites(case.id))
            writes.cancel_states.append(state)
            writes.cancel_at = at
            for i in ending:  # as the cancellation will leave them
                t = known[i]
                late = t.status is not TimerStatus.PENDING
                status = TimerStatus.ENDED_LATE if late else TimerStatus.CANCELLED
                known[i] = copied(t, status=status, remind_at=None)
            return len(ending)
        self.flush(case.ref)
        self.forget(case.ref)
        self.write_batch()
        return cancel_for_state(self.conn, case.id, state, at)

    def of_state(self, ref: str, state: str) -> list[StoredTimer]:
        self.flush(ref)
        known = self._known.get(ref)
        if known is not None and self._states.get(ref) == state:  # all of them read
            return [t for t in known if t.state == state]
        return super().of_state(ref, state)

    def for_case(self, ref: str, pending_only: bool = True) -> list[StoredTimer]:
        self.flush(ref)
        known = self._known.get(ref)
        if known is not None and pending_only:  # every running timer was read
            return [t for t in known if t.status is TimerStatus.PENDING]
        self.write_batch()
        q = (
            sa.select(timers_t, cases_t.c.ref)
            .join(cases_t, of_case(cases_t.c.id, self.conn.dialect.name))
            .where(cases_t.c.ref == ref)
            .order_by(timers_t.c.due_at, timers_t.c.id)
        )
        if pending_only:
            q = q.where(timers_t.c.status == TimerStatus.PENDING)
        return [timer_from_row(r) for r in self.conn.execute(q).mappings()]

    def update_running(
        self,
        timer_id: int,
        *,
        pauses: list[dict[str, Any]],
        extensions: list[dict[str, Any]],
        paused: bool,
        deadline: Deadline,
        remind_at: datetime | None,
    ) -> None:
        self.flush()
        self.forget()
        self.conn.execute(
            sa.update(timers_t)
            .where(timers_t.c.id == timer_id)
            .values(
                pauses=pauses,
                extensions=extensions,
                paused=paused,
                due_at=deadline.ends_at,
                last_day=deadline.last_day.isoformat(),
                provisional=deadline.provisional,
                remind_at=remind_at,
            )
        )

    def _claim(
        self, column: str, now: datetime, limit: int, after: Mark | None, due: datetime | None
    ) -> list[StoredTimer]:
        self.flush()  # a held timer write first: the claim reads the stored rows
        q = _CLAIM[column, self.postgres]
        since, after_id = after or (_EPOCH, 0)
        params = {"b_now": now, "b_limit": limit, "b_since": since, "b_after": after_id}
        params["b_due"] = due or _NO_BOUND  # SQLite's reminders only (_CLAIM)
        return [timer_from_row(r) for r in self.conn.execute(q, params).mappings()]

    def recheck(
        self, timer_ids: Sequence[int], now: datetime, reminders: bool = False
    ) -> dict[int, StoredTimer]:
        if not timer_ids:
            return {}
        if self.batch is not None:  # the timers read with their (locked) cases will do
            known = due_among(self._known, timer_ids, now, reminders)
            if known is not None:
                return known
        self.flush()
        q = _RECHECK["remind_at" if reminders else "due_at"]
        rows = self.conn.execute(q, {"b_ids": list(timer_ids), "b_now": now}).mappings()
        return {r["id"]: timer_from_row(r) for r in rows}

    def claim_one(self, timer_id: int) -> StoredTimer | None:
        q = _with_ref().where(timers_t.c.id == timer_id, timers_t.c.status == TimerStatus.PENDING)
        if self.postgres:  # the case first, as every writer (see _claim_query)
            q = q.with_for_update(skip_locked=True, of=cases_t)
        row = self.conn.execute(q).mappings().first()
        return timer_from_row(row) if row else None

    def claim_due(
        self, now: datetime, limit: int = 1, after: Mark | None = None
    ) -> list[StoredTimer]:
        return self._claim("due_at", now, limit, after, None)

    def claim_reminders(
        self, now: datetime, limit: int = 1, after: Mark | None = None, due: datetime | None = None
    ) -> list[StoredTimer]:
        return self._claim("remind_at", now, limit, after, due)

    def close(self, timer_id: int, status: TimerStatus, at: datetime) -> None:
        if self.batch is not None and self.batch.closed(self._known, timer_id, status, at):
            return
        self.flush()
        result = CLOSE.execute(self.conn, {"b_id": timer_id, "b_status": str(status), "b_at": at})
        closed = result.rowcount == 1
        for ref, known in self._known.items():  # follow the write (the sweep's fired timer)
            for i, t in enumerate(known):
                if t.id == timer_id:
                    if closed and t.status is TimerStatus.PENDING:
                        known[i] = replace(t, status=status, remind_at=None)
                    else:
                        self.forget(ref)
                    return

    def reminder_sent(self, timer_id: int, sent: list[int], remind_at: datetime | None) -> None:
        if self.batch is not None:
            self.batch.reminder_sent(self._known, timer_id, sent, remind_at)
            return
        self.flush()
        self.forget()
        self.conn.execute(
            sa.update(timers_t)
            .where(timers_t.c.id == timer_id)
            .values(reminders_sent=sent, remind_at=remind_at)
        )

    def open_deadlines(self, query: BoardQuery, now: datetime) -> Page[BoardEntry]:
        self.flush()
        return board_page(self.conn, query, now)

    def provisional_pending(self) -> list[StoredTimer]:
        self.flush()
        q = _with_ref().where(
            timers_t.c.status == TimerStatus.PENDING, timers_t.c.provisional.is_(True)
        )
        return [timer_from_row(r) for r in self.conn.execute(q.order_by(timers_t.c.id)).mappings()]
