"""The holiday calendar the county administers: importing the State Council's arrangement
for a year recomputes every open provisional deadline and writes the change into each
case's history, in one transaction. A file that marks a year provisional is stored as
provisional: the deadlines resting on it stay 暂定."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.deadlines import (
    ArrangementFileError,
    LayeredCalendar,
    parse_arrangement_toml,
)
from engine.deadlines.statutory import FIRST_YEAR, LAST_YEAR
from engine.domain.auth import AuditKind
from engine.domain.errors import CaseflowError, InvalidInput
from engine.domain.history import EventKind
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.service.auth import Client, record
from engine.service.context import ServiceContext, actor_of
from engine.service.ports import AbstractUnitOfWork
from engine.service.timer_effects import running, save_running

CLI = Client(channel="cli")


class CalendarFileInvalid(CaseflowError):
    code = "CALENDAR_FILE_INVALID"


@dataclass(frozen=True)
class Recomputed:
    case_ref: str
    timer: str
    before: str
    after: str
    still_provisional: bool


@dataclass(frozen=True)
class ImportResult:
    years: list[int]
    replaced: list[int]
    recomputed: list[Recomputed]


@dataclass(frozen=True)
class YearView:
    year: int
    source: str
    kind: str  # "imported" | "chinesecalendar" | "statutory"
    provisional: bool
    holidays: dict[date, str]
    makeup_workdays: list[date]


class CalendarAdmin:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def preview(self, text: str, *, actor: str, source: str = "") -> ImportResult:
        """What importing the file would change, without changing anything (the same
        import, rolled back)."""
        return self.import_arrangements(text, actor=actor, source=source, dry_run=True)

    def import_arrangements(
        self,
        text: str,
        *,
        actor: str,
        source: str = "",
        dry_run: bool = False,
        client: Client = CLI,
    ) -> ImportResult:
        """Store the arrangements of a file (admin only) and recompute every running
        deadline that rested on a provisional year, each change written into its case's
        history — all in one transaction."""
        try:
            arrangements = parse_arrangement_toml(text, source=source)
        except ArrangementFileError as exc:
            raise CalendarFileInvalid(exc.message) from exc
        replaced: list[int] = []
        with self.ctx.uow() as uow:
            who = actor_of(uow, actor)
            require_role(who, (Role.ADMIN,), "导入放假安排")
            now = self.ctx.clock.now()
            for arr in arrangements:
                # Stored as the file declares it: a year marked ``provisional = true`` keeps
                # its deadlines 暂定 until an official arrangement replaces it.
                if uow.calendars.save(arr, now, who.name):
                    replaced.append(arr.year)
            years = ", ".join(str(a.year) for a in arrangements)
            recomputed = _recompute_provisional(uow, who, now, years)
            if dry_run:
                uow.rollback()
                return ImportResult([a.year for a in arrangements], replaced, recomputed)
            detail = f"{years}年，重算 {len(recomputed)} 项暂定期限"
            record(uow, AuditKind.CALENDAR_IMPORTED, now, who.name, client, years, detail)
            uow.commit()
        self.ctx.calendars.invalidate()
        return ImportResult([a.year for a in arrangements], replaced, recomputed)

    def show_year(self, year: int) -> YearView:
        if not FIRST_YEAR <= year <= LAST_YEAR:  # what the statutory tables reach
            raise InvalidInput("年份", f"应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间，实际为 {year}")
        with self.ctx.uow(readonly=True) as uow:
            imported = uow.calendars.imported()
        calendar = LayeredCalendar(imported)
        arr = calendar.arrangement(year)
        if year in imported:
            kind = "imported"
        elif arr.provisional:
            kind = "statutory"
        else:
            kind = "chinesecalendar"
        holidays = {d: n for d, n in sorted(arr.holidays.items()) if d.year == year}
        makeups = sorted(d for d in arr.makeup_workdays if d.year == year)
        return YearView(year, arr.source, kind, arr.provisional, holidays, makeups)


def _recompute_provisional(
    uow: AbstractUnitOfWork, by: Actor, now: datetime, years: str
) -> list[Recomputed]:
    calendar = LayeredCalendar(uow.calendars.imported())
    recomputed: list[Recomputed] = []
    for listed in uow.timers.provisional_pending():
        # The case first, then its timer, as every writer (engine/service/sweep.py); the
        # timer read again under the lock, as a user command may have just changed it.
        case = uow.cases.get(listed.case_ref, lock=True)
        timer = next((t for t in uow.timers.for_case(case.ref) if t.id == listed.id), None)
        if timer is None or not timer.provisional:
            continue
        rt = running(timer)
        deadline = rt.deadline(calendar)
        save_running(uow, timer, list(rt.pauses), list(rt.extensions), timer.paused, calendar)
        after = deadline.last_day.isoformat()
        recomputed.append(
            Recomputed(timer.case_ref, timer.name, timer.last_day, after, deadline.provisional)
        )
        version = case.version
        changed = "不变" if after == timer.last_day else f"由 {timer.last_day} 调整为 {after}"
        event = case.record(
            EventKind.DEADLINE,
            by,
            now,
            payload={
                "timer": timer.name,
                "before": timer.last_day,
                "after": after,
                "provisional": deadline.provisional,
            },
            reason=f"导入{years}年放假安排，{timer.label}（原为暂定）{changed}",
        )
        uow.cases.save(case, version, [event])
    return recomputed
