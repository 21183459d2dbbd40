"""The notification outbox in SQL: what the sweep and the commands tell people, written in
the same transaction as what it tells (delivery is db/deliveries.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from db.fast import insert_rows
from db.tables import NotificationRow
from engine.service import ports
from engine.service.read_models import Notification

notifications_t = NotificationRow.__table__  # type: ignore[attr-defined]


_NOTIFICATION_KEYS = ("case_id", "recipient", "kind", "subject", "body", "created_at", "channel")


class SqlNotificationRepository(ports.NotificationRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(
        self,
        *,
        recipients: Sequence[str],
        kind: str,
        subject: str,
        body: str,
        at: datetime,
        case_id: int | None = None,
    ) -> None:
        if not recipients:
            return
        self._store(
            [
                {
                    "case_id": case_id,
                    "recipient": r,
                    "kind": kind,
                    "subject": subject,
                    "body": body,
                    "created_at": at,
                    "channel": "",
                }
                for r in dict.fromkeys(recipients)
            ]
        )

    def _store(self, rows: list[dict[str, Any]]) -> None:
        insert_rows(self.conn, notifications_t, _NOTIFICATION_KEYS, rows)

    def recent(self, recipient: str, limit: int) -> list[Notification]:
        q = (
            sa.select(notifications_t)
            .where(notifications_t.c.recipient == recipient)
            .order_by(notifications_t.c.id.desc())
            .limit(limit)
        )
        return [_notification(r) for r in self.conn.execute(q).mappings()]

    def list(
        self, recipient: str | None = None, kind: str | None = None, since: datetime | None = None
    ) -> list[Notification]:
        q = sa.select(notifications_t).order_by(notifications_t.c.id)
        if recipient:
            q = q.where(notifications_t.c.recipient == recipient)
        if kind:
            q = q.where(notifications_t.c.kind == kind)
        if since:
            q = q.where(notifications_t.c.created_at >= since)
        return [_notification(r) for r in self.conn.execute(q).mappings()]


def _notification(r: RowMapping) -> Notification:
    return Notification(
        r["id"],
        r["case_id"],
        r["recipient"],
        r["kind"],
        r["subject"],
        r["body"],
        r["created_at"],
        r["delivered_at"],
    )
