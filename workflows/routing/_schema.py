"""The schema side of the routing data files: a strict, frozen pydantic base model, the
field types the files share, and the translation of a pydantic ValidationError into a
RoutingDataError whose Chinese message names the file, the entry and the key.

Each file module declares its models and an *entry namer*: given the location of an error
(pydantic's ``loc``, e.g. ``("units", 1, "name")``) it names the entry the location falls
in (``第2个单位（id = office）``) and says how many leading parts of the location it used;
the rest names the key. Cross-field rules raise ``rule_error(problem, *at)``: ``problem``
is the whole Chinese reason, ``at`` the location of the offending entry below the
validated value (e.g. the index of a unit when the rule checks the list of units).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from workflows.routing.errors import RoutingDataError

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound="FileModel")

Loc = tuple[int | str, ...]
EntryNamer = Callable[[Loc, Mapping[str, object]], tuple[str, int]]
"""``(loc, document) -> (entry, parts of loc used)``."""

RULE = "routing_rule"
_BLANK = "routing_blank"
_SLUG = "routing_slug"
_TABLES = "routing_tables"


class FileModel(BaseModel):
    """Base of every routing file model: unknown keys are errors, values are strict."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def rule_error(problem: str, *at: int | str) -> PydanticCustomError:
    """A broken cross-field rule; ``at`` locates the entry below the validated value."""
    return PydanticCustomError(RULE, "{problem}", {"problem": problem, "at": at})


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(_BLANK, "不能为空")
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise PydanticCustomError(_SLUG, "只能由小写英文字母、数字和下划线组成")
    return value


def _array(value: object) -> object:
    if type(value) is not list:
        raise PydanticCustomError(_TABLES, "应为表的数组")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
"""Text that is not empty or blank (kept as written)."""
Slug = Annotated[str, AfterValidator(_slug)]
"""A key used by the program: lower-case letters, digits and underscores."""
Positive = Annotated[int, Field(ge=1)]
TextList = Annotated[tuple[T, ...], Field(strict=False)]
"""A TOML array of strings (texts or enum values), read into a tuple; items stay strict."""
Tables = Annotated[tuple[T, ...], BeforeValidator(_array), Field(strict=False)]
"""A TOML array of tables (``[[key]]``), read into a tuple of models."""
Choice = Annotated[E, Field(strict=False)]
"""One of an enum's values, written as its string in the TOML."""


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutingDataError(source, "整个文件", f"TOML 格式错误：{exc}") from exc


def validate_file(
    model: type[M],
    document: Mapping[str, object],
    source: str,
    namer: EntryNamer,
    context: Mapping[str, object] | None = None,
) -> M:
    """Validate a parsed file against its model; RoutingDataError on the first problem."""
    try:
        return model.model_validate(document, context=context)
    except ValidationError as exc:
        raise data_error(exc, document, source, namer) from exc


def item_id(document: Mapping[str, object], key: str, index: int) -> str | None:
    """The ``id`` of the index-th table in ``document[key]``, when it is a valid key."""
    items = document.get(key)
    if not isinstance(items, list) or index >= len(items) or not isinstance(items[index], dict):
        return None
    value = items[index].get("id")
    return value if isinstance(value, str) and SLUG.match(value) else None


def data_error(
    exc: ValidationError, document: Mapping[str, object], source: str, namer: EntryNamer
) -> RoutingDataError:
    """The first error of ``exc`` as a RoutingDataError naming file, entry and key."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc: Loc = tuple(first["loc"])
    if first["type"] == RULE:
        # A rule is located at (or, with ``at``, below) its entry; its problem is complete.
        loc = (*loc, *first.get("ctx", {}).get("at", ()))
        entry, _ = namer(loc, document)
        return RoutingDataError(source, entry, str(first.get("ctx", {})["problem"]))
    # Otherwise the last part is the key (or, when an integer, the array item that is wrong).
    entry, used = namer(loc if loc and isinstance(loc[-1], int) else loc[:-1], document)
    return RoutingDataError(source, entry, _misspelt(errors, first) or _problem(first, loc[used:]))


def _misspelt(errors: list[ErrorDetails], first: ErrorDetails) -> str | None:
    """The unknown keys of the first error's table (a typo, usually), with the keys it lacks."""
    if first["type"] not in ("missing", "extra_forbidden"):
        return None
    table = tuple(first["loc"][:-1])

    def keys(kind: str) -> list[str]:
        return [str(e["loc"][-1]) for e in errors if e["type"] == kind and e["loc"][:-1] == table]

    unknown, missing = keys("extra_forbidden"), keys("missing")
    if not unknown:
        return None
    problem = f"未知字段：{'、'.join(unknown)}（请检查字段名是否写错）"
    if missing:
        problem += "；缺少字段" + "、".join(f"“{key}”" for key in missing)
    return problem


_EXPECTED = {
    "string_type": "文本",
    "int_type": "整数",
    "bool_type": "布尔值（true 或 false）",
    "tuple_type": "文本列表",
    _TABLES: "表的数组（[[...]]）",
    "dict_type": "表",
    "model_type": "表",
    "model_attributes_type": "表",
    "date_type": "日期",
}

_ACTUAL: dict[type, str] = {
    str: "文本",
    int: "整数",
    float: "小数",
    bool: "布尔值",
    list: "列表",
    dict: "表",
    date: "日期",
    datetime: "日期时间",
    time: "时间",
}


def type_name(value: object) -> str:
    """The TOML type of a value, in Chinese."""
    return _ACTUAL.get(type(value), type(value).__name__)


def _problem(error: ErrorDetails, rest: Loc) -> str:
    kind, value = error["type"], error.get("input")
    ctx = error.get("ctx", {})
    if not rest:
        wanted = _EXPECTED.get(kind, "表")
        return f"应为{wanted}，实际为{type_name(value)}"
    field = f"字段“{rest[0]}”"
    if len(rest) > 1 and isinstance(rest[1], int):
        field += f"第{rest[1] + 1}项"
    if kind == "missing":
        return f"缺少{field}"
    if kind == _BLANK:
        return f"{field}不能为空"
    if kind == _SLUG:
        return f"{field}的值“{value}”只能由小写英文字母、数字和下划线组成"
    if kind == "enum":
        allowed = "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"{field}的值“{value}”无效，可选：{allowed}"
    if kind == "greater_than_equal":
        return f"{field}应不小于 {ctx['ge']}，实际为 {value}"
    if kind in _EXPECTED:
        return f"{field}应为{_EXPECTED[kind]}，实际为{type_name(value)}"
    return f"{field}的值无效：{error['msg']}"
