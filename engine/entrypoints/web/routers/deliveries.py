"""系统管理 → 通知发送 (the admin's): what the outbox sent, what waits for a retry, and the
dead letters (every attempt failed) with their last error, to be sent again by hand."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engine.entrypoints.web.deps import Form, Services, Session, page, redirect
from engine.service.delivery_ports import DeliveryStatus

router = APIRouter(prefix="/admin/deliveries")


@router.get("")
def deliveries(
    request: Request, services: Services, session: Session, status: str = ""
) -> Response:
    chosen = DeliveryStatus(status) if status in DeliveryStatus._value2member_map_ else None
    found = services.delivery.deliveries(actor=session.user.name, status=chosen)
    context = {
        "deliveries": found,
        "status": chosen.value if chosen else "",
        "statuses": [(s.value, LABELS[s]) for s in DeliveryStatus],
        "labels": LABELS,
        "configured": sorted(services.delivery.senders),
    }
    return page(request, "admin/deliveries.html", context)


@router.post("/{delivery_id}/retry")
def retry(services: Services, session: Session, form: Form, delivery_id: int) -> Response:
    done = services.delivery.retry(delivery_id, actor=session.user.name)
    message = f"已重新安排发送 {delivery_id}" if done else f"{delivery_id} 不是发送失败的通知"
    return redirect("/admin/deliveries?status=dead", message)


LABELS = {
    DeliveryStatus.PENDING: "待发送",
    DeliveryStatus.SENDING: "发送中",
    DeliveryStatus.SENT: "已发送",
    DeliveryStatus.DEAD: "发送失败（已停止重试）",
}
