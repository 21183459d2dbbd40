"""The 台账: every case handled in a period (registered in it, or still being handled when
it began), one row of figures each (case_figures), by
procedure, and the statistics the bureau reports monthly to the city and the province —
cases per month by procedure and by outcome, wages recovered and the workers covered, time
to close against the statutory limit, overdue cases per unit, transfers to the police and
their outcomes, fines imposed and collected. `ledger_workbook` writes it as an Excel
workbook; the web's 统计 page draws the statistics."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from engine.domain.errors import InvalidInput
from engine.domain.visibility import Scope
from engine.service.case_figures import CaseFigures, figures, local_day
from engine.service.context import ServiceContext
from engine.service.read_models import MAX_PER_PAGE, CaseQuery

TRANSFERRED = "移送公安机关"
MAX_DAYS = 3 * 366


def month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class Handling:
    """Closed cases of a procedure with a statutory handling limit, against that limit."""

    procedure: str
    closed: int
    within: int
    average_days: float
    average_limit: float


@dataclass
class Statistics:
    opened: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(month, procedure title) → cases registered."""
    closed: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(month, outcome) → cases closed."""
    recovered: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """month → wages paid to workers after the bureau's intervention."""
    workers: Counter[str] = field(default_factory=Counter)
    """month → workers of the cases whose first payment fell in it."""
    handling: list[Handling] = field(default_factory=list)
    overdue: Counter[str] = field(default_factory=Counter)
    """unit → open cases overdue."""
    missed: Counter[str] = field(default_factory=Counter)
    """unit → deadlines missed (escalated)."""
    police: Counter[str] = field(default_factory=Counter)
    """police outcome → cases transferred."""
    fines: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    fines_paid: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """month of the decision → fines imposed and collected."""

    @property
    def months(self) -> list[str]:
        found = {m for m, _ in self.opened} | {m for m, _ in self.closed}
        return sorted(found | set(self.recovered) | set(self.fines))


@dataclass(frozen=True)
class Ledger:
    date_from: date
    date_to: date
    rows: list[CaseFigures]
    statistics: Statistics

    def by_procedure(self) -> dict[str, list[CaseFigures]]:
        out: dict[str, list[CaseFigures]] = {}
        for row in self.rows:
            out.setdefault(row.procedure, []).append(row)
        return out


def outcome_group(row: CaseFigures) -> str:
    if row.transferred_on is not None:
        return TRANSFERRED
    return row.state_label


def statistics(rows: list[CaseFigures], first: date, last: date) -> Statistics:
    """The period's figures: what was registered, closed, paid and fined in it; the
    overdue, missed deadlines and transfers of the cases handled in it."""
    stats = Statistics()
    handled: dict[str, list[CaseFigures]] = defaultdict(list)

    def within(day: date | None) -> bool:
        return day is not None and first <= day <= last

    for row in rows:
        if within(row.opened):
            stats.opened[month(row.opened), row.procedure_title] += 1
        if row.closed is not None and within(row.closed):
            stats.closed[month(row.closed), outcome_group(row)] += 1
            if row.within_limit is not None:
                handled[row.procedure_title].append(row)
        paid_in = [(day, paid) for day, paid in row.payments if within(day)]
        for day, paid in paid_in:
            stats.recovered[month(day)] += paid
        if paid_in and row.workers and within(min(d for d, _ in row.payments)):
            stats.workers[month(min(d for d, _ in row.payments))] += row.workers
        if row.overdue and row.closed is None:
            stats.overdue[row.unit] += 1
        if row.deadlines_missed:
            stats.missed[row.unit] += row.deadlines_missed
        if within(row.transferred_on):
            stats.police[row.police_outcome] += 1
        if row.fine is not None and row.fine_decided is not None and within(row.fine_decided):
            stats.fines[month(row.fine_decided)] += row.fine
            stats.fines_paid[month(row.fine_decided)] += row.fine_paid or Decimal(0)
    for title, closed in sorted(handled.items()):
        stats.handling.append(
            Handling(
                procedure=title,
                closed=len(closed),
                within=sum(1 for r in closed if r.within_limit),
                average_days=sum(r.days_to_close or 0 for r in closed) / len(closed),
                average_limit=sum(r.limit_days or 0 for r in closed) / len(closed),
            )
        )
    return stats


class LedgerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def ledger(self, date_from: date, date_to: date, scope: Scope | None = None) -> Ledger:
        """The cases handled in the period that ``scope`` lets its reader see (None: every
        case — the CLI): registered in it (新收), or registered before it and not closed
        before it began (在办 then; 办结 in it, or still open) — with the statistics."""
        if date_to < date_from:
            raise InvalidInput("统计期间", "结束日期不能早于开始日期")
        if (date_to - date_from).days > MAX_DAYS:
            raise InvalidInput("统计期间", "最长三年")
        rows: list[CaseFigures] = []
        page = 1
        while True:
            query = CaseQuery(opened_to=date_to, scope=scope, page=page, per_page=MAX_PER_PAGE)
            with self.ctx.uow(readonly=True) as uow:
                found = uow.cases.search(query)
                for summary in found.items:
                    if summary.closed_at is not None and local_day(summary.closed_at) < date_from:
                        continue  # closed before the period: not handled in it
                    case = uow.cases.get(summary.ref)
                    rows.append(
                        figures(
                            case,
                            self.ctx.registry.get(case.procedure, case.procedure_version),
                            uow.cases.history(case.ref),
                            uow.timers.for_case(case.ref, pending_only=False),
                            uow.documents.for_case(case.ref),
                        )
                    )
            if not found.has_next:
                break
            page += 1
        rows.sort(key=lambda r: (r.procedure, r.opened, r.ref))
        return Ledger(date_from, date_to, rows, statistics(rows, date_from, date_to))

    def workbook(self, ledger: Ledger) -> bytes:
        """The 台账 as an .xlsx file (engine.service.ledger_workbook)."""
        from engine.service.ledger_workbook import workbook  # openpyxl: only when asked

        def step_order(procedure: str) -> list[str]:
            compiled = self.ctx.registry.latest(procedure)
            return [compiled.trigger_label(t) for t in compiled.triggers]

        return workbook(ledger, step_order)
