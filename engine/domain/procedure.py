"""The procedure model: a procedure is declared once, as data (`engine.domain.declarations`),
and compiled into one `transitions` Machine per procedure version, shared by every case of
that version.

A declaration names its states (Chinese labels, final flags, timers they start), its
triggers (roles allowed to fire them, named guards, the typed payload they need, the data
they record and the documents they issue). `compile_procedure` checks the declaration and
fails with a message naming the problem: unknown state, unreachable state, a non-final state
with no way out, a trigger without a role or a destination, a timer without a legal basis,
an expiry the system cannot fire, branches of one trigger that differ in roles or payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine

from engine.domain import _procedure_checks
from engine.domain._procedure_checks import fail
from engine.domain.declarations import (
    STAY,
    Actor,
    Anchor,
    Branch,
    Check,
    DocumentDecl,
    Effect,
    Guard,
    GuardContext,
    LinkedCase,
    PeriodSetting,
    ProcedureDecl,
    Sources,
    StateDecl,
    Stay,
    TimerDecl,
    TimerExtension,
    TriggerDecl,
    Window,
    branches,
    guard,
)

__all__ = [
    "STAY",
    "Actor",
    "Anchor",
    "Branch",
    "Check",
    "CompiledProcedure",
    "DocumentDecl",
    "Effect",
    "FireOutcome",
    "Guard",
    "GuardContext",
    "LinkedCase",
    "PeriodSetting",
    "ProcedureDecl",
    "Sources",
    "StateDecl",
    "Stay",
    "TimerDecl",
    "TimerExtension",
    "TriggerDecl",
    "Window",
    "branches",
    "check_templates",
    "clock_state",
    "compile_procedure",
    "documents_of",
    "guard",
]


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
    """The branch taken, the state it left and the state the case is now in (the same state
    for a trigger that stays)."""

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
    _expiry: frozenset[str] | None = None

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

    @property
    def expiry_triggers(self) -> frozenset[str]:
        """The triggers that mean "a window passed": those a timer fires on expiry."""
        if self._expiry is None:
            self._expiry = frozenset(
                t.on_expiry for s in self.decl.states for t in s.timers if t.on_expiry is not None
            )
        return self._expiry

    def expiring(self, state: str, trigger: str) -> tuple[TimerDecl, ...]:
        """The timers of ``state`` whose expiry ``trigger`` records."""
        return tuple(t for t in self.states[state].timers if t.on_expiry == trigger)

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
    _procedure_checks.check(decl)
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
                    # an internal transition: no exit or entry, the state's timers run on
                    "dest": None if t.dest is STAY else t.dest,
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


@guard("clock_running", "期限未中止")
def CLOCK_RUNNING(ctx: GuardContext) -> str | None:
    return "期限已处于中止状态" if clock_state(ctx.data)["paused"] else None


@guard("clock_paused", "期限处于中止状态")
def CLOCK_PAUSED(ctx: GuardContext) -> str | None:
    return None if clock_state(ctx.data)["paused"] else "期限没有中止，无需恢复"


def extension_left(ext: TimerExtension) -> Guard:
    """The timer may still be extended (it was extended fewer than ``max_times`` times)."""

    def check(ctx: GuardContext) -> str | None:
        used = clock_state(ctx.data)["extensions"].get(ext.timer, 0)
        if used < ext.max_times:
            return None
        return f"该期限已延长过 {used} 次，最多可延长 {ext.max_times} 次"

    return Guard(name="extension_left", label="可以延长期限", check=check)


def _clock_guards(t: TriggerDecl) -> list[Guard]:
    guards = []
    if t.extends is not None:
        guards.append(extension_left(t.extends))
    if t.pauses_clock:
        guards.append(CLOCK_RUNNING)
    if t.resumes_clock:
        guards.append(CLOCK_PAUSED)
    return guards


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
            raise fail(decl, f"document {doc.kind!r} names missing template {doc.template!r}")
