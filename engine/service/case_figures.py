"""The figures an office keeps of a case, read from what the case recorded: its data (the
amounts and workers the procedures' payload models record — findings, payment order,
payments, penalty decision and its payments, criminal transfer and the police's answer),
its history (the date of each step), its deadlines (met or not) and its documents (文号).
The ledger (台账) and the statistics are built from these rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.history import EventKind, HistoryEvent
from engine.domain.procedure import CompiledProcedure
from engine.domain.timers import TimerStatus
from engine.service.read_models import IssuedDocument, StoredTimer

HANDLING_TIMER = "investigation"
"""The statutory time to handle a case: the investigation window of 《劳动保障监察条例》
第十七条 (60 working days, extendable by 30; workflows.blocks.investigation), counted with
its pauses and extensions into the timer's due time."""

POLICE = "police"


@dataclass(frozen=True)
class DeadlineMark:
    label: str
    last_day: str
    status: str
    """按期 (left in time), 届满 (passed and acted on), 逾期 (passed, escalated), 进行中."""

    @property
    def missed(self) -> bool:
        return self.status == "逾期"


@dataclass(frozen=True)
class CaseFigures:
    ref: str
    procedure: str
    procedure_title: str
    subject_name: str
    uscc: str
    source: str
    unit: str
    opened: date
    closed: date | None
    state_label: str
    outcome: str
    overdue: bool
    steps: dict[str, date] = field(default_factory=dict)
    deadlines: list[DeadlineMark] = field(default_factory=list)
    claimed: Decimal | None = None
    admitted: Decimal | None = None
    ordered: Decimal | None = None
    paid: Decimal | None = None
    payments: list[tuple[date, Decimal]] = field(default_factory=list)
    workers: int | None = None
    assignees: list[str] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)
    transferred_on: date | None = None
    police_outcome: str = ""
    fine: Decimal | None = None
    fine_decided: date | None = None
    fine_paid: Decimal | None = None
    days_to_close: int | None = None
    limit_days: int | None = None
    within_limit: bool | None = None

    @property
    def outstanding(self) -> Decimal | None:
        owed = self.ordered if self.ordered is not None else self.admitted
        if owed is None:
            return None
        return max(Decimal(0), owed - (self.paid or Decimal(0)))

    @property
    def deadlines_missed(self) -> int:
        return sum(1 for d in self.deadlines if d.missed)


def amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _part(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    found = data.get(key)
    return found if isinstance(found, dict) else {}


def _day(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def local_day(at: datetime) -> date:
    return at.astimezone(LOCAL_TZ).date()


def _mark(timer: StoredTimer) -> DeadlineMark:
    if timer.status is TimerStatus.CANCELLED:
        status = "按期"
    elif timer.status is TimerStatus.FIRED:
        status = "届满"
    elif timer.status in (TimerStatus.EXPIRED, TimerStatus.ENDED_LATE):
        status = "逾期"
    else:
        status = "进行中"
    return DeadlineMark(timer.label, timer.last_day, status)


def _steps(history: Sequence[HistoryEvent], compiled: CompiledProcedure) -> dict[str, date]:
    steps: dict[str, date] = {}
    for event in history:
        if event.kind is EventKind.FIRED and event.trigger:
            steps.setdefault(compiled.trigger_label(event.trigger), local_day(event.at))
    return steps


def _police(data: Mapping[str, Any]) -> tuple[date | None, str]:
    for referral in data.get("referrals") or []:
        if isinstance(referral, dict) and referral.get("department") == POLICE:
            outcome = str(referral.get("outcome") or "")
            return _day(referral.get("sent_on")), outcome or "待公安机关答复"
    return None, ""


def _outcome(case: Case, data: Mapping[str, Any], state_label: str) -> str:
    closing = data.get("closing")
    summary = data.get("closing_summary") or (
        closing.get("summary") if isinstance(closing, dict) else ""
    )
    if case.closed_at is None:
        return f"办理中（{state_label}）"
    return f"{state_label}：{summary}" if summary else state_label


def _handling(
    case: Case, timers: Sequence[StoredTimer]
) -> tuple[int | None, int | None, bool | None]:
    window = next((t for t in timers if t.name == HANDLING_TIMER), None)
    if window is None or case.closed_at is None:
        return None, None, None
    taken = (local_day(case.closed_at) - local_day(case.opened_at)).days
    limit = (local_day(window.due_at) - local_day(case.opened_at)).days
    return taken, limit, case.closed_at <= window.due_at


def figures(
    case: Case,
    compiled: CompiledProcedure,
    history: Sequence[HistoryEvent],
    timers: Sequence[StoredTimer],
    documents: Sequence[IssuedDocument],
) -> CaseFigures:
    data = case.data
    found, order = _part(data, "findings"), _part(data, "payment_order")
    penalty = _part(data, "penalty")
    decision = _part(penalty, "decision")
    workers = found.get("workers", data.get("complainants"))
    payments = [
        (d, a)
        for p in data.get("payments") or []
        if isinstance(p, dict)
        and (d := _day(p.get("paid_on"))) is not None
        and (a := amount(p.get("amount"))) is not None
    ]
    transferred_on, police_outcome = _police(data)
    taken, limit, within = _handling(case, timers)
    state_label = compiled.state_label(case.state)
    return CaseFigures(
        ref=case.ref,
        procedure=case.procedure,
        procedure_title=compiled.decl.title,
        subject_name=case.subject.name,
        uscc=case.subject.uscc,
        source=case.source,
        unit=case.unit,
        opened=local_day(case.opened_at),
        closed=local_day(case.closed_at) if case.closed_at else None,
        state_label=state_label,
        outcome=_outcome(case, data, state_label),
        overdue=case.overdue,
        steps=_steps(history, compiled),
        deadlines=[_mark(t) for t in timers],
        claimed=amount(found.get("claimed", data.get("claimed"))),
        admitted=amount(found.get("admitted")),
        ordered=amount(order.get("amount")),
        paid=amount(data.get("paid_total")),
        payments=payments,
        workers=int(workers) if isinstance(workers, int) else None,
        assignees=list(case.assignees),
        documents=[(d.title, d.number) for d in documents],
        transferred_on=transferred_on,
        police_outcome=police_outcome,
        fine=amount(decision.get("fine")),
        fine_decided=_day(decision.get("decided_on")),
        fine_paid=amount(penalty.get("paid_total")),
        days_to_close=taken,
        limit_days=limit,
        within_limit=within,
    )
