"""The user cache commands take their actor from: one read per user per few seconds, a
change through the user service seen at once, another process's change within the TTL."""

from __future__ import annotations

import pytest

from engine.bootstrap import App
from engine.domain.errors import NotPermitted, UnknownUser
from engine.domain.subject import Subject
from engine.domain.users import User
from engine.service.context import UserCache
from tests.fakes import FakeStore

PARTY = Subject("某公司", "定安县", "91469021MA5T3XY14R")


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names read from the users repository from now on."""
    from tests import fakes

    seen: list[str] = []
    real = fakes.FakeUsers.get

    def get(self: fakes.FakeUsers, name: str) -> User | None:
        seen.append(name)
        return real(self, name)

    monkeypatch.setattr(fakes.FakeUsers, "get", get)
    return seen


def _open(app: App, actor: str) -> str:
    return app.cases.open_case(
        procedure="wage_arrears", subject=PARTY, source="投诉", actor=actor
    ).ref


def test_commands_read_the_actor_once_then_from_the_cache(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.context.users.invalidate()
    reads = _reads(monkeypatch)
    ref = _open(app, "wang")
    app.cases.fire(ref, "accept", {}, actor="wang")
    app.cases.assign(ref, ["wang", "li"], actor="chen")
    app.cases.fire(ref, "start_investigation", actor="wang")
    assert sorted(reads) == ["chen", "li", "wang"]  # each user read once


def test_a_deactivation_through_the_service_takes_effect_at_once(app: App) -> None:
    _open(app, "wang")  # wang is cached now
    app.users.set_active("wang", False, actor="admin")
    with pytest.raises(UnknownUser):
        _open(app, "wang")


def test_a_role_change_through_the_service_takes_effect_at_once(app: App) -> None:
    _open(app, "li")
    app.users.set_role("li", "head", actor="admin")
    with pytest.raises(NotPermitted):
        _open(app, "li")  # a head does not register cases


def test_a_change_made_elsewhere_is_seen_once_the_entry_expires(app: App) -> None:
    now = [100.0]
    cache = UserCache(seconds=5.0, monotonic=lambda: now[0])
    app.context.users = cache
    _open(app, "wang")
    store = app.context.uow
    assert isinstance(store, FakeStore)
    wang = store.state.users["wang"]
    # another process deactivates wang: straight in the store, not through this service
    store.state.users["wang"] = User(wang.name, wang.role, wang.unit, wang.display_name, False)
    _open(app, "wang")  # still cached: within the few seconds the rule allows
    now[0] += 5.1
    with pytest.raises(UnknownUser):
        _open(app, "wang")
