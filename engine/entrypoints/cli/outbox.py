"""`caseflow delivery`: the outbox's way out — send what is due now (as the worker does
every interval), list the deliveries and the dead letters, send a dead one again."""

from __future__ import annotations

import typer
from rich.table import Table

from engine.domain.errors import InvalidInput
from engine.entrypoints.cli._common import JsonOption, console, ok, print_json, reporting, settings
from engine.service.delivery_ports import DeliveryStatus

delivery_app = typer.Typer(help="通知发送（邮件、群机器人）", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(delivery_app, name="delivery")


@delivery_app.command("send")
def send(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """立即发送到期的通知（后台 worker 每分钟自动执行）。"""
    s = settings(ctx)
    with reporting(as_json):
        delivery = s.app().delivery
        run = delivery.deliver()
    if as_json:
        print_json(vars(run) | {"channels": sorted(delivery.senders)})
    elif not delivery.senders:
        console.print("尚未配置通知渠道（CASEFLOW_CHANNELS），未发送任何通知")
    else:
        console.print(
            f"已安排 {run.planned} 条，发送成功 {run.sent} 条，失败待重试 {run.failed} 条，"
            f"停止重试 {run.dead} 条"
        )


@delivery_app.command("list")
def list_deliveries(
    ctx: typer.Context,
    status: str = typer.Option("", "--status", help="pending|sending|sent|dead"),
    as_json: bool = JsonOption,
) -> None:
    """列出通知的发送情况（系统管理员）；--status dead 为多次失败、已停止重试的通知。"""
    s = settings(ctx)
    with reporting(as_json):
        if status and status not in DeliveryStatus._value2member_map_:
            raise InvalidInput("--status", "应为 pending、sending、sent 或 dead")
        chosen = DeliveryStatus(status) if status else None
        found = s.app().delivery.deliveries(actor=s.actor(), status=chosen)
    if as_json:
        print_json([vars(d) for d in found])
        return
    table = Table("编号", "通知", "渠道", "地址", "状态", "尝试", "最近错误")
    for d in found:
        table.add_row(
            str(d.id),
            str(d.notification_id),
            d.channel,
            d.address,
            d.status.value,
            str(d.attempts),
            d.last_error[:80],
        )
    console.print(table)


@delivery_app.command("retry")
def retry(
    ctx: typer.Context,
    delivery_id: int = typer.Argument(..., help="发送记录编号（caseflow delivery list）"),
    as_json: bool = JsonOption,
) -> None:
    """重新发送一条已停止重试的通知（系统管理员）。"""
    s = settings(ctx)
    with reporting(as_json):
        done = s.app().delivery.retry(delivery_id, actor=s.actor())
        if not done:
            raise InvalidInput("发送记录", f"{delivery_id} 不存在或不是已停止重试的通知")
    if as_json:
        print_json({"retried": delivery_id})
    else:
        ok(f"已重新安排发送 {delivery_id}")
