"""The one small context every service is built on (in `engine/bootstrap.py`): the
unit-of-work factory, the clock, the procedure registry, the county, and the holiday
calendar shared by all commands until an import changes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.deadlines import HolidayCalendar, LayeredCalendar
from engine.domain.county import CountyContext, ProcedureSettings
from engine.domain.errors import InvalidInput, ReservedUser, UnknownUser
from engine.domain.procedure import Actor
from engine.domain.roles import SYSTEM_USER, Role
from engine.service.ports import AbstractUnitOfWork, Clock, UnitOfWorkFactory
from engine.service.registry import ProcedureRegistry

SYSTEM_ACTOR = Actor(SYSTEM_USER, Role.SYSTEM)


class CalendarCache:
    """The layered holiday calendar (imported years over the published and statutory
    ones), read once and kept until a calendar import invalidates it."""

    def __init__(self) -> None:
        self._calendar: HolidayCalendar | None = None

    def get(self, uow: AbstractUnitOfWork) -> HolidayCalendar:
        if self._calendar is None:
            self._calendar = LayeredCalendar(uow.calendars.imported())
        return self._calendar

    def invalidate(self) -> None:
        self._calendar = None


@dataclass
class ServiceContext:
    uow: UnitOfWorkFactory
    clock: Clock
    registry: ProcedureRegistry
    county: CountyContext
    calendars: CalendarCache = field(default_factory=CalendarCache)

    def calendar(self, uow: AbstractUnitOfWork) -> HolidayCalendar:
        return self.calendars.get(uow)

    def settings(self, uow: AbstractUnitOfWork) -> ProcedureSettings:
        """The county's settings with the admin's current department names (read in the
        command's own transaction, so a rename applies to the next command everywhere)."""
        names = uow.department_names.all(self.county.county_id)
        return self.county.settings.with_department_names(names)

    def current_calendar(self) -> HolidayCalendar:
        with self.uow(readonly=True) as uow:
            return self.calendar(uow)


def actor_of(uow: AbstractUnitOfWork, name: str | None) -> Actor:
    """The acting user as the engine checks it: an active user (never the system)."""
    if not name:
        raise InvalidInput("操作人", "未指定（用 --as 用户名 或环境变量 CASEFLOW_USER）")
    if name.strip().lower() == SYSTEM_USER:
        # Only the sweep acts as the system, with SYSTEM_ACTOR itself, never by name: nobody
        # can declare a window passed or write "by the system" through --as, the web or the API.
        raise ReservedUser(name)
    user = uow.users.get(name)
    if user is None or not user.active:
        raise UnknownUser(name)
    return Actor(user.name, user.role)
