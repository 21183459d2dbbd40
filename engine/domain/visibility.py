"""Who sees which cases (DESIGN.md, the web application): inspectors their unit's cases and
those assigned to them, supervisors their unit's, legal reviewers the cases waiting for a
review and those they reviewed, the head every case; the admin, who never acts in a case
file, none. Outside one's view a case does not exist. What a person may *do* in a case is
the procedures' own role and four-eyes checks; this decides only what they may see."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from engine.domain.case import Case
from engine.domain.roles import Role
from engine.domain.users import User


@dataclass(frozen=True)
class Scope:
    """The cases a person may see: the union of what each field grants."""

    everything: bool = False
    units: frozenset[str] = frozenset()
    assignee: str | None = None
    states: frozenset[tuple[str, str]] = frozenset()
    """(procedure, state) pairs: cases waiting in them (a legal review)."""
    actor: str | None = None
    """Cases this person acted in (the reviews they made)."""

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.units or self.assignee or self.states or self.actor)

    def allows(self, case: Case, actors: Collection[str] = ()) -> bool:
        """Whether the case is in view; ``actors`` are the people its history names."""
        return (
            self.everything
            or case.unit in self.units
            or (self.assignee is not None and self.assignee in case.assignees)
            or (case.procedure, case.state) in self.states
            or (self.actor is not None and self.actor in actors)
        )


def scope_for(user: User, review_states: frozenset[tuple[str, str]]) -> Scope:
    """The view of a signed-in user; ``review_states`` are where a legal review waits."""
    if not user.active:
        return Scope()
    if user.role is Role.HEAD:
        return Scope(everything=True)
    if user.role is Role.SUPERVISOR:
        return Scope(units=frozenset({user.unit}))
    if user.role is Role.INSPECTOR:
        return Scope(units=frozenset({user.unit}), assignee=user.name)
    if user.role is Role.LEGAL:
        return Scope(states=review_states, actor=user.name)
    return Scope()
