"""Ports of notification delivery: the deliveries planned for each notification of the
outbox (one per recipient and channel, each with its idempotency key), and the senders
that carry a message out through a channel (SMTP e-mail, group-robot webhooks)."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from engine.service.read_models import Notification


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Waiting for its (next) attempt at ``next_attempt_at``."""
    SENDING = "sending"
    """Claimed by a worker until ``next_attempt_at`` (a lease: a worker that died while
    sending leaves it to be sent again — at least once)."""
    SENT = "sent"
    DEAD = "dead"
    """Every attempt failed: the dead letter, shown to the admin, retried only by hand."""


@dataclass(frozen=True)
class Delivery:
    id: int
    notification_id: int
    channel: str
    address: str
    key: str
    """The idempotency key: the same for every attempt of this delivery, sent with it
    (e-mail Message-ID, webhook header) so a receiver can drop a repeated message."""
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Outgoing:
    """A message as a channel carries it."""

    key: str
    address: str
    subject: str
    body: str
    recipient: str
    """The user it is for (their name)."""


class SendFailed(Exception):
    """A channel refused or could not take the message (retried with back-off)."""


class Sender(Protocol):
    def send(self, message: Outgoing) -> None:
        """Hand the message over, or raise SendFailed."""


class DeliveryRepository(abc.ABC):
    @abc.abstractmethod
    def unplanned(self, limit: int) -> list[Notification]: ...

    @abc.abstractmethod
    def plan(
        self, notification_id: int, deliveries: list[tuple[str, str, str]], at: datetime
    ) -> None:
        """Record (channel, address, key) deliveries of a notification and mark it planned."""

    @abc.abstractmethod
    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Deliveries due (pending, or sending with an expired lease), leased to the caller
        and counted as an attempt; other workers skip them."""

    @abc.abstractmethod
    def sent(self, delivery_id: int, at: datetime) -> None: ...

    @abc.abstractmethod
    def failed(self, delivery_id: int, error: str, retry_at: datetime | None, at: datetime) -> None:
        """A failed attempt: pending again at ``retry_at``, or dead when it is None."""

    @abc.abstractmethod
    def notification(self, notification_id: int) -> Notification | None: ...

    @abc.abstractmethod
    def list(self, status: DeliveryStatus | None, limit: int) -> list[Delivery]: ...

    @abc.abstractmethod
    def retry(self, delivery_id: int, at: datetime) -> bool:
        """Give a dead delivery another round of attempts; False if it is not dead."""
