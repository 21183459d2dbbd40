"""Delivering the outbox on the in-memory store with recording senders: each user's
channels (and kinds), the back-off schedule, the dead letter and its retry, nothing
planned while no channel is configured, and the admin's alone to read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.errors import NotPermitted
from engine.service.delivery import (
    MAX_ATTEMPTS,
    MAX_RETRY,
    Directory,
    NotificationDelivery,
    Route,
    backoff,
)
from engine.service.delivery_ports import DeliveryStatus, Outgoing, SendFailed
from tests.shared import START
from tests.unit.workflows._harness import fake_app


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.sent: list[Outgoing] = []
        self.failures = failures

    def send(self, message: Outgoing) -> None:
        if self.failures:
            self.failures -= 1
            raise SendFailed("连接被拒绝")
        self.sent.append(message)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(clock: FixedClock) -> App:
    return fake_app("dingan", clock)


def _notify(app: App, recipient: str, kind: str) -> None:
    with app.context.uow() as uow:
        uow.notifications.add(
            recipients=[recipient], kind=kind, subject="主题", body="内容", at=app.clock.now()
        )
        uow.commit()


DIRECTORY = Directory(
    {
        "wang": {"*": [Route("mail", "wang@x"), Route("group", "group")]},
        "chen": {"digest": [Route("mail", "chen@x")]},
    }
)


def test_each_user_gets_it_on_their_channels(app: App) -> None:
    mail, group = Recorder(), Recorder()
    delivery = NotificationDelivery(app.context, DIRECTORY, {"mail": mail, "group": group})
    _notify(app, "wang", "reminder")
    _notify(app, "chen", "reminder")  # chen takes digests only
    _notify(app, "chen", "digest")
    _notify(app, "li", "overdue")  # li has no channel
    run = delivery.deliver()
    assert (run.planned, run.sent) == (3, 3)
    assert [m.address for m in mail.sent] == ["wang@x", "chen@x"]
    assert [m.recipient for m in group.sent] == ["wang"]
    assert len({m.key for m in [*mail.sent, *group.sent]}) == 3
    assert delivery.deliver().sent == 0


def test_back_off_then_dead_letter_then_retry(app: App, clock: FixedClock) -> None:
    failing = Recorder(failures=MAX_ATTEMPTS)
    routes = Directory({"wang": {"*": [Route("mail", "wang@x")]}})
    delivery = NotificationDelivery(app.context, routes, {"mail": failing})
    _notify(app, "wang", "reminder")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run = delivery.deliver()
        assert (run.failed, run.dead) == ((1, 0) if attempt < MAX_ATTEMPTS else (0, 1))
        assert delivery.deliver().failed == 0  # nothing before the back-off has passed
        clock.set(clock.now() + backoff(attempt))
    [dead] = delivery.deliveries(actor="admin", status=DeliveryStatus.DEAD)
    assert dead.last_error == "连接被拒绝" and dead.attempts == MAX_ATTEMPTS
    with pytest.raises(NotPermitted):
        delivery.deliveries(actor="wang")
    assert delivery.retry(dead.id, actor="admin") and not delivery.retry(dead.id, actor="admin")
    assert delivery.deliver().sent == 1


def test_the_back_off_doubles_up_to_two_hours() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == MAX_RETRY


def test_without_channels_the_outbox_waits(app: App) -> None:
    _notify(app, "wang", "reminder")
    assert app.delivery.deliver().planned == 0  # the app's default: nothing configured
    later = NotificationDelivery(app.context, DIRECTORY, {"mail": Recorder()})
    assert later.deliver().sent == 1  # planned once a channel exists
