"""What every CLI command shares: the global options, output, and error reporting."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError

from engine.bootstrap import App, bootstrap
from engine.domain.errors import CaseflowError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_USER_ERROR = 2
EXIT_SYSTEM_ERROR = 3


@dataclass
class Settings:
    user: str | None = None
    db: str | None = None
    county: str | None = None
    _app: App | None = field(default=None, repr=False)

    def app(self, *, migrate: bool = False, require_schema: bool = True) -> App:
        if self._app is None or migrate:
            self.close()
            self._app = bootstrap(
                self.db, county=self.county, migrate=migrate, require_schema=require_schema
            )
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None

    def actor(self) -> str:
        name = self.user or os.environ.get("CASEFLOW_USER")
        if not name:
            fail_message(
                "ACTOR_MISSING", "请指定操作人：--as 用户名，或设置环境变量 CASEFLOW_USER", False
            )
        return name


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail_message(code: str, message: str, as_json: bool, details: Any = None) -> NoReturn:
    if as_json:
        print_json({"error": {"code": code, "message": message, "details": details or {}}})
    else:
        err_console.print(f"[bold red]错误[/]（{code}）：{message}")
    raise typer.Exit(EXIT_USER_ERROR)


@contextmanager
def reporting(as_json: bool = False) -> Iterator[None]:
    """Turn engine errors into a Chinese message (or a JSON error object) and exit code 2."""
    try:
        yield
    except CaseflowError as exc:
        fail_message(exc.code, exc.message, as_json, exc.details)
    except OperationalError as exc:
        if as_json:
            print_json(
                {
                    "error": {
                        "code": "DATABASE_UNAVAILABLE",
                        "message": "无法访问数据库",
                        "details": {"error": str(exc.orig)},
                    }
                }
            )
        else:
            err_console.print(
                f"[bold red]错误[/]（DATABASE_UNAVAILABLE）：无法访问数据库：{exc.orig}"
            )
        raise typer.Exit(EXIT_SYSTEM_ERROR) from exc


JsonOption = typer.Option(False, "--json", help="以 JSON 输出（供其他程序读取）")


def parse_pairs(pairs: list[str], what: str, as_json: bool) -> dict[str, Any]:
    """key=value pairs (values stay text; the payload model converts them)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail_message("INVALID_INPUT", f"{what}「{pair}」格式应为 字段=值", as_json)
        out[key.strip()] = value
    return out


def parse_json_object(text: str | None, what: str, as_json: bool) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        fail_message(
            "INVALID_INPUT", f"{what}不是有效的 JSON：{exc.msg}（第{exc.pos + 1}个字符）", as_json
        )
    if not isinstance(value, dict):
        fail_message("INVALID_INPUT", f"{what}应为 JSON 对象（{{...}}）", as_json)
    return value
