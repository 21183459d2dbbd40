"""Validating a trigger's payload against its pydantic model, with the problems named per
field in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.domain.errors import PayloadInvalid
from engine.domain.text import text_problems


def validate_payload(
    label: str, model: type[BaseModel] | None, raw: Mapping[str, Any] | None
) -> BaseModel | None:
    """The payload as its model, or PayloadInvalid naming every field that is wrong."""
    if model is None:
        if raw:
            raise PayloadInvalid(label, {k: "此操作不需要该字段" for k in raw})
        return None
    bad_text = text_problems(dict(raw or {}))
    if bad_text:
        raise PayloadInvalid(label, bad_text)
    try:
        return model.model_validate(dict(raw or {}))
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "（整体）"
            problems[where] = zh_validation_message(err)
        raise PayloadInvalid(label, problems) from exc


def zh_validation_message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    messages = {
        "missing": "必须填写",
        "extra_forbidden": "是未知字段",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "decimal_parsing": "应为数字金额",
        "decimal_type": "应为数字金额",
        "decimal_max_places": f"最多 {ctx.get('decimal_places')} 位小数",
        "float_parsing": "应为数字",
        "string_type": "应为文字",
        "string_unicode": "含有无法识别的字符（可能不是 UTF-8 编码）",
        "string_too_short": "不能为空",
        "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
        "date_parsing": "应为日期（YYYY-MM-DD）",
        "date_type": "应为日期（YYYY-MM-DD）",
        "greater_than": f"应大于 {ctx.get('gt')}",
        "greater_than_equal": f"应不小于 {ctx.get('ge')}",
        "less_than_equal": f"应不大于 {ctx.get('le')}",
        "literal_error": f"应为以下之一：{ctx.get('expected')}",
        "enum": f"应为以下之一：{ctx.get('expected')}",
        "list_type": "应为列表",
        "bool_parsing": "应为是/否",
        "value_error": str(err.get("msg", "")).removeprefix("Value error, "),
    }
    return messages.get(kind, f"无效（{err.get('msg', kind)}）")
