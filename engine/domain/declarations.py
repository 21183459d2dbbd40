"""How a procedure is declared: states, the timers they start, the triggers that move a case
between them, the guards those triggers need, the documents they issue.

Every declaration takes keyword arguments only, so a declaration reads like the rule it
states::

    TriggerDecl(
        name="order_payment",
        label="责令限期支付",
        source="findings",
        dest="payment_ordered",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, HAS_ADMITTED_ARREARS),
        payload=PaymentOrder,
        effect=record_order,
        documents=(RECTIFICATION_ORDER,),
    )

A trigger that records something without moving the case says so with ``dest=STAY``. A
trigger whose outcome depends on conditions (a payment that settles the arrears or leaves a
remainder) is declared once with `branches`, each `Branch` stating only its conditions, its
destination and its documents.

Guards are named after the condition that must hold. A fixed guard is an UPPER_SNAKE module
constant made with the `guard` decorator, and its ``name`` is the constant's name in lower
case (``HAS_DISPUTE`` ↔ ``"has_dispute"``); a guard that depends on the procedure using it is
made by a factory function named like the guard (``may_refer(matter)`` ↔ ``"may_refer"``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Literal

from pydantic import BaseModel

from engine.deadlines import Period
from engine.domain.county import DocFamily, ProcedureSettings
from engine.domain.roles import Role


@dataclass(frozen=True)
class Actor:
    """Who fires a trigger: a user name and the role the engine checks, and the channel the
    command came through (web, api, cli; system for the sweep), which every event records."""

    name: str
    role: Role
    channel: str = ""


@dataclass(frozen=True)
class Window:
    """A statutory window of the case as it stands (a timer of the case's current state,
    pauses and extensions counted): its last day and the instant it ends (24:00)."""

    last_day: date
    ends_at: datetime


@dataclass(frozen=True)
class GuardContext:
    """Everything a guard may look at; guards are pure functions of this. ``windows`` are
    the timers of the case's current state by name (what an expiry is checked against)."""

    case_ref: str
    state: str
    data: Mapping[str, Any]
    assignees: Sequence[str]
    opened_by: str
    actor: Actor
    payload: BaseModel | None
    now: datetime
    settings: ProcedureSettings
    windows: Mapping[str, Window] = field(default_factory=dict)


Check = Callable[[GuardContext], str | None]
"""A guard's test: None when the condition holds, else the reason (Chinese) why not."""


@dataclass(frozen=True, kw_only=True)
class Guard:
    """A named condition. `check` returns None when it holds, or the reason (Chinese) why not."""

    name: str
    label: str
    check: Check


def guard(name: str, label: str) -> Callable[[Check], Guard]:
    """Declare a guard from its check::

    @guard("has_dispute", "存在争议金额")
    def HAS_DISPUTE(ctx: GuardContext) -> str | None: ...
    """

    def make(check: Check) -> Guard:
        return Guard(name=name, label=label, check=check)

    return make


@dataclass(frozen=True, kw_only=True)
class PeriodSetting:
    """A period the county profile sets (no national rule fixes it). A key the county does
    not configure fails when the registry loads, never silently at run time."""

    key: str

    def resolve(self, settings: ProcedureSettings) -> Period:
        return settings.period(self.key)


DateOf = Callable[[Mapping[str, Any]], date | datetime | str | None]
"""Reads a date of an earlier event from the case data (a date, an instant, or either in
ISO form)."""


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """The legal event a timer runs from when it is not the transition that starts it:
    a date field of the payload of the trigger entering the state (送达、收到通知、申请、
    收到报告之日), or a date of an earlier event the case data keeps (立案之日, the day the
    remedy windows lapsed). ``event`` names it in Chinese for errors and the board.

    A date from the payload may not lie in the future nor before the event it follows
    (``after``, read from the case data before the trigger's effect); an anchor that finds
    no date falls back to the transition itself only when ``required`` is False."""

    event: str
    field: str = ""
    data: DateOf | None = None
    after: DateOf | None = None
    after_event: str = ""
    required: bool = True


@dataclass(frozen=True, kw_only=True)
class TimerDecl:
    """A statutory window a state starts on entry; on expiry the sweep fires `on_expiry`
    as the system user, or, with `on_expiry=None`, only marks the case overdue and escalates
    it to the supervisor. Reminders are sent the given numbers of working days before."""

    name: str
    label: str
    period: Period | PeriodSetting
    basis: str
    on_expiry: str | None = None
    reminders: tuple[int, ...] = (3, 1)
    anchor: Anchor | None = None
    """What the window runs from; None: the transition that enters the state."""

    def resolve_period(self, settings: ProcedureSettings) -> Period:
        if isinstance(self.period, PeriodSetting):
            return self.period.resolve(settings)
        return self.period


@dataclass(frozen=True, kw_only=True)
class TimerExtension:
    """A trigger that extends a running timer (延期), at most `max_times` times per case."""

    timer: str
    period: Period | PeriodSetting
    max_times: int = 1


@dataclass(frozen=True, kw_only=True)
class LinkedCase:
    """A trigger that opens a new case of another procedure (same party), linked both ways,
    in the same transaction — e.g. an off-site fund audit escalating to an on-site one."""

    procedure: str
    source: str


@dataclass(frozen=True, kw_only=True)
class DocumentDecl:
    """A numbered notice a transition issues, rendered from `template`. Its number is the
    county's prefix for the family plus this type's abbreviation, the year and a sequence
    that is gap-free per prefix and year, e.g. 定人社监令〔2026〕12号."""

    kind: str
    title: str
    template: str
    family: DocFamily
    abbrev: str = ""


@dataclass(frozen=True, kw_only=True)
class StateDecl:
    name: str
    label: str
    final: bool = False
    timers: tuple[TimerDecl, ...] = ()


Effect = Callable[[GuardContext], Mapping[str, Any]]
"""Computes the data a trigger records on the case (merged into `case.data`)."""


class Stay(Enum):
    """The destination of a trigger that records something without moving the case."""

    STAY = "stay"

    def __bool__(self) -> Literal[False]:
        """False, so ``trigger.dest or source`` is the state a trigger leads to."""
        return False

    def __repr__(self) -> str:
        return "STAY"


STAY: Final = Stay.STAY

Sources = str | tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TriggerDecl:
    """One transition from each of its sources to `dest` (a state, or `STAY`). Several
    declarations may share a name (branches, see `branches`): the first whose source
    matches and whose guards hold is taken. Branches of one name share roles, payload and
    label."""

    name: str
    label: str
    source: Sources
    dest: str | Stay
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()
    payload: type[BaseModel] | None = None
    effect: Effect | None = None
    documents: tuple[DocumentDecl, ...] = ()
    reason_required: bool = False
    extends: TimerExtension | None = None
    pauses_clock: bool = False
    resumes_clock: bool = False
    opens_case: LinkedCase | None = None
    restarts_timers: bool = False
    """A trigger that records the legal event the state's windows run from (e.g. the
    party's receipt of a notice): the state's timers start again from their anchors."""

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    def target(self, source: str) -> str:
        """The state the case is in after this trigger fires from ``source``."""
        return self.dest or source


@dataclass(frozen=True, kw_only=True)
class Branch:
    """One outcome of a trigger with several (see `branches`): the conditions it adds to
    the trigger's own, where the case goes, the documents it adds; and, where they differ
    from the trigger's, its sources and the data it records."""

    dest: str | Stay
    guards: tuple[Guard, ...] = ()
    documents: tuple[DocumentDecl, ...] = ()
    source: Sources | None = None
    effect: Effect | None = None


def branches(
    *,
    name: str,
    label: str,
    source: Sources,
    roles: frozenset[Role],
    routes: tuple[Branch, ...],
    guards: tuple[Guard, ...] = (),
    payload: type[BaseModel] | None = None,
    effect: Effect | None = None,
    documents: tuple[DocumentDecl, ...] = (),
    reason_required: bool = False,
) -> tuple[TriggerDecl, ...]:
    """A trigger with several guarded outcomes, tried in order: each route is one
    `TriggerDecl` with the trigger's guards followed by the route's, the trigger's documents
    followed by the route's, and the route's own sources or effect where it names them."""
    return tuple(
        TriggerDecl(
            name=name,
            label=label,
            source=route.source if route.source is not None else source,
            dest=route.dest,
            roles=roles,
            guards=(*guards, *route.guards),
            payload=payload,
            effect=route.effect if route.effect is not None else effect,
            documents=(*documents, *route.documents),
            reason_required=reason_required,
        )
        for route in routes
    )


@dataclass(frozen=True, kw_only=True)
class ProcedureDecl:
    id: str
    version: int
    title: str
    initial: str
    states: tuple[StateDecl, ...]
    triggers: tuple[TriggerDecl, ...]
    description: str = ""
    case_prefix: str = "CASE"
    intake: type[BaseModel] | None = None
    """What is recorded when a case is registered (the complainant, the amount claimed …):
    the registration form is generated from it and the data validated against it."""
