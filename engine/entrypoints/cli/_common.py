"""What every CLI command shares: the global options, output, and error reporting."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import DataError, OperationalError

from db.uow import contention
from engine.bootstrap import App, bootstrap
from engine.domain.errors import CaseflowError, DatabaseBusy, InvalidInput, file_problem

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Stored text as it is, safe for a terminal: control characters (escape sequences, NUL,
    carriage returns, bidirectional overrides, lone surrogates) shown as visible escapes."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeConsole(Console):
    """A console that prints every string literally: no markup (a party named 「[/]」 is
    printed, not parsed), no emoji codes, control characters neutralised. Our own emphasis
    is given as styled parts (`styled`), never as markup in text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(highlight=False, soft_wrap=True, markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line from plain and (text, style) parts, each printed literally."""
    return Text.assemble(
        *(printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in parts)
    )


def ok(message: str, out: Console | None = None) -> None:
    """A success line: a green tick, then the message printed literally."""
    (out or console).print(styled(("✓", "bold green"), " " + message))


console = SafeConsole()
err_console = SafeConsole(stderr=True)

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
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if _SURROGATE.search(text):  # not encodable as UTF-8: the same JSON, \u-escaped
        text = json.dumps(data, ensure_ascii=True, indent=2, default=str)
    sys.stdout.write(text + "\n")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def fail_message(code: str, message: str, as_json: bool, details: Any = None) -> NoReturn:
    if as_json:
        print_json({"error": {"code": code, "message": message, "details": details or {}}})
    else:
        err_console.print(styled(("错误", "bold red"), f"（{code}）：{message}"))
    raise typer.Exit(EXIT_USER_ERROR)


@contextmanager
def reporting(as_json: bool = False) -> Iterator[None]:
    """Turn engine errors into a Chinese message (or a JSON error object) and exit code 2."""
    try:
        yield
    except CaseflowError as exc:
        fail_message(exc.code, exc.message, as_json, exc.details)
    except UnicodeError:  # text that is not Unicode reached a driver (defence in depth)
        fail_message("INVALID_INPUT", "输入含有无法识别的字符（可能不是 UTF-8 编码）", as_json)
    except (OverflowError, DataError):  # an id or a count past the column's range
        fail_message("VALUE_OUT_OF_RANGE", "数值超出允许的范围（编号、页码或天数过大）", as_json)
    except OSError as exc:  # a file the user named could not be read or written
        fail_message("FILE_ERROR", file_problem(exc), as_json)
    except OperationalError as exc:
        if contention(exc):  # the database answered: concurrent writers, not unreachable
            busy = DatabaseBusy(type(exc.orig).__name__)
            fail_message(busy.code, busy.message, as_json, busy.details)
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
                styled(
                    ("错误", "bold red"), f"（DATABASE_UNAVAILABLE）：无法访问数据库：{exc.orig}"
                )
            )
        raise typer.Exit(EXIT_SYSTEM_ERROR) from exc


def read_text_file(path: Path) -> str:
    """A text file the user names: UTF-8 (with or without BOM), or a typed error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("文件", file_problem(exc)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "文件", f"{path} 不是 UTF-8 编码的文本文件（第 {exc.start + 1} 个字节无法识别）"
        ) from exc


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
