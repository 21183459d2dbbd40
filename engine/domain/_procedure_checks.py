"""The load-time checks of a procedure declaration (see `compile_procedure`): each failure
names the procedure and the problem."""

from __future__ import annotations

from collections import deque

from engine.domain.declarations import STAY, ProcedureDecl, TriggerDecl
from engine.domain.errors import ProcedureDeclarationError
from engine.domain.roles import Role


def fail(decl: ProcedureDecl, problem: str) -> ProcedureDeclarationError:
    return ProcedureDeclarationError(f"{decl.id}@{decl.version}", problem)


def check(decl: ProcedureDecl) -> None:
    """Every problem a declaration can have, or nothing."""
    names = [s.name for s in decl.states]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise fail(decl, f"duplicate state(s) {sorted(dupes)}")
    if decl.initial not in names:
        raise fail(decl, f"initial state {decl.initial!r} is not a declared state")
    for t in decl.triggers:
        _check_trigger(decl, t)
    _check_branches_agree(decl)
    _check_timers(decl)
    reachable = _reachable(decl)
    unreachable = [n for n in names if n not in reachable]
    if unreachable:
        raise fail(decl, f"unreachable state(s) {unreachable} from {decl.initial!r}")
    for s in decl.states:
        if not s.final and not any(_leaves(t, s.name) for t in decl.triggers):
            raise fail(decl, f"non-final state {s.name!r} has no way out")


def _leaves(t: TriggerDecl, state: str) -> bool:
    return state in t.sources and t.dest not in (STAY, state)


def _check_trigger(decl: ProcedureDecl, t: TriggerDecl) -> None:
    known = {s.name for s in decl.states}
    finals = {s.name for s in decl.states if s.final}
    for src in t.sources:
        if src not in known:
            raise fail(decl, f"trigger {t.name!r} has unknown source state {src!r}")
        if src in finals:
            raise fail(decl, f"trigger {t.name!r} leaves final state {src!r}")
    if t.dest is not STAY and not (isinstance(t.dest, str) and t.dest):
        raise fail(
            decl,
            f"trigger {t.name!r} has no destination: name a state, or STAY to stay in its state",
        )
    if isinstance(t.dest, str) and t.dest not in known:
        raise fail(decl, f"trigger {t.name!r} has unknown destination state {t.dest!r}")
    if not t.roles:
        raise fail(decl, f"trigger {t.name!r} has no role allowed to fire it")
    if t.extends is not None:
        timers = {tm.name for st in decl.states for tm in st.timers}
        if t.extends.timer not in timers:
            raise fail(decl, f"trigger {t.name!r} extends unknown timer {t.extends.timer!r}")
    if t.pauses_clock and t.resumes_clock:
        raise fail(decl, f"trigger {t.name!r} both pauses and resumes the clock")


def _check_branches_agree(decl: ProcedureDecl) -> None:
    first: dict[str, TriggerDecl] = {}
    for t in decl.triggers:
        seen = first.setdefault(t.name, t)
        if seen.roles != t.roles or seen.payload is not t.payload:
            raise fail(decl, f"branches of trigger {t.name!r} differ in roles or payload")


def _check_timers(decl: ProcedureDecl) -> None:
    for s in decl.states:
        for timer in s.timers:
            if not timer.basis.strip():
                raise fail(decl, f"timer {timer.name!r} of state {s.name!r} has no legal basis")
            if timer.on_expiry is None:
                continue
            leaving = [
                t for t in decl.triggers if t.name == timer.on_expiry and s.name in t.sources
            ]
            if not leaving:
                raise fail(
                    decl,
                    f"timer {timer.name!r} of state {s.name!r} fires {timer.on_expiry!r}, "
                    f"which is not a trigger from that state",
                )
            if not any(Role.SYSTEM in t.roles for t in leaving):
                raise fail(
                    decl,
                    f"timer {timer.name!r} fires {timer.on_expiry!r}, which the system "
                    "user may not fire",
                )
            # Expiry is the clock's alone: a trigger meaning "the window passed" is fired by
            # the sweep, never by a user (refused before the window's end, Case.decide).
            users = {r for t in decl.triggers if t.name == timer.on_expiry for r in t.roles}
            if users != {Role.SYSTEM}:
                raise fail(
                    decl,
                    f"timer {timer.name!r} fires {timer.on_expiry!r}, which only the "
                    f"system user may fire (it also allows {sorted(users - {Role.SYSTEM})})",
                )


def _reachable(decl: ProcedureDecl) -> set[str]:
    seen = {decl.initial}
    queue = deque([decl.initial])
    while queue:
        state = queue.popleft()
        for t in decl.triggers:
            if state in t.sources and isinstance(t.dest, str) and t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    return seen
