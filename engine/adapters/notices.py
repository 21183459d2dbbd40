"""Renders notice templates with Jinja2: sandboxed, autoescaped, strict about missing
variables (a blank on a legal document is an error, never a silent gap)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import cn2an
from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine.adapters.template_fields import Fields, docx_fields, frozen, merge, template_fields

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
    return _capitals(str(value))


@lru_cache(maxsize=4096)
def _capitals(text: str) -> str:
    # cn2an takes ~15 µs an amount, and a notice writes each of its amounts twice or more.
    return str(cn2an.an2cn(str(_decimal(text)), "rmb"))


def amount_in_figures(value: Any) -> str:
    return f"{_decimal(value):,.2f}"


_DIGITS = "〇一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1–31 as written in a date: 十, 十三, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def date_zh(value: Any, style: str = "arabic") -> str:
    """ISO date → 2026年3月13日 (GB/T 9704-2012 7.3.5.1: Arabic numerals, the year in full,
    no leading zeros), or with ``style="chinese"`` 二〇二六年三月十三日 (the style some
    offices keep for their 成文日期; the county profile chooses)."""
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    if style == "chinese":
        year = "".join(_DIGITS[int(c)] for c in str(d.year))
        return f"{year}年{_chinese_number(d.month)}月{_chinese_number(d.day)}日"
    if style != "arabic":
        raise ValueError(f"unknown date style: {style!r}")
    return f"{d.year}年{d.month}月{d.day}日"


_CLOSED = "。！？…"
_CLOSING_QUOTES = "”’』」）)"
_SPACE = " \t\r\n　"


def sentence(value: Any) -> str:
    """Text typed by a user, kept exactly, completed as a sentence: a closing 。 added when
    it does not end with one (or with ！？…, also before a closing quote or bracket).
    Trailing white space, which prints as nothing, is dropped."""
    text = str(value).rstrip(_SPACE)
    if not text:
        return text
    core = text.rstrip(_CLOSING_QUOTES)
    if core and core[-1] in _CLOSED:
        return text
    return text + "。"


def clause(value: Any) -> str:
    """Text typed by a user that the template continues (…：{{ x | clause }}，并……): kept
    exactly but for a closing 。 (and trailing white space), which the template's own
    punctuation replaces."""
    return str(value).rstrip(_SPACE + "。")


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
        self.env.filters["sentence"] = sentence
        self.env.filters["clause"] = clause
        self._fields: dict[str, Fields | None] = {}

    def render(self, template: str, data: Mapping[str, Any]) -> str:
        return self.env.get_template(template).render(**data)

    def fields(self, template: str) -> Fields | None:
        """What the notice template, the templates it uses and its Word template read of
        the data (engine.adapters.template_fields), worked out once per template."""
        if template not in self._fields:
            from engine.adapters.docx import docx_templates_dir

            found = template_fields(self.env, template)
            word = docx_templates_dir() / f"{template.removesuffix('.html.j2')}.docx"
            if found is not None and word.is_file():
                merged: dict[str, set[str] | None] = {
                    k: None if v is None else set(v) for k, v in found.items()
                }
                merge(merged, docx_fields(word, self.env))
                found = frozen(merged)
            self._fields[template] = found
        return self._fields[template]

    def exists(self, template: str) -> bool:
        try:
            self.env.get_template(template)
        except TemplateNotFound:
            return False
        return True
