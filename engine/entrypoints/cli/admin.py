"""CLI commands for setting up: init, user, procedures."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from engine.domain.procedure import CompiledProcedure
from engine.domain.users import User
from engine.entrypoints import views
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.users import UserService

user_app = typer.Typer(help="用户管理", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("procedures")(procedures)
    app.add_typer(user_app, name="user")
    app.command("audit")(audit)


def audit(
    ctx: typer.Context,
    kind: str = typer.Option(None, "--kind", help="只看一类，如 role_changed、sign_in_failed"),
    page: int = typer.Option(1, "--page", help="页码"),
    as_json: bool = JsonOption,
) -> None:
    """审计日志（须由管理员查看）：登录、失败、锁定、越权和用户管理，最新的在前。"""
    s = settings(ctx)
    with reporting(as_json):
        found = s.app().auth.audit_log(actor=s.actor(), kind=kind, page=page)
    if as_json:
        print_json([views.audit_dict(e) for e in found.items])
        return
    table = Table(title=f"审计日志（{found.count_label}，第 {found.page}/{found.pages} 页）")
    for col in ("时间", "事项", "操作人", "对象", "详情", "渠道"):
        table.add_column(col)
    for e in found.items:
        row = views.audit_dict(e)
        table.add_row(
            *(str(row[k]) for k in ("at", "kind_label", "actor", "subject", "detail", "channel")),
        )
    console.print(table)


def init(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """创建或升级数据库结构。"""
    s = settings(ctx)
    with reporting(as_json):
        from db.migrate import current_revision

        app = s.app(require_schema=False)
        before = current_revision(app.db)
        app = s.app(migrate=True)
        after = current_revision(app.db)
    if as_json:
        print_json({"database": app.url, "before": before, "after": after})
    elif before == after:
        console.print(f"数据库已是最新结构（版本 {after}）：{app.url}")
    else:
        ok(
            f"数据库结构已{'创建' if before is None else '升级'}"
            f"（版本 {before or '无'} → {after}）：{app.url}"
        )


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="用户名（登录名）"),
    role: str = typer.Option(..., "--role", help="inspector|supervisor|legal|head|admin"),
    unit: str = typer.Option(..., "--unit", help="所在单位，如 县劳动保障监察大队"),
    display: str = typer.Option("", "--display", "--full-name", help="姓名（文书上印的全名）"),
    cert_no: str = typer.Option("", "--cert-no", help="执法证号（监察员必填）"),
    title: str = typer.Option("", "--title", help="职务（审批人，如 局长、分管副局长）"),
    password: bool = typer.Option(False, "--password", help="设置登录密码（提示输入两次）"),
    one_time: bool = typer.Option(
        False, "--one-time", help="生成一次性密码（显示一次，首次登录须修改）"
    ),
    as_json: bool = JsonOption,
) -> None:
    """添加用户（第一个用户无需 --as；之后须由管理员添加）。不设密码的用户不能登录网页。"""
    s = settings(ctx)
    chosen = _prompted_password(as_json) if password else None
    with reporting(as_json):
        actor = s.user or os.environ.get("CASEFLOW_USER")
        users = s.app().users
        user = users.add_user(
            name,
            role,
            unit,
            display,
            actor=actor,
            password=chosen,
            cert_no=cert_no,
            title=title,
        )
        generated = users.reset_password(user.name, actor=actor or user.name) if one_time else ""
    if as_json:
        print_json(
            {**views.user_dict(user), **({"one_time_password": generated} if generated else {})}
        )
        return
    ok(f"已添加用户 {user.name}：{user.label}，{user.unit}")
    if generated:
        console.print(styled("一次性密码（只显示这一次，首次登录须修改）：", (generated, "bold")))


@user_app.command("edit")
def user_edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="用户名"),
    display: str = typer.Option(None, "--display", "--full-name", help="姓名（全名）"),
    cert_no: str = typer.Option(None, "--cert-no", help="执法证号（空字符串清除）"),
    title: str = typer.Option(None, "--title", help="职务（空字符串按角色）"),
    unit: str = typer.Option(None, "--unit", help="所在单位"),
    as_json: bool = JsonOption,
) -> None:
    """修改用户的姓名、执法证号、职务或单位（须由管理员操作）。"""
    s = settings(ctx)
    with reporting(as_json):
        user = s.app().users.edit(
            name, actor=s.actor(), display_name=display, cert_no=cert_no, title=title, unit=unit
        )
    if as_json:
        print_json(views.user_dict(user))
        return
    ok(
        f"已修改用户 {user.name}：{user.label}，执法证号 {user.cert_no or '（无）'}，"
        f"职务 {user.job_title}，{user.unit}"
    )


@user_app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="用户名"),
    password: bool = typer.Option(
        False, "--password", help="输入新密码（默认生成一次性密码，首次登录须修改）"
    ),
    as_json: bool = JsonOption,
) -> None:
    """重置用户的登录密码（须由管理员操作；该用户的所有会话随即失效）。"""
    s = settings(ctx)
    chosen = _prompted_password(as_json) if password else None
    with reporting(as_json):
        given = s.app().users.reset_password(
            name, actor=s.actor(), password=chosen, must_change=chosen is None
        )
    if as_json:
        print_json({"user": name, "one_time_password": given if chosen is None else None})
    elif chosen is None:
        console.print(
            styled(("✓", "bold green"), f" 已重置 {name} 的密码。一次性密码（只显示这一次）：")
            + styled((given, "bold"))
        )
    else:
        ok(f"已为 {name} 设置新密码。")


def _prompted_password(as_json: bool) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            fail_message("INVALID_INPUT", "--password 需要输入密码（标准输入为空）", as_json)
        return line
    first = typer.prompt("新密码", hide_input=True)
    again = typer.prompt("再次输入", hide_input=True)
    if first != again:
        fail_message("INVALID_INPUT", "两次输入的密码不一致", as_json)
    return str(first)


def _administer(
    ctx: typer.Context, as_json: bool, change: Callable[[UserService, str], User]
) -> None:
    """One user-administration command (``change``, given the users and the acting admin),
    recorded in the audit log by the user service."""
    s = settings(ctx)
    with reporting(as_json):
        user = change(s.app().users, s.actor())
    if as_json:
        print_json(views.user_dict(user))
        return
    state = "在用" if user.active else "已停用"
    ok(
        f"{user.name}：{user.display_name}，{user.role.label}，{user.unit}（{state}；已记入审计日志）"
    )


@user_app.command("disable")
def user_disable(
    ctx: typer.Context, name: str = typer.Argument(..., help="用户名"), as_json: bool = JsonOption
) -> None:
    """停用用户（须由管理员操作；其会话随即失效；不能停用自己或最后一名管理员）。"""
    _administer(ctx, as_json, lambda users, by: users.set_active(name, False, actor=by))


@user_app.command("enable")
def user_enable(
    ctx: typer.Context, name: str = typer.Argument(..., help="用户名"), as_json: bool = JsonOption
) -> None:
    """重新启用已停用的用户（须由管理员操作）。"""
    _administer(ctx, as_json, lambda users, by: users.set_active(name, True, actor=by))


@user_app.command("role")
def user_role(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="用户名"),
    role: str = typer.Argument(..., help="inspector|supervisor|legal|head|admin"),
    as_json: bool = JsonOption,
) -> None:
    """变更用户的角色（须由管理员操作；不能变更自己的角色，不能撤销最后一名管理员）。"""
    _administer(ctx, as_json, lambda users, by: users.set_role(name, role, actor=by))


@user_app.command("unit")
def user_unit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="用户名"),
    unit: str = typer.Argument(..., help="新的所在单位"),
    as_json: bool = JsonOption,
) -> None:
    """变更用户的所在单位（须由管理员操作）。"""
    _administer(ctx, as_json, lambda users, by: users.set_unit(name, unit, actor=by))


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """列出用户。"""
    s = settings(ctx)
    with reporting(as_json):
        users = s.app().users.users()
    if as_json:
        print_json([views.user_dict(u) for u in users])
        return
    table = Table(title=f"用户（{len(users)} 人）")
    for col in ("用户名", "姓名", "执法证号", "职务", "角色", "单位"):
        table.add_column(col)
    for u in users:
        table.add_row(u.name, u.display_name, u.cert_no, u.title, u.role.label, u.unit)
    console.print(table)


def procedures(
    ctx: typer.Context,
    diagram: str = typer.Option(None, "--diagram", help="画出该程序的状态图"),
    output: Path = typer.Option(None, "--output", "-o", help="状态图文件（.svg / .png / .pdf）"),
    as_json: bool = JsonOption,
) -> None:
    """列出程序；或用 --diagram ID -o FILE 画出状态图。"""
    with reporting(as_json):
        from engine.adapters.notices import JinjaNoticeRenderer
        from engine.bootstrap import build_registry

        registry = build_registry(JinjaNoticeRenderer())
        if diagram:
            if output is None:
                fail_message(
                    "INVALID_INPUT", "请用 -o 指定状态图文件，如 -o wage_arrears.svg", as_json
                )
            if output.suffix.lower() not in (".svg", ".png", ".pdf"):
                fail_message(
                    "INVALID_INPUT",
                    f"不支持的图形格式：{output.suffix or '（无后缀）'}，请用 .svg、.png 或 .pdf",
                    as_json,
                )
            _draw(registry.latest(diagram), output, as_json)
            return
    rows = [views.procedure_dict(c) for c in registry.all_latest()]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(
            styled((r["id"], "bold"), f"（第{r['version']}版）{r['title']}：{r['description']}")
        )
        console.print("  状态：" + " → ".join(st["label"] for st in r["states"]))
        console.print("  操作：" + "、".join(f"{t['label']}（{t['name']}）" for t in r["triggers"]))


def _draw(compiled: CompiledProcedure, output: Path, as_json: bool) -> None:
    from engine.entrypoints.diagrams import draw

    path = draw(compiled, output)
    if as_json:
        print_json({"procedure": compiled.decl.id, "file": str(path)})
    else:
        ok(f"已画出 {compiled.decl.id} 的状态图：{path}")
