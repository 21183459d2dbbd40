"""The procedure registry: every procedure version compiled once, shared by all cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.domain.county import ProcedureSettings
from engine.domain.errors import ProcedureDeclarationError, UnknownProcedure
from engine.domain.procedure import (
    CompiledProcedure,
    PeriodSetting,
    ProcedureDecl,
    check_templates,
    compile_procedure,
)
from engine.domain.roles import Role


class ProcedureRegistry:
    def __init__(
        self,
        decls: Iterable[ProcedureDecl],
        template_exists: Callable[[str], bool] | None = None,
    ) -> None:
        self._compiled: dict[tuple[str, int], CompiledProcedure] = {}
        self._latest: dict[str, int] = {}
        for decl in decls:
            compiled = compile_procedure(decl)
            if template_exists is not None:
                check_templates(decl, template_exists)
            self._compiled[compiled.key] = compiled
            self._latest[decl.id] = max(decl.version, self._latest.get(decl.id, 0))
        self.most_reminder_days = max(
            (
                n
                for c in self._compiled.values()
                for s in c.decl.states
                for t in s.timers
                for n in t.reminders
            ),
            default=0,
        )
        """The most working days before its last day any timer of any version reminds
        (what bounds the sweep's reading of the timers for reminders, db/timers.py)."""

    def latest(self, procedure: str) -> CompiledProcedure:
        if procedure not in self._latest:
            raise UnknownProcedure(procedure, sorted(self._latest))
        return self._compiled[(procedure, self._latest[procedure])]

    def get(self, procedure: str, version: int) -> CompiledProcedure:
        try:
            return self._compiled[(procedure, version)]
        except KeyError:
            raise UnknownProcedure(f"{procedure}@{version}", sorted(self._latest)) from None

    def all_latest(self) -> list[CompiledProcedure]:
        return [self._compiled[(p, v)] for p, v in sorted(self._latest.items())]

    def all(self) -> list[CompiledProcedure]:
        return list(self._compiled.values())

    def with_state(self, state: str) -> frozenset[tuple[str, str]]:
        """(procedure, ``state``) for every procedure that has the state: a search by state
        alone then reads the (procedure, state) index once per procedure."""
        return frozenset((c.decl.id, state) for c in self.all() if state in c.states)

    def states_where(self, role: Role) -> frozenset[tuple[str, str]]:
        """(procedure, state) pairs in which someone of ``role`` may fire a trigger (where
        a legal reviewer's review waits, for instance)."""
        return frozenset(
            (c.decl.id, state)
            for c in self.all()
            for state in c.states
            if any(role in c.triggers[t][0].roles for t in c.allowed_triggers(state))
        )

    def waiting_for(self, role: Role) -> frozenset[tuple[str, str]]:
        """(procedure, state) pairs in which a case waits for someone of ``role``: every
        way out of the state is someone else's than the inspectors' (or the clock's), and
        ``role`` has one — an approval, a decision, a review, closing a case."""
        waiting: set[tuple[str, str]] = set()
        for c in self.all():
            for state in c.states:
                exits = [
                    b
                    for t in c.allowed_triggers(state)
                    for b in c.branches(state, t)
                    if b.target(state) != state
                ]
                roles = frozenset(r for b in exits for r in b.roles)
                if exits and role in roles and not roles & {Role.INSPECTOR, Role.SYSTEM}:
                    waiting.add((c.decl.id, state))
        return frozenset(waiting)


def check_settings(registry: ProcedureRegistry, settings: ProcedureSettings) -> None:
    """Fail at load time when a procedure's timer or extension names a period the county
    does not configure (instead of failing on the first case that reaches it)."""
    known = settings.period_keys()
    for compiled in registry.all():
        decl = compiled.decl
        periods = [t.period for s in decl.states for t in s.timers]
        periods += [t.extends.period for t in decl.triggers if t.extends is not None]
        for period in periods:
            if isinstance(period, PeriodSetting) and period.key not in known:
                raise ProcedureDeclarationError(
                    f"{decl.id}@{decl.version}",
                    f"period setting {period.key!r} is not configured by the county "
                    f"(it configures {sorted(known)})",
                )
