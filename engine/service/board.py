"""The supervisors' deadline board and the daily digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.deadlines import LOCAL_TZ, Period, Unit, days_left
from engine.domain.roles import Role
from engine.domain.timers import TimerStatus
from engine.service.cases import CaseService
from engine.service.ports import CaseFilter
from engine.service.timers import running

DIGEST_WINDOW_WORKING_DAYS = 5


@dataclass(frozen=True)
class BoardRow:
    case_ref: str
    procedure: str
    procedure_title: str
    state_label: str
    subject: str
    unit: str
    assignees: list[str]
    timer: str
    label: str
    basis: str
    last_day: str
    due_at: datetime
    rule: Period
    days_left: int
    overdue: bool
    provisional: bool
    paused: bool

    @property
    def left_text(self) -> str:
        unit = {
            Unit.WORKING_DAYS: "个工作日",
            Unit.DAYS: "日",
            Unit.MONTHS: "日",
            Unit.HOURS: "小时",
        }[self.rule.unit]
        if self.paused:
            return "已中止"
        if self.overdue:
            return f"逾期 {abs(self.days_left) if self.days_left < 0 else 0} {unit}"
        return f"剩 {self.days_left} {unit}"


def deadline_board(
    service: CaseService,
    flt: CaseFilter | None = None,
    *,
    due_within_days: int | None = None,
) -> list[BoardRow]:
    """Open deadlines, overdue first, then by due date; days left in each rule's own unit."""
    now = service.clock.now()
    rows: list[BoardRow] = []
    with service.uow(readonly=True) as uow:
        calendar = service.calendar(uow)
        for timer, case in uow.timers.open_deadlines(flt or CaseFilter()):
            compiled = service.registry.get(case["procedure"], case["procedure_version"])
            rule = Period(timer.period_amount, Unit(timer.period_unit))
            deadline = running(timer).deadline(calendar)
            left = days_left(now, deadline, rule.unit, calendar)
            overdue = timer.status is TimerStatus.EXPIRED or now >= timer.due_at
            if (
                due_within_days is not None
                and not overdue
                and (timer.due_at - now > timedelta(days=due_within_days))
            ):
                continue
            rows.append(
                BoardRow(
                    case_ref=case["ref"],
                    procedure=case["procedure"],
                    procedure_title=compiled.decl.title,
                    state_label=compiled.state_label(case["case_state"]),
                    subject=case["subject_name"],
                    unit=case["unit"],
                    assignees=list(case["assignees"] or []),
                    timer=timer.name,
                    label=timer.label,
                    basis=timer.basis,
                    last_day=timer.last_day,
                    due_at=timer.due_at,
                    rule=rule,
                    days_left=left,
                    overdue=overdue,
                    provisional=timer.provisional,
                    paused=timer.paused,
                )
            )
    rows.sort(key=lambda r: (not r.overdue, r.paused, r.due_at))
    return rows


def send_daily_digest(service: CaseService) -> int:
    """One digest per supervisor per day (idempotent): their unit's overdue deadlines and
    those due within five working days. Returns how many digests were written."""
    now = service.clock.now()
    today = now.astimezone(LOCAL_TZ).date()
    day_start = datetime.combine(today, datetime.min.time(), LOCAL_TZ)
    board = deadline_board(service)
    written = 0
    with service.uow() as uow:
        supervisors = [u for u in uow.users.list() if u.active and u.role is Role.SUPERVISOR]
        for sup in supervisors:
            if uow.notifications.list(recipient=sup.name, kind="digest", since=day_start):
                continue
            mine = [r for r in board if r.unit == sup.unit and (r.overdue or _soon(r))]
            if not mine:
                continue
            lines = [
                f"{r.case_ref} {r.subject} {r.label} {r.last_day} {r.left_text}"
                + ("（暂定）" if r.provisional else "")
                for r in mine
            ]
            overdue = sum(r.overdue for r in mine)
            uow.notifications.add(
                recipients=[sup.name],
                kind="digest",
                subject=f"{today.isoformat()} 期限日报：逾期 {overdue} 件，"
                f"{DIGEST_WINDOW_WORKING_DAYS} 个工作日内到期 {len(mine) - overdue} 件",
                body="\n".join(lines),
                at=now,
            )
            written += 1
        uow.commit()
    return written


def _soon(row: BoardRow) -> bool:
    if row.paused:
        return False
    if row.rule.unit is Unit.WORKING_DAYS:
        return row.days_left <= DIGEST_WINDOW_WORKING_DAYS
    if row.rule.unit is Unit.HOURS:
        return True
    return row.days_left <= 7
