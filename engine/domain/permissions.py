"""Who may do what outside a procedure's own triggers (whose roles the procedure declares):
one check, one error."""

from __future__ import annotations

from collections.abc import Iterable

from engine.domain.errors import NotPermitted
from engine.domain.procedure import Actor
from engine.domain.roles import Role


def require_role(actor: Actor, allowed: Iterable[Role], action: str) -> None:
    """Raise NotPermitted unless the actor's role is one of ``allowed``."""
    roles = frozenset(allowed)
    if actor.role not in roles:
        needed = [r.label for r in Role if r in roles]
        raise NotPermitted(actor.name, actor.role.label, action, needed)
