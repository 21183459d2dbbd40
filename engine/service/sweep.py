"""The sweep: fires due timers exactly once, sends reminders before deadlines and escalates
the ones that pass. Due timers are claimed in batches and the batch commits once.

Lock order. Every writer locks a case before anything of it: a user command locks the case
as it loads it (case_commands.load), then writes its timers, documents, counters; the
sweep claims a batch by locking the timers' cases (FOR UPDATE OF cases SKIP LOCKED on
PostgreSQL, db/timers.py), never the timer rows, and only then reads the claimed timers
again and fires them. So a user command waits for the sweep's batch (or the sweep skips
the case a user command holds, to take it at the next sweep); neither ever holds a timer
the other waits for while waiting for a case the other holds — no deadlock. Exactly once:
a timer is fired only by the transaction that holds its case and, reading it after taking
the lock, still finds it pending and due; firing closes it in that same transaction. A
worker that read the timer before another committed its firing re-reads it under the
lock and finds it closed. Several workers share the due timers (each skips the cases the
others hold); SQLite's write lock serialises them.

A batch reads its cases together and the store may hold its writes and make them
set-based (`uow.batch`; on PostgreSQL, db/batch_writes.py: one statement per kind of row
for the whole batch); each case is still decided by the domain, timer by timer, exactly as
one by one. A timer ended since the claim by another timer of its case in the same batch
(the first to fire moved the case on) is left alone. When a timer fails, or a held
compare-and-set finds its case moved, the batch is undone and redone with each timer in
its own savepoint, so one failure is undone alone and never blocks the others. A worker
killed mid-batch loses nothing (the uncommitted timers stay pending and the next sweep
takes them)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.errors import CaseflowError, DatabaseBusy, VersionConflict
from engine.domain.history import EventKind
from engine.domain.roles import Role
from engine.domain.timers import TimerStatus, next_reminder, reminded_due_by
from engine.service.case_commands import CaseCommands
from engine.service.context import SYSTEM_ACTOR, ServiceContext
from engine.service.ports import AbstractUnitOfWork
from engine.service.read_models import StoredTimer
from engine.service.timer_effects import running

log = logging.getLogger(__name__)

BATCH = 100
"""Timers claimed (and committed) together by one sweep step."""


@dataclass
class _Pass:
    """One sweep's progress: the timers it gave up on, and the (due time, id) it claimed
    last, of due timers and of reminders, to continue from."""

    skip: set[int] = field(default_factory=set)
    cursor: dict[bool, tuple[datetime, int]] = field(default_factory=dict)


@dataclass
class SweepResult:
    fired: int = 0
    escalated: int = 0
    reminders: int = 0
    failed: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.fired + self.escalated + self.reminders + self.failed


def supervisors_of(uow: AbstractUnitOfWork, case: Case) -> list[str]:
    users = [u for u in uow.users.list() if u.active and u.role is Role.SUPERVISOR]
    same_unit = [u.name for u in users if u.unit == case.unit]
    return same_unit or [u.name for u in users]


def _names(names: list[str]) -> str:
    return "、".join(names) or "未指派"


class Sweeper:
    def __init__(self, ctx: ServiceContext, commands: CaseCommands) -> None:
        self.ctx = ctx
        self.commands = commands
        self.on_claimed: Callable[[Sequence[StoredTimer]], None] | None = None
        """Called with each batch once it is claimed (its cases locked) and before any of
        it fires: where a test holds the sweep to race a user command against it."""

    def sweep(self, *, limit: int | None = None, batch: int = BATCH) -> SweepResult:
        """Handle every timer due now (or at most `limit` of each kind), `batch` at a time."""
        now = self.ctx.clock.now()
        result = SweepResult()
        state = _Pass()
        while limit is None or result.fired + result.escalated + result.failed < limit:
            done = result.fired + result.escalated + result.failed
            k = batch if limit is None else min(batch, limit - done)
            if not self._batch(now, result, k, state, False):
                break
        sent = 0
        while limit is None or sent < limit:
            before = result.reminders
            more = self._batch(now, result, min(batch, (limit or batch) - sent), state, True)
            sent += result.reminders - before
            if not more:
                break
        return result

    def _batch(
        self, now: datetime, result: SweepResult, k: int, state: _Pass, reminders: bool
    ) -> bool:
        """Claim up to `k` timers and handle them in one transaction, committed once for
        the batch. If one fails, the batch is undone and claimed again with each timer in
        its own savepoint: the failing one is undone alone (and escalated), the others
        still fire. A worker killed mid-batch commits none of it, and the next sweep takes
        the whole batch again. False when nothing (new) is left to claim."""
        if k <= 0:
            return False
        done = SweepResult()
        try:
            more = self._claim_and_handle(now, done, k, state, reminders, careful=False)
        except CaseflowError:  # VersionConflict too: redo, each timer on its own
            done = SweepResult()
            more = self._claim_and_handle(now, done, k, state, reminders, careful=True)
        for f in ("fired", "escalated", "reminders", "failed", "conflicts"):
            setattr(result, f, getattr(result, f) + getattr(done, f))
        return more

    def _claim_and_handle(
        self,
        now: datetime,
        result: SweepResult,
        k: int,
        state: _Pass,
        reminders: bool,
        *,
        careful: bool,
    ) -> bool:
        skip, cursor = state.skip, state.cursor
        with self.ctx.uow() as uow:
            if reminders:  # none due after `due` has a reminder due (reminded_due_by)
                most = self.ctx.registry.most_reminder_days
                due = reminded_due_by(now, most, self.ctx.calendar(uow))
                claimed = uow.timers.claim_reminders(now, k, cursor.get(reminders), due)
            else:
                claimed = uow.timers.claim_due(now, k, cursor.get(reminders))
            if not claimed or all(t.id in skip for t in claimed):
                return False
            last = claimed[-1]
            at = last.remind_at if reminders else last.due_at
            assert at is not None
            position = (at, last.id)
            if self.on_claimed is not None:
                self.on_claimed(claimed)
            # Read again now that their cases are locked: one fired by another worker, or
            # paused, extended or cancelled by a user command since the claim read it, is
            # left alone (see the module's docstring).
            claimed = [t for t in claimed if t.id not in skip]
            ids = [t.id for t in claimed]
            if careful:
                fresh = uow.timers.recheck(ids, now, reminders)
                for timer in (fresh[t.id] for t in claimed if t.id in fresh):
                    self._handle_alone(uow, timer, now, result, skip, reminders)
            else:  # the cases read together, their writes made together (set-based)
                with uow.batch(list(dict.fromkeys(t.case_ref for t in claimed))) as cases:
                    fresh = uow.timers.recheck(ids, now, reminders)  # with the cases, there
                    for timer in (fresh[t.id] for t in claimed if t.id in fresh):
                        case = cases.pop(timer.case_ref, None)  # a second timer: read again
                        self._handle(uow, timer, now, result, reminders, case)
            uow.commit()
        cursor[reminders] = position
        return True

    def _handle(
        self,
        uow: AbstractUnitOfWork,
        timer: StoredTimer,
        now: datetime,
        result: SweepResult,
        reminders: bool,
        case: Case | None = None,
    ) -> None:
        """Handle one timer; ``case``: its case, read (and locked) by the caller."""
        if case is None:
            case = uow.cases.get(timer.case_ref, lock=True)
            if all(t.id != timer.id for t in uow.timers.for_case(case.ref)):
                return  # ended since the claim, by another timer of its case in this batch
        if reminders:
            self._remind(uow, timer, now, case)
            result.reminders += 1
        elif timer.on_expiry:
            self._expire(uow, timer, now, case)
            result.fired += 1
        else:
            self._escalate(uow, timer, now, "", case)
            result.escalated += 1

    def _handle_alone(
        self,
        uow: AbstractUnitOfWork,
        timer: StoredTimer,
        now: datetime,
        result: SweepResult,
        skip: set[int],
        reminders: bool,
    ) -> None:
        """One timer in its own savepoint; a failure is undone alone and escalated."""
        try:
            with uow.savepoint():
                self._handle(uow, timer, now, result, reminders)
        except (VersionConflict, DatabaseBusy):
            result.conflicts += 1  # someone acted on the case: retry next sweep
            skip.add(timer.id)
        except CaseflowError as exc:
            log.warning("timer %s of %s could not fire: %s", timer.id, timer.case_ref, exc.message)
            result.failed += 1
            if reminders:
                skip.add(timer.id)
                return
            try:
                with uow.savepoint():
                    self._escalate(uow, timer, now, exc.message)
            except CaseflowError as again:  # left pending for a person (or the next sweep)
                log.error("timer %s could not be escalated: %s", timer.id, again.message)
                skip.add(timer.id)

    def _expire(
        self, uow: AbstractUnitOfWork, timer: StoredTimer, now: datetime, case: Case | None
    ) -> None:
        case = case if case is not None else uow.cases.get(timer.case_ref, lock=True)
        uow.timers.close(timer.id, TimerStatus.FIRED, now)
        reason = f"{timer.label}（{timer.last_day} 24:00）届满，依据{timer.basis}"
        trigger = timer.on_expiry or ""
        self.commands.fire_in(uow, case, case.version, trigger, None, SYSTEM_ACTOR, reason, now)
        compiled = self.ctx.registry.get(case.procedure, case.procedure_version)
        uow.notifications.add(
            recipients=case.assignees,
            kind="timer_fired",
            subject=f"{case.ref} {timer.label}届满",
            body=f"{reason}。系统已自动办理「{compiled.trigger_label(timer.on_expiry or '')}」，"
            f"案件现为「{compiled.state_label(case.state)}」。",
            at=now,
            case_id=case.id,
        )

    def _escalate(
        self,
        uow: AbstractUnitOfWork,
        timer: StoredTimer,
        now: datetime,
        problem: str,
        case: Case | None = None,
    ) -> None:
        case = case if case is not None else uow.cases.get(timer.case_ref, lock=True)
        version = case.version
        uow.timers.close(timer.id, TimerStatus.EXPIRED, now)
        case.overdue = True
        why = f"{timer.label}已于 {timer.last_day} 24:00 届满（依据{timer.basis}）"
        if problem:
            why += f"；系统未能自动办理：{problem}"
        event = case.record(
            EventKind.OVERDUE,
            SYSTEM_ACTOR,
            now,
            payload={"timer": timer.name, "last_day": timer.last_day},
            reason=why,
        )
        uow.cases.save(case, version, [event])
        uow.notifications.add(
            recipients=[*supervisors_of(uow, case), *case.assignees],
            kind="overdue",
            subject=f"逾期督办：{case.ref} {case.subject.name}",
            body=f"案件 {case.ref} {why}，请督促承办人（{_names(case.assignees)}）办理。",
            at=now,
            case_id=case.id,
        )

    def _remind(
        self, uow: AbstractUnitOfWork, timer: StoredTimer, now: datetime, case: Case | None
    ) -> None:
        calendar = self.ctx.calendar(uow)
        deadline = running(timer).deadline(calendar)
        # The reminder due is the one scheduled (a window recorded after its legal event
        # skipped those whose day had gone): none before the day it was scheduled for.
        scheduled = timer.remind_at.astimezone(LOCAL_TZ).date() if timer.remind_at else None
        nxt = next_reminder(
            deadline, timer.reminders, timer.reminders_sent, timer.started_at, calendar, scheduled
        )
        if nxt is None:
            uow.timers.reminder_sent(timer.id, timer.reminders_sent, None)
            return
        days, _ = nxt
        sent = [*timer.reminders_sent, days]
        after = next_reminder(
            deadline, timer.reminders, sent, timer.started_at, calendar, scheduled
        )
        uow.timers.reminder_sent(timer.id, sent, after[1] if after else None)
        case = case if case is not None else uow.cases.get(timer.case_ref, lock=True)
        version = case.version
        text = f"距{timer.label}届满还有 {days} 个工作日（{timer.last_day} 24:00 前）"
        event = case.record(
            EventKind.REMINDER,
            SYSTEM_ACTOR,
            now,
            payload={"timer": timer.name, "working_days_left": days, "last_day": timer.last_day},
            reason=text,
        )
        uow.cases.save(case, version, [event])
        uow.notifications.add(
            recipients=case.assignees or supervisors_of(uow, case),
            kind="reminder",
            subject=f"期限提醒：{case.ref} {timer.label}",
            body=f"案件 {case.ref}（{case.subject.name}）{text}，依据{timer.basis}。",
            at=now,
            case_id=case.id,
        )
