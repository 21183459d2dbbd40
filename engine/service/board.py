"""The supervisors' deadline board and the daily digest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from engine.deadlines import LOCAL_TZ, HolidayCalendar, Period, Unit, days_left
from engine.domain.errors import InvalidInput
from engine.domain.roles import Role
from engine.domain.timers import TimerStatus
from engine.service.context import ServiceContext
from engine.service.read_models import MAX_PER_PAGE, BoardEntry, BoardQuery, Page
from engine.service.registry import ProcedureRegistry
from engine.service.timer_effects import running

DIGEST_WINDOW_WORKING_DAYS = 5
DIGEST_HORIZON_DAYS = 31
"""Calendar days that surely hold the next five working days (the Spring Festival included);
the digest reads no further ahead."""


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


class DeadlineBoard:
    """The deadline board for supervisors and the head, and the daily digest."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def rows(self, query: BoardQuery | None = None) -> Page[BoardRow]:
        """Open deadlines, overdue first, then by due date (running before paused); days
        left in each rule's own unit. Filtered, ordered and paginated by the store."""
        query = query or BoardQuery()
        if query.page < 1 or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise InvalidInput("分页", f"页码从 1 开始，每页 1 到 {MAX_PER_PAGE} 条")
        if query.due_within_days is not None and query.due_within_days < 0:
            raise InvalidInput("到期天数", "不能为负数")
        now = self.ctx.clock.now()
        with self.ctx.uow(readonly=True) as uow:
            calendar = self.ctx.calendar(uow)
            page = uow.timers.open_deadlines(query, now)
        rows = [self._row(entry, now, calendar) for entry in page.items]
        return Page(rows, page.total, page.page, page.per_page)

    def all_rows(self, query: BoardQuery | None = None) -> list[BoardRow]:
        """Every row of the board, page by page (the digest, the CLI)."""
        query = query or BoardQuery()
        rows: list[BoardRow] = []
        page = 1
        while True:
            got = self.rows(replace(query, page=page, per_page=MAX_PER_PAGE))
            rows.extend(got.items)
            if not got.has_next:
                return rows
            page += 1

    def _row(self, entry: BoardEntry, now: datetime, calendar: HolidayCalendar) -> BoardRow:
        return board_row(self.ctx.registry, entry, now, calendar)

    def send_daily_digest(self) -> int:
        """One digest per supervisor per day (idempotent): their unit's overdue deadlines
        and those due within five working days. Returns how many digests were written."""
        now = self.ctx.clock.now()
        today = now.astimezone(LOCAL_TZ).date()
        day_start = datetime.combine(today, datetime.min.time(), LOCAL_TZ)
        written = 0
        with self.ctx.uow() as uow:
            supervisors = [u for u in uow.users.list() if u.active and u.role is Role.SUPERVISOR]
            for sup in supervisors:
                if uow.notifications.list(recipient=sup.name, kind="digest", since=day_start):
                    continue
                near = BoardQuery(unit=sup.unit, due_within_days=DIGEST_HORIZON_DAYS)
                mine = [r for r in self.all_rows(near) if r.overdue or _soon(r)]
                if not mine:
                    continue
                uow.notifications.add(
                    recipients=[sup.name],
                    kind="digest",
                    subject=_digest_subject(today, mine),
                    body="\n".join(_digest_line(r) for r in mine),
                    at=now,
                )
                written += 1
            uow.commit()
        return written


def board_row(
    registry: ProcedureRegistry, entry: BoardEntry, now: datetime, calendar: HolidayCalendar
) -> BoardRow:
    """A deadline as the board (and the case page) shows it: days left in its rule's unit."""
    timer, case = entry.timer, entry.case
    compiled = registry.get(case.procedure, case.procedure_version)
    rule = timer.rule
    deadline = running(timer).deadline(calendar)
    return BoardRow(
        case_ref=case.ref,
        procedure=case.procedure,
        procedure_title=compiled.decl.title,
        state_label=compiled.state_label(case.state),
        subject=case.subject_name,
        unit=case.unit,
        assignees=list(case.assignees),
        timer=timer.name,
        label=timer.label,
        basis=timer.basis,
        last_day=timer.last_day,
        due_at=timer.due_at,
        rule=rule,
        days_left=days_left(now, deadline, rule.unit, calendar),
        overdue=timer.status is TimerStatus.EXPIRED or now >= timer.due_at,
        provisional=timer.provisional,
        paused=timer.paused,
    )


def board_order(row: BoardRow) -> tuple[bool, bool, datetime]:
    """The board's order: overdue first, then running before paused, then by due time."""
    return (not row.overdue, row.paused, row.due_at)


def _digest_subject(today: date, rows: list[BoardRow]) -> str:
    overdue = sum(r.overdue for r in rows)
    return (
        f"{today.isoformat()} 期限日报：逾期 {overdue} 件，"
        f"{DIGEST_WINDOW_WORKING_DAYS} 个工作日内到期 {len(rows) - overdue} 件"
    )


def _digest_line(r: BoardRow) -> str:
    flag = "（暂定）" if r.provisional else ""
    return f"{r.case_ref} {r.subject} {r.label} {r.last_day} {r.left_text}{flag}"


def _soon(row: BoardRow) -> bool:
    if row.paused:
        return False
    if row.rule.unit is Unit.WORKING_DAYS:
        return row.days_left <= DIGEST_WINDOW_WORKING_DAYS
    if row.rule.unit is Unit.HOURS:
        return True
    return row.days_left <= 7
