"""Text as people type it, checked once where it enters the engine (issue: every input gets
a typed error): valid Unicode (no lone surrogates from undecodable bytes), no NUL or other
control characters (line breaks and tabs allowed where text may span lines), no
bidirectional overrides, and a length limit that is the same on SQLite and PostgreSQL (the
column's own, counted in characters)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine.domain.errors import InvalidInput

_FORBIDDEN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FORBIDDEN_TEXT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

NOTE_LIMIT = 10_000
REASON_LIMIT = 2_000
PAYLOAD_TEXT_LIMIT = 10_000


def _describe(ch: str) -> str:
    if "\ud800" <= ch <= "\udfff":
        return "无法识别的字符（可能不是 UTF-8 编码）"
    if ch == "\x00":
        return "空字符（NUL）"
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"文字方向控制字符（U+{ord(ch):04X}）"
    return f"控制字符（U+{ord(ch):04X}）"


def checked(field: str, value: str, limit: int, *, multiline: bool = False) -> str:
    """``value`` if it may be stored as ``field``; InvalidInput naming what is wrong."""
    bad = (_FORBIDDEN_TEXT if multiline else _FORBIDDEN_LINE).search(value)
    if bad:
        raise InvalidInput(field, f"含有{_describe(bad.group())}，请删除后重试")
    if len(value) > limit:
        raise InvalidInput(field, f"最长 {limit} 个字，实际 {len(value)} 个字")
    return value


def text_problems(value: Any, field: str = "", limit: int = PAYLOAD_TEXT_LIMIT) -> dict[str, str]:
    """What is wrong with the strings inside a payload (nested mappings and lists), by field;
    multi-line text is allowed."""
    problems: dict[str, str] = {}
    if isinstance(value, str):
        try:
            checked(field, value, limit, multiline=True)
        except InvalidInput as exc:
            problems[field or "（整体）"] = str(exc.details.get("reason", exc.message))
    elif isinstance(value, Mapping):
        for k, v in value.items():
            problems.update(text_problems(v, f"{field}.{k}" if field else str(k), limit))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            problems.update(text_problems(v, f"{field}[{i + 1}]", limit))
    return problems
