"""The one small context every service is built on (in `engine/bootstrap.py`): the
unit-of-work factory, the clock, the procedure registry, the county, and the holiday
calendar shared by all commands until an import changes it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from engine.deadlines import HolidayCalendar, LayeredCalendar
from engine.domain.county import CountyContext, ProcedureSettings
from engine.domain.errors import InvalidInput, ReservedUser, UnknownUser
from engine.domain.procedure import Actor
from engine.domain.roles import SYSTEM_USER, Role
from engine.domain.users import User
from engine.service.ports import AbstractUnitOfWork, Clock, UnitOfWorkFactory
from engine.service.registry import ProcedureRegistry

SYSTEM_ACTOR = Actor(SYSTEM_USER, Role.SYSTEM, "system")

CHANNEL: ContextVar[str] = ContextVar("caseflow_channel", default="")
"""The channel the current command came through — "web", "api" or "cli" — set by the entry
point; the acting user carries it into every event the command records."""


@contextmanager
def through(channel: str) -> Iterator[None]:
    """Commands in this block came through ``channel``."""
    token = CHANNEL.set(channel)
    try:
        yield
    finally:
        CHANNEL.reset(token)


CALENDAR_CACHE_SECONDS = 5.0
"""How long a process counts days on the imported years it read before it reads them again."""


class CalendarCache:
    """The layered holiday calendar (imported years over the published and statutory
    ones), read once and kept.

    Invalidation rule: an import through this process (engine/service/calendar_admin.py)
    drops it at once; one through another process (the CLI while the web app and the
    worker run, or another web worker) is seen within CALENDAR_CACHE_SECONDS: the imported
    years are read again (a few rows) in the command's own transaction, and the calendar
    rebuilt only when they differ. Before, such a process counted windows on the holidays
    it had read at its start until it was restarted."""

    def __init__(
        self,
        seconds: float = CALENDAR_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self._monotonic = monotonic
        self._calendar: HolidayCalendar | None = None
        self._imported: object = None
        self._read_at = 0.0

    def get(self, uow: AbstractUnitOfWork) -> HolidayCalendar:
        now = self._monotonic()
        calendar = self._calendar
        if calendar is None or now - self._read_at >= self.seconds:
            imported = uow.calendars.imported()
            if calendar is None or imported != self._imported:
                calendar = self._calendar = LayeredCalendar(imported)
                self._imported = imported
            self._read_at = now
        return calendar

    def invalidate(self) -> None:
        self._calendar = None


USER_CACHE_SECONDS = 5.0
"""How long a user read by one process may serve its commands before it is read again."""


class UserCache:
    """The users commands act as, read once and kept for a few seconds: every command
    checks its actor (and `assign` its inspectors), and users change rarely.

    Invalidation rule: a change made through this process's services (UserService: add,
    role, unit, activation) drops the user at once, after its commit; a change made by
    another process (the CLI while the web app runs) is seen within USER_CACHE_SECONDS.
    It serves the identity the engine checks (name, role, unit, active) and what documents
    print of their officers, signers and named people (full name, 执法证号, title;
    engine/service/issuing.py) — an edit through UserService drops the user too.
    Credentials and lock-outs are always read from the database (engine/service/auth.py)."""

    def __init__(
        self,
        seconds: float = USER_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self._monotonic = monotonic
        self._users: dict[str, tuple[User | None, float]] = {}
        self._lock = threading.Lock()

    def get(self, uow: AbstractUnitOfWork, name: str) -> User | None:
        now = self._monotonic()
        hit = self._users.get(name)
        if hit is not None and hit[1] > now:
            return hit[0]
        user = uow.users.get(name)
        if self.seconds > 0:
            with self._lock:
                if len(self._users) > 10_000:  # bounded: names given by anyone
                    self._users.clear()
                self._users[name] = (user, now + self.seconds)
        return user

    def invalidate(self, name: str | None = None) -> None:
        with self._lock:
            if name is None:
                self._users.clear()
            else:
                self._users.pop(name, None)


@dataclass
class ServiceContext:
    uow: UnitOfWorkFactory
    clock: Clock
    registry: ProcedureRegistry
    county: CountyContext
    calendars: CalendarCache = field(default_factory=CalendarCache)
    users: UserCache = field(default_factory=UserCache)

    def actor(self, uow: AbstractUnitOfWork, name: str | None) -> Actor:
        """The acting user (from the user cache), as `actor_of` checks it."""
        return actor_of(uow, name, self.users)

    def calendar(self, uow: AbstractUnitOfWork) -> HolidayCalendar:
        return self.calendars.get(uow)

    def settings(self, uow: AbstractUnitOfWork) -> ProcedureSettings:
        """The county's settings with the admin's current department names (read in the
        command's own transaction, so a rename applies to the next command everywhere; read
        only when the command looks a name up, which most commands never do)."""
        county_id = self.county.county_id
        return self.county.settings.with_department_names_from(
            lambda: uow.department_names.all(county_id)
        )

    def current_calendar(self) -> HolidayCalendar:
        with self.uow(readonly=True) as uow:
            return self.calendar(uow)


def actor_of(uow: AbstractUnitOfWork, name: str | None, cache: UserCache | None = None) -> Actor:
    """The acting user as the engine checks it: an active user (never the system)."""
    if not name:
        raise InvalidInput("操作人", "未指定（用 --as 用户名 或环境变量 CASEFLOW_USER）")
    if name.strip().lower() == SYSTEM_USER:
        # Only the sweep acts as the system, with SYSTEM_ACTOR itself, never by name: nobody
        # can declare a window passed or write "by the system" through --as, the web or the API.
        raise ReservedUser(name)
    user = cache.get(uow, name) if cache is not None else uow.users.get(name)
    if user is None or not user.active:
        raise UnknownUser(name)
    return Actor(user.name, user.role, CHANNEL.get())
