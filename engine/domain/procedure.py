"""The procedure model: a procedure is declared once, as data, and compiled into one
`transitions` Machine per procedure version, shared by every case of that version.

A declaration names its states (Chinese labels, final flags, timers they start), its
triggers (roles allowed to fire them, named guards, the typed payload they need, the data
they record and the documents they issue). `compile_procedure` checks the declaration and
fails with a message naming the problem: unknown state, unreachable state, a non-final state
with no way out, a trigger without a role, a timer without a legal basis.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from transitions import Machine

from engine.deadlines import Period
from engine.domain.county import DocFamily, ProcedureSettings
from engine.domain.errors import ProcedureDeclarationError
from engine.domain.roles import Role


@dataclass(frozen=True)
class Actor:
    """Who fires a trigger: a user name and the role the engine checks."""

    name: str
    role: Role


@dataclass(frozen=True)
class GuardContext:
    """Everything a guard may look at; guards are pure functions of this."""

    case_ref: str
    state: str
    data: Mapping[str, Any]
    assignees: Sequence[str]
    opened_by: str
    actor: Actor
    payload: BaseModel | None
    now: datetime
    settings: ProcedureSettings


@dataclass(frozen=True)
class Guard:
    """A named condition. `check` returns None when it holds, or the reason (Chinese) why not."""

    name: str
    label: str
    check: Callable[[GuardContext], str | None]


@dataclass(frozen=True)
class PeriodSetting:
    """A period the county profile sets (no national rule fixes it). A key the county does
    not configure fails when the registry loads, never silently at run time."""

    key: str

    def resolve(self, settings: ProcedureSettings) -> Period:
        return settings.period(self.key)


@dataclass(frozen=True)
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

    def resolve_period(self, settings: ProcedureSettings) -> Period:
        if isinstance(self.period, PeriodSetting):
            return self.period.resolve(settings)
        return self.period


@dataclass(frozen=True)
class TimerExtension:
    """A trigger that extends a running timer (延期), at most `max_times` times per case."""

    timer: str
    period: Period | PeriodSetting
    max_times: int = 1


@dataclass(frozen=True)
class LinkedCase:
    """A trigger that opens a new case of another procedure (same party), linked both ways,
    in the same transaction — e.g. an off-site fund audit escalating to an on-site one."""

    procedure: str
    source: str


@dataclass(frozen=True)
class DocumentDecl:
    """A numbered notice a transition issues, rendered from `template`. Its number is the
    county's prefix for the family plus this type's abbreviation, the year and a sequence
    that is gap-free per prefix and year, e.g. 定人社监令〔2026〕12号."""

    kind: str
    title: str
    template: str
    family: DocFamily = DocFamily.INSPECTION
    abbrev: str = ""


@dataclass(frozen=True)
class StateDecl:
    name: str
    label: str
    final: bool = False
    timers: tuple[TimerDecl, ...] = ()


Effect = Callable[[GuardContext], Mapping[str, Any]]
"""Computes the data a trigger records on the case (merged into `case.data`)."""


@dataclass(frozen=True)
class TriggerDecl:
    """One transition. Several declarations may share a name (branches): the first whose
    source matches and whose guards hold is taken. Branches of one name share roles,
    payload and label."""

    name: str
    label: str
    source: str | tuple[str, ...]
    dest: str | None
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

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source


@dataclass(frozen=True)
class ProcedureDecl:
    id: str
    version: int
    title: str
    initial: str
    states: tuple[StateDecl, ...]
    triggers: tuple[TriggerDecl, ...]
    description: str = ""
    case_prefix: str = "CASE"


class _Firing:
    """The transient model a shared Machine acts on for one fire: it carries the state and
    collects the reasons guards gave, so a refusal can say which condition failed."""

    __slots__ = ("context", "failures", "state", "taken")

    def __init__(self, state: str, context: GuardContext) -> None:
        self.state = state
        self.context = context
        self.failures: list[tuple[str, str]] = []
        self.taken: TriggerDecl | None = None


def _guard_condition(guard: Guard) -> Callable[[Any], bool]:
    def condition(event_data: Any) -> bool:
        firing: _Firing = event_data.model
        reason = guard.check(firing.context)
        if reason is None:
            return True
        firing.failures.append((guard.label, reason))
        return False

    condition.__name__ = f"guard_{guard.name}"
    return condition


def _mark_taken(decl: TriggerDecl) -> Callable[[Any], None]:
    def after(event_data: Any) -> None:
        event_data.model.taken = decl

    return after


@dataclass(frozen=True)
class FireOutcome:
    trigger: TriggerDecl
    source: str
    dest: str


@dataclass
class CompiledProcedure:
    """A checked declaration with its one shared Machine."""

    decl: ProcedureDecl
    machine: Machine
    states: dict[str, StateDecl]
    triggers: dict[str, list[TriggerDecl]]
    _by_source: dict[tuple[str, str], list[TriggerDecl]] = field(default_factory=dict)
    _allowed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.decl.id, self.decl.version)

    def state_label(self, state: str) -> str:
        return self.states[state].label

    def allowed_triggers(self, state: str) -> list[str]:
        allowed = self._allowed.get(state)
        if allowed is None:
            names = [t.name for t in self.decl.triggers if state in t.sources]
            allowed = self._allowed[state] = list(dict.fromkeys(names))
        return list(allowed)

    def trigger_label(self, name: str) -> str:
        return self.triggers[name][0].label

    def branches(self, state: str, trigger: str) -> list[TriggerDecl]:
        return self._by_source.get((state, trigger), [])

    def fire(
        self, state: str, trigger: str, context: GuardContext
    ) -> FireOutcome | list[tuple[str, str]]:
        """Run the trigger through the shared Machine. Returns the outcome, or the list of
        (guard label, reason) that stopped every branch."""
        firing = _Firing(state, context)
        ok = self.machine.events[trigger].trigger(firing)
        if not ok or firing.taken is None:
            return list(dict.fromkeys(firing.failures))
        return FireOutcome(firing.taken, state, firing.state)


def compile_procedure(decl: ProcedureDecl) -> CompiledProcedure:
    """Check a declaration and build its single shared Machine."""
    _check(decl)
    states = {s.name: s for s in decl.states}
    transitions: list[dict[str, Any]] = []
    triggers: dict[str, list[TriggerDecl]] = {}
    by_source: dict[tuple[str, str], list[TriggerDecl]] = {}
    for t in decl.triggers:
        triggers.setdefault(t.name, []).append(t)
        for src in t.sources:
            by_source.setdefault((src, t.name), []).append(t)
            transitions.append(
                {
                    "trigger": t.name,
                    "source": src,
                    "dest": t.dest,
                    "conditions": [_guard_condition(g) for g in (*_clock_guards(t), *t.guards)],
                    "after": [_mark_taken(t)],
                }
            )
    machine = Machine(
        model=None,
        states=[s.name for s in decl.states],
        initial=decl.initial,
        transitions=transitions,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        name=f"{decl.id}@{decl.version}",
    )
    return CompiledProcedure(decl, machine, states, triggers, by_source)


def clock_state(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bookkeeping of pauses and extensions a case keeps in its data."""
    clock = data.get("_clock") or {}
    return {"paused": bool(clock.get("paused")), "extensions": dict(clock.get("extensions") or {})}


def _clock_guards(t: TriggerDecl) -> list[Guard]:
    guards = []
    if t.extends is not None:
        ext = t.extends

        def extension_left(ctx: GuardContext) -> str | None:
            used = clock_state(ctx.data)["extensions"].get(ext.timer, 0)
            if used < ext.max_times:
                return None
            return f"该期限已延长过 {used} 次，最多可延长 {ext.max_times} 次"

        guards.append(Guard(f"extension_left_{ext.timer}", "可以延长期限", extension_left))
    if t.pauses_clock:
        guards.append(
            Guard(
                "clock_running",
                "期限未中止",
                lambda ctx: "期限已处于中止状态" if clock_state(ctx.data)["paused"] else None,
            )
        )
    if t.resumes_clock:
        guards.append(
            Guard(
                "clock_paused",
                "期限处于中止状态",
                lambda ctx: None if clock_state(ctx.data)["paused"] else "期限没有中止，无需恢复",
            )
        )
    return guards


def _fail(decl: ProcedureDecl, problem: str) -> ProcedureDeclarationError:
    return ProcedureDeclarationError(f"{decl.id}@{decl.version}", problem)


def _check(decl: ProcedureDecl) -> None:
    names = [s.name for s in decl.states]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise _fail(decl, f"duplicate state(s) {sorted(dupes)}")
    known = set(names)
    if decl.initial not in known:
        raise _fail(decl, f"initial state {decl.initial!r} is not a declared state")
    finals = {s.name for s in decl.states if s.final}
    for t in decl.triggers:
        for src in t.sources:
            if src not in known:
                raise _fail(decl, f"trigger {t.name!r} has unknown source state {src!r}")
            if src in finals:
                raise _fail(decl, f"trigger {t.name!r} leaves final state {src!r}")
        if t.dest is not None and t.dest not in known:
            raise _fail(decl, f"trigger {t.name!r} has unknown destination state {t.dest!r}")
        if not t.roles:
            raise _fail(decl, f"trigger {t.name!r} has no role allowed to fire it")
        if t.extends is not None:
            timers = {tm.name for st in decl.states for tm in st.timers}
            if t.extends.timer not in timers:
                raise _fail(decl, f"trigger {t.name!r} extends unknown timer {t.extends.timer!r}")
        if t.pauses_clock and t.resumes_clock:
            raise _fail(decl, f"trigger {t.name!r} both pauses and resumes the clock")
    _check_branches_agree(decl)
    for s in decl.states:
        for timer in s.timers:
            if not timer.basis.strip():
                raise _fail(decl, f"timer {timer.name!r} of state {s.name!r} has no legal basis")
            if timer.on_expiry is None:
                continue
            leaving = [
                t for t in decl.triggers if t.name == timer.on_expiry and s.name in t.sources
            ]
            if not leaving:
                raise _fail(
                    decl,
                    f"timer {timer.name!r} of state {s.name!r} fires {timer.on_expiry!r}, "
                    f"which is not a trigger from that state",
                )
            if not any(Role.SYSTEM in t.roles for t in leaving):
                raise _fail(
                    decl,
                    f"timer {timer.name!r} fires {timer.on_expiry!r}, which the system "
                    "user may not fire",
                )
    reachable = _reachable(decl)
    unreachable = [n for n in names if n not in reachable]
    if unreachable:
        raise _fail(decl, f"unreachable state(s) {unreachable} from {decl.initial!r}")
    for s in decl.states:
        if s.final:
            continue
        exits = [t for t in decl.triggers if s.name in t.sources and t.dest not in (None, s.name)]
        if not exits:
            raise _fail(decl, f"non-final state {s.name!r} has no way out")


def _check_branches_agree(decl: ProcedureDecl) -> None:
    first: dict[str, TriggerDecl] = {}
    for t in decl.triggers:
        seen = first.setdefault(t.name, t)
        if seen.roles != t.roles or seen.payload is not t.payload:
            raise _fail(decl, f"branches of trigger {t.name!r} differ in roles or payload")


def _reachable(decl: ProcedureDecl) -> set[str]:
    seen = {decl.initial}
    queue = deque([decl.initial])
    while queue:
        state = queue.popleft()
        for t in decl.triggers:
            if state in t.sources and t.dest is not None and t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    return seen


def documents_of(decl: ProcedureDecl) -> list[DocumentDecl]:
    """Every document a procedure can issue (each kind once)."""
    seen: dict[str, DocumentDecl] = {}
    for t in decl.triggers:
        for d in t.documents:
            seen.setdefault(d.kind, d)
    return list(seen.values())


def check_templates(decl: ProcedureDecl, template_exists: Callable[[str], bool]) -> None:
    """Fail at load time when a document names a template that does not exist."""
    for doc in documents_of(decl):
        if not template_exists(doc.template):
            raise _fail(decl, f"document {doc.kind!r} names missing template {doc.template!r}")
