"""The case aggregate: a supervision case moving through its procedure.

A command on a case changes it in memory and records what happened: one history event,
the timers to start and cancel, the documents to issue. The service layer persists all of
it in one transaction; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as CodeError

from engine.deadlines import Deadline, HolidayCalendar, Period, compute_deadline
from engine.domain.county import ProcedureSettings
from engine.domain.errors import (
    GuardFailed,
    InvalidInput,
    NotPermitted,
    PayloadInvalid,
    TriggerNotAllowed,
)
from engine.domain.history import GENESIS, EventKind, HistoryEvent, make_event
from engine.domain.procedure import (
    Actor,
    CompiledProcedure,
    DocumentDecl,
    FireOutcome,
    GuardContext,
    PeriodSetting,
    TimerDecl,
    TriggerDecl,
    clock_state,
)
from engine.domain.roles import Role
from engine.domain.timers import ClockChange, ClockChangeKind


@dataclass(frozen=True)
class Subject:
    """The supervised party: an employer or unit with its 统一社会信用代码."""

    name: str
    address: str
    uscc: str

    @classmethod
    def create(cls, name: str, address: str, code: str) -> Subject:
        name, address = name.strip(), address.strip()
        if not name:
            raise InvalidInput("当事人名称", "不能为空")
        if not address:
            raise InvalidInput("当事人地址", "不能为空")
        return cls(name, address, validate_uscc(code))


def validate_uscc(code: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) including its check character."""
    try:
        return str(uscc.validate(code))
    except CodeError as exc:
        why = {
            "InvalidLength": "长度应为18位",
            "InvalidFormat": "含有不允许的字符",
            "InvalidChecksum": "校验位不正确",
            "InvalidComponent": "登记管理部门或机构类别代码无效",
        }.get(type(exc).__name__, "格式无效")
        raise InvalidInput("统一社会信用代码", f"{code!r} {why}") from exc


@dataclass(frozen=True)
class TimerRequest:
    """A timer a transition starts; persisted in the same transaction."""

    name: str
    label: str
    state: str
    on_expiry: str | None
    period: Period
    basis: str
    started_at: datetime
    deadline: Deadline
    reminders: tuple[int, ...]


@dataclass(frozen=True)
class DocumentRequest:
    """A document a transition issues; numbered and rendered in the same transaction."""

    decl: DocumentDecl
    context: Mapping[str, Any]


DocumentIssuer = Callable[["Case", Sequence[DocumentRequest]], Sequence[Mapping[str, Any]]]
"""Numbers, renders and stores the documents a transition issues (inside the command's
transaction) and returns, per document, what the history records (kind, number, SHA-256)."""


@dataclass
class Case:
    ref: str
    procedure: str
    procedure_version: int
    state: str
    subject: Subject
    source: str
    unit: str
    opened_by: str
    opened_at: datetime
    matter: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    assignees: list[str] = field(default_factory=list)
    version: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    closed_at: datetime | None = None
    overdue: bool = False
    id: int | None = None
    # What the current command produced, for the unit of work to persist.
    new_events: list[HistoryEvent] = field(default_factory=list, repr=False)
    timers_started: list[TimerRequest] = field(default_factory=list, repr=False)
    timers_cancelled_for: list[str] = field(default_factory=list, repr=False)
    clock_changes: list[ClockChange] = field(default_factory=list, repr=False)
    state_changed: bool = field(default=False, repr=False)

    @classmethod
    def open(
        cls,
        *,
        ref: str,
        compiled: CompiledProcedure,
        subject: Subject,
        source: str,
        unit: str,
        actor: Actor,
        now: datetime,
        data: Mapping[str, Any] | None = None,
        matter: str = "",
        calendar: HolidayCalendar,
        settings: ProcedureSettings,
    ) -> Case:
        case = cls(
            ref=ref,
            procedure=compiled.decl.id,
            procedure_version=compiled.decl.version,
            state=compiled.decl.initial,
            subject=subject,
            source=source,
            unit=unit,
            opened_by=actor.name,
            opened_at=now,
            matter=matter,
            data=dict(data or {}),
            assignees=[actor.name] if actor.role is Role.INSPECTOR else [],
        )
        case.record(
            EventKind.OPENED,
            actor.name,
            now,
            to_state=case.state,
            payload={
                "subject": subject.__dict__,
                "source": source,
                "unit": unit,
                "matter": matter,
                "data": case.data,
                "assignees": case.assignees,
            },
        )
        case._start_timers(compiled, case.state, now, calendar, settings)
        return case

    # -- recording -----------------------------------------------------------------------

    def record(
        self,
        kind: EventKind,
        actor: str,
        at: datetime,
        *,
        trigger: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        payload: Mapping[str, Any] | None = None,
        reason: str = "",
    ) -> HistoryEvent:
        event = make_event(
            case_ref=self.ref,
            seq=self.last_seq + 1,
            prev_hash=self.last_hash,
            at=at,
            actor=actor,
            kind=kind,
            trigger=trigger,
            from_state=from_state,
            to_state=to_state,
            payload=payload,
            reason=reason,
        )
        self.last_seq, self.last_hash = event.seq, event.hash
        self.new_events.append(event)
        return event

    def clear_pending(self) -> None:
        self.new_events.clear()
        self.timers_started.clear()
        self.timers_cancelled_for.clear()
        self.clock_changes.clear()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    # -- commands ------------------------------------------------------------------------

    def fire(
        self,
        compiled: CompiledProcedure,
        trigger: str,
        raw_payload: Mapping[str, Any] | None,
        actor: Actor,
        now: datetime,
        *,
        reason: str = "",
        calendar: HolidayCalendar,
        settings: ProcedureSettings,
        issue_documents: DocumentIssuer,
    ) -> FireOutcome:
        allowed = compiled.allowed_triggers(self.state)
        if trigger not in compiled.triggers or trigger not in allowed:
            raise TriggerNotAllowed(
                self.ref, trigger, self.state, compiled.state_label(self.state), allowed
            )
        decl = compiled.triggers[trigger][0]
        if actor.role not in decl.roles:
            raise NotPermitted(
                actor.name, actor.role.label, decl.label, [r.label for r in sorted(decl.roles)]
            )
        payload = _validate_payload(decl.label, decl.payload, raw_payload)
        if decl.reason_required and not reason.strip():
            raise PayloadInvalid(decl.label, {"reason": "必须填写理由"})
        context = self.context(actor, payload, now, settings)
        result = compiled.fire(self.state, trigger, context)
        if not isinstance(result, FireOutcome):
            raise GuardFailed(self.ref, decl.label, result)
        taken = result.trigger
        recorded = dict(taken.effect(context)) if taken.effect else {}
        self.data.update(recorded)
        self.state_changed = result.dest != result.source
        self.state = result.dest
        dumped = payload.model_dump(mode="json") if payload is not None else {}
        clock_note = self._change_clock(taken, settings)
        if taken.dest is not None and result.dest != result.source:
            if compiled.states[result.source].timers:
                self.timers_cancelled_for.append(result.source)
            self.overdue = False
            self._start_timers(compiled, result.dest, now, calendar, settings)
        if compiled.states[result.dest].final:
            self.closed_at = now
        deadlines = {t.name: t.deadline.last_day.isoformat() for t in self.timers_started}
        requests = [
            DocumentRequest(
                doc,
                {
                    "trigger": trigger,
                    "payload": dumped,
                    "data": dict(self.data),
                    "deadlines": deadlines,
                    "actor": actor.name,
                    "reason": reason,
                },
            )
            for doc in taken.documents
        ]
        issued = list(issue_documents(self, requests)) if requests else []
        event_payload: dict[str, Any] = dict(dumped)
        if issued:
            event_payload["_documents"] = issued
        if clock_note:
            event_payload["_clock"] = clock_note
        self.record(
            EventKind.FIRED,
            actor.name,
            now,
            trigger=trigger,
            from_state=result.source,
            to_state=result.dest,
            payload=event_payload,
            reason=reason,
        )
        return result

    def assign(self, inspectors: Sequence[str], actor: Actor, now: datetime, reason: str) -> None:
        names = list(dict.fromkeys(n.strip() for n in inspectors if n.strip()))
        if not names:
            raise InvalidInput("承办监察员", "至少指定一名")
        previous = list(self.assignees)
        self.assignees = names
        self.record(
            EventKind.ASSIGNED,
            actor.name,
            now,
            payload={"from": previous, "to": names},
            reason=reason,
        )

    def add_note(self, text: str, actor: Actor, now: datetime) -> None:
        if not text.strip():
            raise InvalidInput("备注", "不能为空")
        self.record(EventKind.NOTE, actor.name, now, payload={"text": text})

    def add_attachment(
        self, name: str, sha256: str, size: int, actor: Actor, now: datetime, note: str = ""
    ) -> None:
        self.record(
            EventKind.ATTACHMENT,
            actor.name,
            now,
            payload={"name": name, "sha256": sha256, "size": size, "note": note},
        )

    # -- helpers -------------------------------------------------------------------------

    def _change_clock(self, taken: TriggerDecl, settings: ProcedureSettings) -> dict[str, Any]:
        """Record the pauses and extensions a transition makes (the service applies them to
        the stored timers in the same transaction)."""
        clock = clock_state(self.data)
        note: dict[str, Any] = {}
        if taken.extends is not None:
            ext = taken.extends
            period = (
                ext.period.resolve(settings)
                if isinstance(ext.period, PeriodSetting)
                else (ext.period)
            )
            clock["extensions"][ext.timer] = clock["extensions"].get(ext.timer, 0) + 1
            self.clock_changes.append(ClockChange(ClockChangeKind.EXTEND, ext.timer, period))
            note = {"extend": ext.timer, "by": {"amount": period.amount, "unit": str(period.unit)}}
        if taken.pauses_clock:
            clock["paused"] = True
            self.clock_changes.append(ClockChange(ClockChangeKind.PAUSE))
            note = {"pause": True}
        if taken.resumes_clock:
            clock["paused"] = False
            self.clock_changes.append(ClockChange(ClockChangeKind.RESUME))
            note = {"resume": True}
        if note:
            self.data["_clock"] = clock
        return note

    def context(
        self,
        actor: Actor,
        payload: BaseModel | None,
        now: datetime,
        settings: ProcedureSettings,
    ) -> GuardContext:
        return GuardContext(
            case_ref=self.ref,
            state=self.state,
            data=dict(self.data),
            assignees=tuple(self.assignees),
            opened_by=self.opened_by,
            actor=actor,
            payload=payload,
            now=now,
            settings=settings,
        )

    def _start_timers(
        self,
        compiled: CompiledProcedure,
        state: str,
        now: datetime,
        calendar: HolidayCalendar,
        settings: ProcedureSettings,
    ) -> None:
        for timer in compiled.states[state].timers:
            self.timers_started.append(start_timer(timer, state, now, calendar, settings))


def start_timer(
    timer: TimerDecl,
    state: str,
    now: datetime,
    calendar: HolidayCalendar,
    settings: ProcedureSettings,
) -> TimerRequest:
    period = timer.resolve_period(settings)
    return TimerRequest(
        name=timer.name,
        label=timer.label,
        state=state,
        on_expiry=timer.on_expiry,
        period=period,
        basis=timer.basis,
        started_at=now,
        deadline=compute_deadline(now, period, calendar),
        reminders=timer.reminders,
    )


def _validate_payload(
    label: str, model: type[BaseModel] | None, raw: Mapping[str, Any] | None
) -> BaseModel | None:
    if model is None:
        if raw:
            raise PayloadInvalid(label, {k: "此操作不需要该字段" for k in raw})
        return None
    try:
        return model.model_validate(dict(raw or {}))
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "（整体）"
            problems[where] = _zh_validation_message(err)
        raise PayloadInvalid(label, problems) from exc


def _zh_validation_message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    messages = {
        "missing": "必须填写",
        "extra_forbidden": "是未知字段",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "decimal_parsing": "应为数字金额",
        "decimal_type": "应为数字金额",
        "decimal_max_places": f"最多 {ctx.get('decimal_places')} 位小数",
        "float_parsing": "应为数字",
        "string_type": "应为文字",
        "string_too_short": "不能为空",
        "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
        "date_parsing": "应为日期（YYYY-MM-DD）",
        "date_type": "应为日期（YYYY-MM-DD）",
        "greater_than": f"应大于 {ctx.get('gt')}",
        "greater_than_equal": f"应不小于 {ctx.get('ge')}",
        "less_than_equal": f"应不大于 {ctx.get('le')}",
        "literal_error": f"应为以下之一：{ctx.get('expected')}",
        "enum": f"应为以下之一：{ctx.get('expected')}",
        "list_type": "应为列表",
        "bool_parsing": "应为是/否",
        "value_error": str(err.get("msg", "")).removeprefix("Value error, "),
    }
    return messages.get(kind, f"无效（{err.get('msg', kind)}）")
