"""The `caseflow` command line (typer + rich). Messages are Simplified Chinese; every read
command has `--json`."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

# typer vendors click (typer._click): its usage errors are these classes, not the click
# package's.
from typer._click import exceptions as click

from engine.entrypoints.cli import (
    admin,
    cases,
    clock,
    demo,
    intake,
    integrity,
    notices,
    outbox,
    reports,
    routing,
    tokens,
    web,
)
from engine.entrypoints.cli._common import EXIT_USER_ERROR, Settings, err_console, fail_message
from engine.service.context import CHANNEL

app = typer.Typer(
    name="caseflow",
    help="caseflow：县人社局劳动保障监察、欠薪、基金监督案件办理引擎",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    as_user: str = typer.Option(None, "--as", help="以该用户身份操作（或设置 CASEFLOW_USER）"),
    db: str = typer.Option(None, "--db", help="数据库 URL（或设置 CASEFLOW_DATABASE_URL）"),
    county: str = typer.Option(None, "--county", help="县配置：dingan 或 shuangpai"),
) -> None:
    settings = Settings(user=as_user, db=db, county=county)
    ctx.obj = settings
    ctx.call_on_close(settings.close)
    token = CHANNEL.set("cli")  # every event a CLI command records says it came from here
    ctx.call_on_close(lambda: CHANNEL.reset(token))


admin.register(app)
cases.register(app)
integrity.register(app)
clock.register(app)
demo.register(app)
intake.register(app)
notices.register(app)
outbox.register(app)
reports.register(app)
routing.register(app)
tokens.register(app)
web.register(app)


def main() -> None:
    sys.argv[1:] = [decoded_argument(a) for a in sys.argv[1:]]
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err_console.print("已取消。")
        sys.exit(EXIT_USER_ERROR)
    except click.ClickException as exc:
        usage_error(exc)
    sys.exit(code if isinstance(code, int) else 0)


def decoded_argument(arg: str) -> str:
    """An argument a Chinese terminal sent in GBK/GB18030 arrives with its bytes escaped as
    lone surrogates (not UTF-8): decode it as GB18030, or leave it for the text checks to
    refuse clearly."""
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    try:
        return arg.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeDecodeError:
        return arg


_CLICK_REASONS = (
    ("valid integer", "应为整数"),
    ("valid number", "应为数字"),
    ("does not exist", "文件不存在"),
    ("is a directory", "是一个目录，不是文件"),
    ("is not readable", "无法读取"),
    ("is not one of", "不在可选值之中"),
)


def usage_error(exc: click.ClickException) -> NoReturn:
    """click's own usage errors, in Chinese with a stable code, exit 2."""
    code, message = "USAGE_ERROR", exc.format_message()
    if isinstance(exc, click.NoSuchOption):
        near = f"；您是否想用：{'、'.join(exc.possibilities)}" if exc.possibilities else ""
        code, message = "UNKNOWN_OPTION", f"没有选项 {exc.option_name}{near}"
    elif isinstance(exc, click.MissingParameter):
        what = exc.param.opts[0] if exc.param and exc.param.opts else "参数"
        code, message = "MISSING_ARGUMENT", f"缺少 {exc.param_hint or what}"
    elif isinstance(exc, click.BadParameter):
        hint = exc.param_hint or (exc.param.opts[0] if exc.param and exc.param.opts else "参数")
        why = exc.message
        for english, chinese in _CLICK_REASONS:
            if english in why:
                why = chinese
                break
        code, message = "INVALID_ARGUMENT", f"{hint} 的值无效（{why}）"
    elif isinstance(exc, click.UsageError) and "No such command" in exc.message:
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        code, message = "UNKNOWN_COMMAND", f"没有命令「{name}」；用 caseflow --help 查看所有命令"
    elif isinstance(exc, click.FileError):
        code, message = "FILE_UNREADABLE", f"无法打开文件 {exc.ui_filename}"
    try:
        fail_message(code, message, "--json" in sys.argv)
    except typer.Exit as done:
        sys.exit(done.exit_code)
