"""How commands meet concurrent writers: the one lock order (the case first) and the
bounded retry of a command whose user named no version.

Lock order. Every writer locks a case before it writes anything of it — its timers,
documents, attachments, counters: a user command as it loads the case (`load`), the
sweep as it claims due timers (db/timers.py locks the timers' cases, never the timer
rows, and reads the timers again under the lock), the calendar import before it moves a
provisional deadline. Two writers of one case therefore meet at the case row and queue
there; neither can hold a timer the other waits for while waiting for a case the other
holds, so the sweep and user commands cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from engine.domain.case import Case
from engine.domain.errors import DatabaseBusy, VersionConflict
from engine.service.ports import AbstractUnitOfWork

ATTEMPTS = 3
"""How often a command given no expected version is run before its conflict is reported."""

T = TypeVar("T")


def retried(ref: str, expected_version: int | None, attempt: Callable[[], T]) -> T:
    """Run one command's unit of work, again on a conflict it did not ask for.

    A user who gave no version asked for "this action on the case as it is": when the case
    moved on under the command (VersionConflict) or the database gave the transaction up
    for a concurrent one (DatabaseBusy: a deadlock victim, a serialization failure), the
    whole unit of work runs again — the case reloaded, the engine deciding afresh on the
    new state, which may now refuse the trigger with its own typed error. At most
    ATTEMPTS runs; then a VersionConflict without a version (the user named none). A user
    who gave a version is never retried past a real version conflict (they get it at once,
    naming the version they saw), only past DatabaseBusy, where the reload re-checks it."""
    for n in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except VersionConflict as conflict:
            if expected_version is not None:
                raise
            if n == ATTEMPTS:
                raise VersionConflict(ref) from conflict
        except DatabaseBusy as busy:
            if n == ATTEMPTS:
                raise VersionConflict(ref, expected_version) from busy
    raise AssertionError("not reached")


def load(uow: AbstractUnitOfWork, ref: str, expected: int | None) -> tuple[Case, int]:
    """Load a case for a command, locked for the rest of the transaction (PostgreSQL;
    SQLite's write transaction already holds the whole database), before anything of it
    is written: the lock order of the module's docstring. Holding the row also means the
    version read here is the one saved: two plain commands on one case queue instead of
    the second failing with a conflict.

    A caller who says which version it saw gets the conflict error at once when the case
    has moved on since, before anything is evaluated."""
    case = uow.cases.get(ref, lock=True)
    if expected is not None and case.version != expected:
        raise VersionConflict(ref, expected)
    return case, case.version
