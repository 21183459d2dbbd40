"""Delivering the notification outbox (reminders, escalations, digests) through the
channels the county configures — SMTP e-mail and group-robot webhooks (企业微信, 钉钉) —
to each recipient's channels. At least once: every delivery is leased to one worker at a
time and sent again if the worker dies before recording it; each carries its idempotency
key so a repeat can be recognised. A failed attempt is retried with exponential back-off;
after MAX_ATTEMPTS the delivery is dead-lettered for the admin to see and retry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.service.context import ServiceContext, actor_of
from engine.service.delivery_ports import (
    Delivery,
    DeliveryStatus,
    Outgoing,
    Sender,
    SendFailed,
)

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=2)
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most two hours."""
    return min(MAX_RETRY, FIRST_RETRY * (1 << max(0, attempts - 1)))


@dataclass(frozen=True)
class Route:
    """One of a user's channels: which sender, and the address it needs."""

    channel: str
    address: str


class Directory:
    """Who receives what where: each user's channels (for a notification kind)."""

    def __init__(self, routes: Mapping[str, Mapping[str, list[Route]]] | None = None) -> None:
        self._routes = routes or {}
        """user → kind ("*" for every kind) → routes."""

    def routes(self, user: str, kind: str) -> list[Route]:
        mine = self._routes.get(user, {})
        return list(mine.get(kind, mine.get("*", [])))


@dataclass(frozen=True)
class DeliveryRun:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0


class NotificationDelivery:
    def __init__(
        self, ctx: ServiceContext, directory: Directory, senders: Mapping[str, Sender]
    ) -> None:
        self.ctx = ctx
        self.directory = directory
        self.senders = dict(senders)

    def plan(self, limit: int = 200) -> int:
        """Plan the deliveries of new notifications: one per channel of the recipient."""
        now = self.ctx.clock.now()
        planned = 0
        with self.ctx.uow() as uow:
            for n in uow.deliveries.unplanned(limit):
                routes = [
                    r
                    for r in self.directory.routes(n.recipient, n.kind)
                    if r.channel in self.senders
                ]
                deliveries = [
                    (r.channel, r.address, f"caseflow-{n.id}-{r.channel}") for r in routes
                ]
                uow.deliveries.plan(n.id, deliveries, now)
                planned += len(deliveries)
            uow.commit()
        return planned

    def deliver(self, limit: int = 50) -> DeliveryRun:
        """Plan, then send what is due, each attempt recorded in its own transaction.
        Without any channel configured nothing is planned (the outbox waits for one)."""
        if not self.senders:
            return DeliveryRun()
        planned = self.plan()
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            claimed = uow.deliveries.claim(now, now + LEASE, limit)
            uow.commit()
        sent = failed = dead = 0
        for delivery in claimed:
            outcome = self._attempt(delivery)
            sent += outcome == "sent"
            failed += outcome == "failed"
            dead += outcome == "dead"
        return DeliveryRun(planned, sent, failed, dead)

    def _attempt(self, delivery: Delivery) -> str:
        with self.ctx.uow(readonly=True) as uow:
            n = uow.deliveries.notification(delivery.notification_id)
        sender = self.senders.get(delivery.channel)
        error = ""
        if n is None or sender is None:
            error = "通知或渠道已不存在"
        else:
            message = Outgoing(delivery.key, delivery.address, n.subject, n.body, n.recipient)
            try:
                sender.send(message)
            except SendFailed as exc:
                error = str(exc)[:1000] or type(exc).__name__
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            if not error:
                uow.deliveries.sent(delivery.id, now)
                outcome = "sent"
            elif delivery.attempts >= MAX_ATTEMPTS:
                uow.deliveries.failed(delivery.id, error, None, now)
                outcome = "dead"
            else:
                retry_at = now + backoff(delivery.attempts)
                uow.deliveries.failed(delivery.id, error, retry_at, now)
                outcome = "failed"
            uow.commit()
        return outcome

    def deliveries(
        self, *, actor: str, status: DeliveryStatus | None = None, limit: int = 200
    ) -> list[Delivery]:
        """The deliveries (the dead letters with status=DEAD): the admin's to read."""
        with self.ctx.uow(readonly=True) as uow:
            require_role(actor_of(uow, actor), (Role.ADMIN,), "查看通知发送情况")
            return uow.deliveries.list(status, limit)

    def retry(self, delivery_id: int, *, actor: str) -> bool:
        with self.ctx.uow() as uow:
            require_role(actor_of(uow, actor), (Role.ADMIN,), "重发通知")
            done = uow.deliveries.retry(delivery_id, self.ctx.clock.now())
            uow.commit()
        return done
