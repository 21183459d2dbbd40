"""What the page templates use to show values: local times, Chinese dates, amounts in
figures and in capitals, people by their names, roles by their titles."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment

from engine.adapters.notices import amount_in_capitals, amount_in_figures
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.domain.roles import Role
from engine.domain.users import User


def local_time(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


def local_date(at: datetime | date | str | None) -> str:
    if at is None or at == "":
        return ""
    if isinstance(at, datetime):
        return at.astimezone(LOCAL_TZ).date().isoformat()
    return str(at)


def yuan(value: Any) -> str:
    try:
        return f"{amount_in_figures(value)} 元"
    except ValueError:
        return str(value)


def capitals(value: Any) -> str:
    try:
        return amount_in_capitals(value)
    except ValueError:
        return ""


class People:
    """The users as pages list them (names, filter choices), re-read at most every few
    seconds; permissions are never decided from this copy — the services re-read the
    acting user on every command."""

    def __init__(self, services: App, ttl: float = 5.0) -> None:
        self.services = services
        self.ttl = ttl
        self._users: list[User] = []
        self._names: dict[str, str] = {}
        self._read = 0.0

    def users(self) -> list[User]:
        if time.monotonic() - self._read > self.ttl:
            self._users = self.services.users.users()
            self._names = {u.name: u.display_name for u in self._users}
            self._read = time.monotonic()
        return self._users

    def units(self) -> list[str]:
        return sorted({u.unit for u in self.users()})

    def inspectors(self) -> list[User]:
        return [u for u in self.users() if u.role is Role.INSPECTOR]

    def name(self, user: str) -> str:
        if user == "system":
            return "系统"
        self.users()
        return self._names.get(user, user)

    def names(self, users: list[str]) -> str:
        return "、".join(self.name(u) for u in users) or "未指派"


def params_with(params: Mapping[str, Any], **changes: Any) -> str:
    """A query string with some parameters changed (the pager)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return urlencode(merged)


def install(env: Environment, services: App) -> People:
    people = People(services)
    env.filters["local_time"] = local_time
    env.filters["local_date"] = local_date
    env.filters["yuan"] = yuan
    env.filters["capitals"] = capitals
    env.filters["person"] = people.name
    env.filters["people"] = people.names
    env.globals["params_with"] = params_with
    env.globals["bureau"] = services.county.bureau_name
    env.globals["county"] = services.county.county_name
    return people
