"""The case aggregate: a supervision case moving through its procedure.

A command on a case is decided from the case alone (`Case.decide` returns a frozen
`Decision`: where the case goes, what it records, the timers it starts and stops, the
documents it asks for, the linked case it opens); the service layer carries the decision out
and then records the outcome with `Case.apply`, which returns the history event to persist.
Nothing here does I/O, and nothing calls back into the service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from engine.deadlines import HolidayCalendar
from engine.domain.county import ProcedureSettings
from engine.domain.data_patch import data_patch
from engine.domain.decision import Decision, DocumentRequest, IssuedRef, Opening
from engine.domain.errors import (
    GuardFailed,
    InvalidInput,
    NotPermitted,
    PayloadInvalid,
    TriggerNotAllowed,
    WindowNotPassed,
)
from engine.domain.history import GENESIS, EventKind, HistoryEvent, make_event
from engine.domain.payloads import validate_payload
from engine.domain.procedure import (
    Actor,
    CompiledProcedure,
    FireOutcome,
    GuardContext,
    PeriodSetting,
    TriggerDecl,
    Window,
    clock_state,
)
from engine.domain.roles import Role
from engine.domain.subject import Subject
from engine.domain.text import NOTE_LIMIT, checked
from engine.domain.timer_start import start_timers, timers_json
from engine.domain.timers import ClockChange, ClockChangeKind


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
        assignees: Sequence[str] | None = None,
        calendar: HolidayCalendar,
        settings: ProcedureSettings,
    ) -> tuple[Case, Opening]:
        """Open a case in the procedure's initial state. An inspector who opens it is its
        first assignee unless ``assignees`` names them (a linked case takes its parent's)."""
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
            assignees=list(assignees)
            if assignees is not None
            else [actor.name]
            if actor.role is Role.INSPECTOR
            else [],
        )
        timers = start_timers(
            compiled, case.state, now, calendar, settings, what="案件登记", data=case.data
        )
        payload: dict[str, Any] = {
            "subject": subject.__dict__,
            "source": source,
            "unit": unit,
            "matter": matter,
            "data": dict(case.data),
            "assignees": list(case.assignees),
        }
        if timers:
            payload["_timers"] = timers_json(timers)
        event = case.record(EventKind.OPENED, actor, now, to_state=case.state, payload=payload)
        return case, Opening(event, timers)

    # -- recording -----------------------------------------------------------------------

    def record(
        self,
        kind: EventKind,
        actor: str | Actor,
        at: datetime,
        *,
        trigger: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        payload: Mapping[str, Any] | None = None,
        reason: str = "",
    ) -> HistoryEvent:
        """Append an event to the case's chain; the caller persists it with the case. An
        `Actor` also gives the channel its command came through (``_channel``, hashed with
        the rest)."""
        name = actor if isinstance(actor, str) else actor.name
        if not isinstance(actor, str) and actor.channel:
            payload = {**(payload or {}), "_channel": actor.channel}
        event = make_event(
            case_ref=self.ref,
            seq=self.last_seq + 1,
            prev_hash=self.last_hash,
            at=at,
            actor=name,
            kind=kind,
            trigger=trigger,
            from_state=from_state,
            to_state=to_state,
            payload=payload,
            reason=reason,
        )
        self.last_seq, self.last_hash = event.seq, event.hash
        return event

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    # -- firing a trigger ----------------------------------------------------------------

    def decide(
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
        windows: Mapping[str, Window] | None = None,
    ) -> Decision:
        """Check the trigger against the state, the actor's role, the expiry of its window,
        the payload and the guards, and decide its outcome (``windows``: the timers of the
        current state as they stand). Changes nothing; raises the engine's typed errors."""
        decl = self._allowed(compiled, trigger, actor)
        self._check_expiry(compiled, decl, now, windows := dict(windows or {}))
        payload = _validated(decl, raw_payload, reason)
        context = self.context(actor, payload, now, settings, windows)
        if not isinstance(result := compiled.fire(self.state, trigger, context), FireOutcome):
            raise GuardFailed(self.ref, decl.label, result)
        taken = result.trigger
        recorded = dict(taken.effect(context)) if taken.effect else {}
        data_after = {**self.data, **recorded}
        changes, note, clock = clock_changes(taken, data_after, settings)
        if clock is not None:  # the case's bookkeeping of pauses and extensions
            recorded["_clock"] = data_after["_clock"] = clock
        restart = result.dest != result.source or taken.restarts_timers
        started = start_timers(
            compiled, result.dest if restart else None, now, calendar, settings,
            what=decl.label, data=data_after, before=self.data, payload=payload,
        )  # fmt: skip
        dumped = payload.model_dump(mode="json") if payload is not None else {}
        document_context = {
            **{"trigger": trigger, "payload": dumped, "data": data_after},
            "deadlines": {t.name: t.deadline.last_day.isoformat() for t in started},
            **{"actor": actor.name, "reason": reason},
        }
        return Decision(
            trigger=trigger,
            label=decl.label,
            actor=actor,
            at=now,
            source=result.source,
            dest=result.dest,
            payload=dumped,
            reason=reason,
            recorded=recorded,
            data_after=data_after,
            clock_note=note,
            timers_cancelled=(
                (result.source,) if restart and compiled.states[result.source].timers else ()
            ),
            timers_started=started,
            clock_changes=changes,
            documents=tuple(DocumentRequest(d, document_context) for d in taken.documents),
            opens_case=taken.opens_case,
            closes=compiled.states[result.dest].final,
        )

    def apply(
        self,
        decision: Decision,
        issued: Sequence[IssuedRef] = (),
        linked: Sequence[str] = (),
    ) -> HistoryEvent:
        """Record a decision the service carried out: the documents it issued and the
        linked cases it opened go into the history event, which is returned."""
        written = data_patch(self.data, decision.recorded)
        self.data.update(decision.recorded)
        if linked:
            self.data["linked_cases"] = [*self.data.get("linked_cases", []), *linked]
        self.state = decision.dest
        if decision.state_changed:
            self.overdue = False
        if decision.closes:
            self.closed_at = decision.at
        payload: dict[str, Any] = dict(decision.payload)
        # What the transition wrote into the case's data (always, even nothing), as a patch
        # of the data before it, so the case row can be replayed from its history
        # (`caseflow verify`) and an event stays the size of its step.
        payload["_data"] = written
        if issued:
            payload["_documents"] = [ref.as_json() for ref in issued]
        if decision.clock_note:
            payload["_clock"] = dict(decision.clock_note)
        if linked:
            payload["_linked"] = list(linked)
        if decision.timers_started:
            payload["_timers"] = timers_json(decision.timers_started)
        return self.record(
            EventKind.FIRED,
            decision.actor,
            decision.at,
            trigger=decision.trigger,
            from_state=decision.source,
            to_state=decision.dest,
            payload=payload,
            reason=decision.reason,
        )

    def _check_expiry(
        self,
        compiled: CompiledProcedure,
        decl: TriggerDecl,
        now: datetime,
        windows: Mapping[str, Window],
    ) -> None:
        """Expiry is the clock's alone: a "window passed" trigger needs the window of the
        current state that it records to have ended."""
        if decl.name not in compiled.expiry_triggers:
            return
        timers = compiled.expiring(self.state, decl.name)
        if not timers:
            raise WindowNotPassed(self.ref, decl.label, "本状态没有计算中的期限", "")
        for timer in timers:
            window = windows.get(timer.name)
            if window is None:
                raise WindowNotPassed(self.ref, decl.label, timer.label, "尚未开始计算")
            if now < window.ends_at:
                ends = f"至{window.last_day.isoformat()} 24:00 届满，尚未届满"
                raise WindowNotPassed(self.ref, decl.label, timer.label, ends)

    def _allowed(self, compiled: CompiledProcedure, trigger: str, actor: Actor) -> TriggerDecl:
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
        return decl

    # -- other commands ------------------------------------------------------------------

    def assign(
        self, inspectors: Sequence[str], actor: Actor, now: datetime, reason: str
    ) -> HistoryEvent:
        names = list(dict.fromkeys(n.strip() for n in inspectors if n.strip()))
        if not names:
            raise InvalidInput("承办监察员", "至少指定一名")
        previous = list(self.assignees)
        self.assignees = names
        return self.record(
            EventKind.ASSIGNED,
            actor,
            now,
            payload={"from": previous, "to": names},
            reason=reason,
        )

    def add_note(self, text: str, actor: Actor, now: datetime) -> HistoryEvent:
        if not text.strip():
            raise InvalidInput("备注", "不能为空")
        checked("备注", text, NOTE_LIMIT, multiline=True)
        return self.record(EventKind.NOTE, actor, now, payload={"text": text})

    def add_attachment(
        self, name: str, sha256: str, size: int, actor: Actor, now: datetime, note: str = ""
    ) -> HistoryEvent:
        return self.record(
            EventKind.ATTACHMENT,
            actor,
            now,
            payload={"name": name, "sha256": sha256, "size": size, "note": note},
        )

    def context(
        self,
        actor: Actor,
        payload: BaseModel | None,
        now: datetime,
        settings: ProcedureSettings,
        windows: Mapping[str, Window] | None = None,
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
            windows=dict(windows or {}),
        )


def _validated(
    decl: TriggerDecl, raw_payload: Mapping[str, Any] | None, reason: str
) -> BaseModel | None:
    payload = validate_payload(decl.label, decl.payload, raw_payload)
    if decl.reason_required and not reason.strip():
        raise PayloadInvalid(decl.label, {"reason": "必须填写理由"})
    return payload


def clock_changes(
    taken: TriggerDecl, data: Mapping[str, Any], settings: ProcedureSettings
) -> tuple[tuple[ClockChange, ...], dict[str, Any], dict[str, Any] | None]:
    """The pauses (中止) and extensions (延期) a transition makes to the running timers:
    the changes, the note the history records and the case's new clock bookkeeping (None
    when the transition leaves the clock alone)."""
    clock = clock_state(data)
    changes: list[ClockChange] = []
    note: dict[str, Any] = {}
    if taken.extends is not None:
        ext = taken.extends
        period = (
            ext.period.resolve(settings) if isinstance(ext.period, PeriodSetting) else ext.period
        )
        clock["extensions"][ext.timer] = clock["extensions"].get(ext.timer, 0) + 1
        changes.append(ClockChange(ClockChangeKind.EXTEND, ext.timer, period))
        note = {"extend": ext.timer, "by": {"amount": period.amount, "unit": str(period.unit)}}
    if taken.pauses_clock:
        clock["paused"] = True
        changes.append(ClockChange(ClockChangeKind.PAUSE))
        note = {"pause": True}
    if taken.resumes_clock:
        clock["paused"] = False
        changes.append(ClockChange(ClockChangeKind.RESUME))
        note = {"resume": True}
    return tuple(changes), note, (clock if changes else None)
