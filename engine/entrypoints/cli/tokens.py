"""`caseflow token`: the admin's API tokens for integrations (created, listed, revoked)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from engine.deadlines import LOCAL_TZ
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.api_ports import ApiToken

token_app = typer.Typer(help="接口令牌（JSON API）", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


def _dict(t: ApiToken) -> dict[str, object]:
    return {
        "id": t.id,
        "user": t.user,
        "label": t.label,
        "prefix": t.prefix,
        "created_at": t.created_at.isoformat(),
        "created_by": t.created_by,
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    }


def _local(t: datetime | None) -> str:
    return t.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if t else ""


@token_app.command("create")
def create(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="令牌代表的用户（以其身份和角色调用接口）"),
    label: str = typer.Option(..., "--label", help="用途，如 12345热线对接"),
    as_json: bool = JsonOption,
) -> None:
    """为用户创建接口令牌（系统管理员；令牌只显示这一次）。"""
    s = settings(ctx)
    with reporting(as_json):
        issued = s.app().tokens.create(user, label, actor=s.actor())
    if as_json:
        print_json({**_dict(issued.record), "token": issued.token})
        return
    ok(f"已为 {issued.record.user} 创建接口令牌（编号 {issued.record.id}）")
    console.print(styled("令牌（只显示这一次，请妥善保存）：", (issued.token, "bold")))


@token_app.command("list")
def list_tokens(
    ctx: typer.Context,
    user: str = typer.Option(None, "--user", help="只列出该用户的令牌"),
    as_json: bool = JsonOption,
) -> None:
    """列出接口令牌（不显示令牌本身）。"""
    s = settings(ctx)
    with reporting(as_json):
        found = s.app().tokens.list(actor=s.actor(), user=user)
    if as_json:
        print_json([_dict(t) for t in found])
        return
    table = Table("编号", "用户", "用途", "令牌开头", "创建", "最近使用", "状态")
    for t in found:
        state = "已吊销" if t.revoked_at else "有效"
        table.add_row(
            str(t.id),
            t.user,
            t.label,
            t.prefix + "…",
            _local(t.created_at),
            _local(t.last_used_at),
            state,
        )
    console.print(table)


@token_app.command("revoke")
def revoke(
    ctx: typer.Context,
    token_id: int = typer.Argument(..., help="令牌编号（caseflow token list）"),
    as_json: bool = JsonOption,
) -> None:
    """吊销接口令牌（立即失效）。"""
    s = settings(ctx)
    with reporting(as_json):
        s.app().tokens.revoke(token_id, actor=s.actor())
    if as_json:
        print_json({"revoked": token_id})
    else:
        ok(f"已吊销接口令牌 {token_id}")
