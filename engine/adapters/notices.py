"""Renders notice templates with Jinja2: sandboxed, autoescaped, strict about missing
variables (a blank on a legal document is an error, never a silent gap)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import cn2an
from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "notices"


def templates_dir() -> Path:
    return Path(os.environ.get("CASEFLOW_TEMPLATES", str(TEMPLATES_DIR)))


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def amount_in_capitals(value: Any) -> str:
    """1050000 → 壹佰零伍万元整 (rounded to the fen half-up first)."""
    return str(cn2an.an2cn(str(_decimal(value)), "rmb"))


def amount_in_figures(value: Any) -> str:
    return f"{_decimal(value):,.2f}"


def date_zh(value: Any) -> str:
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{d.year}年{d.month}月{d.day}日"


class JinjaNoticeRenderer:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or templates_dir()
        self.env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(str(self.directory)),
            autoescape=select_autoescape(["html", "j2"], default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates are part of the release: compiled once per process, not stat()ed
            # again on every notice issued (a command's path).
            auto_reload=False,
        )
        self.env.filters["capitals"] = amount_in_capitals
        self.env.filters["yuan"] = amount_in_figures
        self.env.filters["date_zh"] = date_zh

    def render(self, template: str, data: Mapping[str, Any]) -> str:
        return self.env.get_template(template).render(**data)

    def exists(self, template: str) -> bool:
        try:
            self.env.get_template(template)
        except TemplateNotFound:
            return False
        return True
