"""SQL repository of notification deliveries (the outbox's way out)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from db.tables import NotificationDeliveryRow, NotificationRow
from engine.service import delivery_ports
from engine.service.delivery_ports import Delivery, DeliveryStatus
from engine.service.read_models import Notification

deliveries_t: sa.Table = NotificationDeliveryRow.__table__  # type: ignore[attr-defined]
notifications_t: sa.Table = NotificationRow.__table__  # type: ignore[attr-defined]


def _delivery(r: RowMapping) -> Delivery:
    return Delivery(
        id=r["id"],
        notification_id=r["notification_id"],
        channel=r["channel"],
        address=r["address"],
        key=r["key"],
        status=DeliveryStatus(r["status"]),
        attempts=r["attempts"],
        next_attempt_at=r["next_attempt_at"],
        last_error=r["last_error"],
        sent_at=r["sent_at"],
    )


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


class SqlDeliveryRepository(delivery_ports.DeliveryRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def unplanned(self, limit: int) -> list[Notification]:
        q = (
            sa.select(notifications_t)
            .where(notifications_t.c.planned_at.is_(None))
            .order_by(notifications_t.c.id)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return [_notification(r) for r in self.conn.execute(q).mappings()]

    def plan(
        self, notification_id: int, deliveries: list[tuple[str, str, str]], at: datetime
    ) -> None:
        if deliveries:
            self.conn.execute(
                sa.insert(deliveries_t),
                [
                    {
                        "notification_id": notification_id,
                        "channel": channel,
                        "address": address,
                        "key": key,
                        "status": DeliveryStatus.PENDING.value,
                        "attempts": 0,
                        "next_attempt_at": at,
                        "last_error": "",
                        "created_at": at,
                    }
                    for channel, address, key in deliveries
                ],
            )
        self.conn.execute(
            sa.update(notifications_t)
            .where(notifications_t.c.id == notification_id)
            .values(planned_at=at)
        )

    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        due = sa.and_(
            deliveries_t.c.status.in_([DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value]),
            deliveries_t.c.next_attempt_at <= now,
        )
        q = sa.select(deliveries_t.c.id).where(due).order_by(deliveries_t.c.next_attempt_at)
        q = q.limit(limit)
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        ids = [r[0] for r in self.conn.execute(q)]
        if not ids:
            return []
        self.conn.execute(
            sa.update(deliveries_t)
            .where(deliveries_t.c.id.in_(ids))
            .values(
                status=DeliveryStatus.SENDING.value,
                next_attempt_at=lease_until,
                attempts=deliveries_t.c.attempts + 1,
            )
        )
        rows = self.conn.execute(
            sa.select(deliveries_t).where(deliveries_t.c.id.in_(ids)).order_by(deliveries_t.c.id)
        ).mappings()
        return [_delivery(r) for r in rows]

    def sent(self, delivery_id: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(deliveries_t)
            .where(deliveries_t.c.id == delivery_id)
            .values(status=DeliveryStatus.SENT.value, sent_at=at, last_error="")
        )
        notification = sa.select(deliveries_t.c.notification_id).where(
            deliveries_t.c.id == delivery_id
        )
        self.conn.execute(
            sa.update(notifications_t)
            .where(notifications_t.c.id == notification.scalar_subquery())
            .where(notifications_t.c.delivered_at.is_(None))
            .values(delivered_at=at)
        )

    def failed(self, delivery_id: int, error: str, retry_at: datetime | None, at: datetime) -> None:
        status = DeliveryStatus.PENDING if retry_at is not None else DeliveryStatus.DEAD
        self.conn.execute(
            sa.update(deliveries_t)
            .where(deliveries_t.c.id == delivery_id)
            .values(status=status.value, last_error=error, next_attempt_at=retry_at or at)
        )

    def notification(self, notification_id: int) -> Notification | None:
        q = sa.select(notifications_t).where(notifications_t.c.id == notification_id)
        r = self.conn.execute(q).mappings().first()
        return _notification(r) if r else None

    def list(self, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        q = sa.select(deliveries_t).order_by(deliveries_t.c.id.desc()).limit(limit)
        if status is not None:
            q = q.where(deliveries_t.c.status == status.value)
        return [_delivery(r) for r in self.conn.execute(q).mappings()]

    def retry(self, delivery_id: int, at: datetime) -> bool:
        result = self.conn.execute(
            sa.update(deliveries_t)
            .where(deliveries_t.c.id == delivery_id)
            .where(deliveries_t.c.status == DeliveryStatus.DEAD.value)
            .values(status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=at)
        )
        return bool(result.rowcount)
