"""The holiday calendar the county administers: importing the State Council's arrangement
for a year recomputes every open provisional deadline and writes the change into each
case's history, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.deadlines import (
    ArrangementFileError,
    LayeredCalendar,
    YearArrangement,
    parse_arrangement_toml,
)
from engine.domain.errors import CaseflowError, NotPermitted
from engine.domain.history import EventKind
from engine.domain.roles import Role
from engine.service.cases import CaseService
from engine.service.timers import running, save_running


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


def import_arrangements(service: CaseService, text: str, *, actor: str) -> ImportResult:
    try:
        arrangements = parse_arrangement_toml(text)
    except ArrangementFileError as exc:
        raise CalendarFileInvalid(exc.message) from exc
    recomputed: list[Recomputed] = []
    replaced: list[int] = []
    with service.uow() as uow:
        who = service.actor_of(uow, actor)
        if who.role is not Role.ADMIN:
            raise NotPermitted(who.name, who.role.label, "导入放假安排", [Role.ADMIN.label])
        now = service.clock.now()
        for arr in arrangements:
            official = YearArrangement(
                arr.year, arr.holidays, arr.makeup_workdays, arr.source, provisional=False
            )
            if uow.calendars.save(official, now, who.name):
                replaced.append(arr.year)
        calendar = LayeredCalendar(uow.calendars.imported())
        years = ", ".join(str(a.year) for a in arrangements)
        for timer in uow.timers.provisional_pending():
            rt = running(timer)
            deadline = rt.deadline(calendar)
            save_running(uow, timer, list(rt.pauses), list(rt.extensions), timer.paused, calendar)
            after = deadline.last_day.isoformat()
            recomputed.append(
                Recomputed(timer.case_ref, timer.name, timer.last_day, after, deadline.provisional)
            )
            case = uow.cases.get(timer.case_ref, lock=True)
            version = case.version
            changed = "不变" if after == timer.last_day else f"由 {timer.last_day} 调整为 {after}"
            case.record(
                EventKind.DEADLINE,
                who.name,
                now,
                payload={
                    "timer": timer.name,
                    "before": timer.last_day,
                    "after": after,
                    "provisional": deadline.provisional,
                },
                reason=f"导入{years}年放假安排，{timer.label}（原为暂定）{changed}",
            )
            uow.cases.save(case, version)
        uow.commit()
    service.invalidate_calendar()
    return ImportResult([a.year for a in arrangements], replaced, recomputed)


def show_year(service: CaseService, year: int) -> YearView:
    with service.uow(readonly=True) as uow:
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
