"""The sweep: fires due timers exactly once, sends reminders before deadlines and escalates
the ones that pass. Each timer is handled in its own transaction; a worker killed mid-sweep
loses nothing (the uncommitted timer stays pending and the next sweep takes it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.errors import CaseflowError, VersionConflict
from engine.domain.history import EventKind
from engine.domain.roles import SYSTEM_USER, Role
from engine.domain.timers import TimerStatus, next_reminder
from engine.service.case_commands import CaseCommands
from engine.service.context import SYSTEM_ACTOR, ServiceContext
from engine.service.ports import AbstractUnitOfWork
from engine.service.read_models import StoredTimer
from engine.service.timer_effects import running

log = logging.getLogger(__name__)


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

    def sweep(self, *, limit: int | None = None) -> SweepResult:
        """Handle every timer due now (or at most `limit` of each kind)."""
        now = self.ctx.clock.now()
        result = SweepResult()
        while limit is None or result.fired + result.escalated + result.failed < limit:
            if not self._one(now, result, reminders=False):
                break
        sent = 0
        while limit is None or sent < limit:
            if not self._one(now, result, reminders=True):
                break
            sent += 1
        return result

    def _one(self, now: datetime, result: SweepResult, *, reminders: bool) -> bool:
        """Claim and handle one timer in one transaction; False when none is left."""
        failure: tuple[StoredTimer, CaseflowError] | None = None
        with self.ctx.uow() as uow:
            claim = uow.timers.claim_reminders if reminders else uow.timers.claim_due
            claimed = claim(now, 1)
            if not claimed:
                return False
            timer = claimed[0]
            try:
                if reminders:
                    self._remind(uow, timer, now)
                    result.reminders += 1
                elif timer.on_expiry:
                    self._expire(uow, timer, now)
                    result.fired += 1
                else:
                    self._escalate(uow, timer, now, "")
                    result.escalated += 1
                uow.commit()
            except VersionConflict:
                uow.rollback()
                result.conflicts += 1  # someone acted on the case: retry next sweep
                return True
            except CaseflowError as exc:
                uow.rollback()
                failure = (timer, exc)
        if failure is not None:
            self._record_failure(*failure, now)
            result.failed += 1
        return True

    def _expire(self, uow: AbstractUnitOfWork, timer: StoredTimer, now: datetime) -> None:
        case = uow.cases.get(timer.case_ref, lock=True)
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
        self, uow: AbstractUnitOfWork, timer: StoredTimer, now: datetime, problem: str
    ) -> None:
        case = uow.cases.get(timer.case_ref, lock=True)
        version = case.version
        uow.timers.close(timer.id, TimerStatus.EXPIRED, now)
        case.overdue = True
        why = f"{timer.label}已于 {timer.last_day} 24:00 届满（依据{timer.basis}）"
        if problem:
            why += f"；系统未能自动办理：{problem}"
        event = case.record(
            EventKind.OVERDUE,
            SYSTEM_USER,
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

    def _record_failure(self, timer: StoredTimer, exc: CaseflowError, now: datetime) -> None:
        log.warning("timer %s of %s could not fire: %s", timer.id, timer.case_ref, exc.message)
        with self.ctx.uow() as uow:
            again = uow.timers.claim_one(timer.id)
            if again is None:  # another worker took it meanwhile
                return
            self._escalate(uow, again, now, exc.message)
            uow.commit()

    def _remind(self, uow: AbstractUnitOfWork, timer: StoredTimer, now: datetime) -> None:
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
        case = uow.cases.get(timer.case_ref, lock=True)
        version = case.version
        text = f"距{timer.label}届满还有 {days} 个工作日（{timer.last_day} 24:00 前）"
        event = case.record(
            EventKind.REMINDER,
            SYSTEM_USER,
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
