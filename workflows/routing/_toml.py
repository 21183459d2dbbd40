"""Typed reading of parsed TOML tables, failing with a Chinese message naming file and entry."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import NoReturn, TypeVar

from workflows.routing.errors import RoutingDataError

T = TypeVar("T")

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")

_TYPE_NAMES = {
    str: "文本",
    int: "整数",
    bool: "true 或 false",
    list: "列表",
    dict: "表",
}


def parse_text(text: str, source: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutingDataError(source, "整个文件", f"TOML 格式错误：{exc}") from exc


def _type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


class Table:
    """One TOML table being read; remembers which keys were read to reject unknown ones."""

    def __init__(self, data: Mapping[str, object], source: str, entry: str) -> None:
        self.data = data
        self.source = source
        self.entry = entry
        self._read: set[str] = set()

    def fail(self, problem: str) -> NoReturn:
        raise RoutingDataError(self.source, self.entry, problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, kind: type[T], kind_name: str | None = None) -> T:
        self._read.add(key)
        if key not in self.data:
            self.fail(f"缺少字段“{key}”")
        value = self.data[key]
        if type(value) is not kind:
            wanted = kind_name or _TYPE_NAMES[kind]
            self.fail(f"字段“{key}”应为{wanted}，实际为{_type_name(value)}")
        return value

    def text(self, key: str, *, allow_empty: bool = False) -> str:
        value = self._get(key, str)
        if not allow_empty and not value.strip():
            self.fail(f"字段“{key}”不能为空")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else None

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not SLUG.match(value):
            self.fail(f"字段“{key}”的值“{value}”只能由小写英文字母、数字和下划线组成")
        return value

    def integer(self, key: str, *, minimum: int | None = None) -> int:
        value = self._get(key, int)
        if minimum is not None and value < minimum:
            self.fail(f"字段“{key}”应不小于 {minimum}，实际为 {value}")
        return value

    def flag(self, key: str, *, default: bool = False) -> bool:
        if not self.has(key):
            self._read.add(key)
            return default
        value = self._get(key, bool)
        return value

    def text_list(self, key: str, *, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if not self.has(key) and default is not None:
            self._read.add(key)
            return default
        value: list[object] = self._get(key, list, "文本列表")
        items: list[str] = []
        for position, item in enumerate(value, start=1):
            if type(item) is not str or not item.strip():
                self.fail(f"字段“{key}”的第{position}项应为非空文本")
            items.append(item)
        return tuple(items)

    def table(self, key: str, entry: str) -> Table:
        value: dict[str, object] = self._get(key, dict)
        return Table(value, self.source, entry)

    def optional_table(self, key: str, entry: str) -> Table | None:
        return self.table(key, entry) if self.has(key) else None

    def tables(self, key: str, entry: str, *, default_empty: bool = False) -> list[Table]:
        """An array of tables; ``entry`` is formatted with the 1-based position as ``{n}``."""
        if not self.has(key) and default_empty:
            self._read.add(key)
            return []
        value: list[object] = self._get(key, list, "表的数组（[[...]]）")
        found: list[Table] = []
        for position, item in enumerate(value, start=1):
            where = entry.format(n=position)
            if type(item) is not dict:
                raise RoutingDataError(self.source, where, f"应为表，实际为{_type_name(item)}")
            found.append(Table(item, self.source, where))
        return found

    def close(self) -> None:
        """Reject keys nobody read: usually a typo in a field name."""
        unknown = [key for key in self.data if key not in self._read]
        if unknown:
            self.fail(f"未知字段：{'、'.join(unknown)}（请检查字段名是否写错）")
