"""The notification outbox as people read it (reminders, escalations, digests)."""

from __future__ import annotations

from engine.service.context import ServiceContext
from engine.service.read_models import Notification


class NotificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, recipient: str | None = None, kind: str | None = None) -> list[Notification]:
        with self.ctx.uow(readonly=True) as uow:
            return uow.notifications.list(recipient=recipient, kind=kind)
