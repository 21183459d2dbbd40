"""Forms generated from the payload models of the triggers (and the intake models of the
procedures): Chinese labels and help from the fields' descriptions, enums and literals as
selects with their Chinese names, dates as date inputs, amounts with their 大写, evidence as
a choice among the case's attachments, departments among those the boundary table allows.
The submitted form is turned back into the payload the engine validates."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

Options = list[tuple[str, str]]


@dataclass
class FieldSpec:
    """One input of a generated form."""

    name: str
    label: str
    widget: str
    """text, textarea, number, money, date, select, checkbox, checkboxes, yesno,
    attachment, attachments, rows"""
    required: bool
    value: Any = ""
    help: str = ""
    options: Options = field(default_factory=list)
    maxlength: int | None = None
    minimum: str = ""
    step: str = ""
    rows: list[FieldSpec] = field(default_factory=list)
    """The columns of a ``rows`` field (a list of records)."""
    error: str = ""


@dataclass(frozen=True)
class FormContext:
    """What the choices of a form depend on: the case's attachments (evidence) and the
    departments it may refer to."""

    attachments: Options = field(default_factory=list)
    departments: Options = field(default_factory=list)


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(the type, whether None is allowed, the constraints an Annotated type carried)."""
    optional = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        annotation = rest[0] if len(rest) == 1 else annotation
    extra: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *meta = typing.get_args(annotation)
        for item in meta:
            extra += [item, *getattr(item, "metadata", [])]
    return annotation, optional, extra


def _choices(kind: Any, info: FieldInfo) -> Options:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [(str(m.value), str(getattr(m, "label", m.value))) for m in kind]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    labels = extra.get("choices") or {}
    assert isinstance(labels, dict)
    return [(str(v), str(labels.get(v, v))) for v in typing.get_args(kind)]


def _constraint(info: FieldInfo, name: str) -> Any:
    for meta in [*info.metadata, *_unwrap(info.annotation)[2]]:
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


def _is_department(info: FieldInfo) -> bool:
    return bool(_constraint(info, "pattern") == r"^[a-z][a-z0-9_]*$")


def field_specs(model: type[BaseModel], ctx: FormContext, prefix: str = "") -> list[FieldSpec]:
    return [_spec(prefix + name, info, ctx) for name, info in model.model_fields.items()]


def _spec(name: str, info: FieldInfo, ctx: FormContext) -> FieldSpec:
    kind, optional, _ = _unwrap(info.annotation)
    required = info.is_required() and not optional
    label = info.description or name
    default = "" if info.is_required() or info.default in (None, "") else info.default
    spec = FieldSpec(name=name, label=label, widget="text", required=required, value=default)
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        if {"sha256", "kind"} <= set(kind.model_fields):
            spec.widget, spec.options = "attachment", ctx.attachments
            spec.help = "先在“附件”中上传，再在此选择"
        return spec
    if origin is list:
        (item,) = typing.get_args(kind)
        if isinstance(item, type) and issubclass(item, BaseModel):
            if {"sha256", "kind"} <= set(item.model_fields):
                spec.widget, spec.options = "attachments", ctx.attachments
                spec.help = "先在“附件”中上传，再在此勾选"
            else:
                spec.widget, spec.rows = "rows", field_specs(item, ctx)
            return spec
        spec.widget, spec.options = "checkboxes", _choices(item, info)
        if not spec.options:
            spec.widget = "textarea"
            spec.help = "每行一项"
        return spec
    if origin is typing.Literal or (isinstance(kind, type) and issubclass(kind, Enum)):
        spec.widget, spec.options = "select", _choices(kind, info)
        spec.value = str(getattr(default, "value", default))
    elif kind is bool:
        spec.widget = "yesno" if required else "checkbox"
    elif kind is date:
        spec.widget = "date"
    elif kind is int:
        spec.widget, spec.step = "number", "1"
        above, least = _constraint(info, "gt"), _constraint(info, "ge")
        spec.minimum = str(above + 1) if above is not None else str(least or "")
    elif kind is Decimal:
        places = _constraint(info, "decimal_places")
        spec.widget, spec.step = ("money" if places == 2 else "number"), "0.01"
    elif _is_department(info):
        spec.widget, spec.options = "select", ctx.departments
    else:
        spec.maxlength = _constraint(info, "max_length")
        spec.widget = "text" if spec.maxlength is not None and spec.maxlength <= 200 else "textarea"
    return spec


def payload_from_form(
    specs: list[FieldSpec], form: dict[str, Any], attachments: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The payload a submitted form stands for; ``attachments`` maps an attachment's id to
    its evidence record. Empty optional fields are left out (their defaults apply)."""
    out: dict[str, Any] = {}
    for spec in specs:
        value = _value(spec, form, attachments)
        if value is not None:
            out[spec.name.rsplit(".", 1)[-1]] = value
    return out


def _listed(form: dict[str, Any], name: str) -> list[str]:
    raw = form.get(name)
    if raw is None:
        return []
    return [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]


def _value(spec: FieldSpec, form: dict[str, Any], atts: dict[str, dict[str, str]]) -> Any:
    if spec.widget == "checkbox":
        return spec.name in form
    if spec.widget == "checkboxes":
        return _listed(form, spec.name)
    if spec.widget == "attachments":
        kind = str(form.get(f"{spec.name}.kind") or "photo")
        return [{**atts[a], "kind": kind} for a in _listed(form, spec.name) if a in atts]
    if spec.widget == "rows":
        return _rows(spec, form, atts)
    raw = str(form.get(spec.name, "")).strip()
    if spec.widget == "attachment":
        if raw not in atts:
            return None if not spec.required else {}
        return {**atts[raw], "kind": str(form.get(f"{spec.name}.kind") or "document")}
    if spec.widget == "textarea" and spec.help == "每行一项":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if raw == "":
        return None
    if spec.widget == "yesno":
        return raw == "true"
    return raw


def _rows(spec: FieldSpec, form: dict[str, Any], atts: dict[str, dict[str, str]]) -> list[Any]:
    rows = []
    for index in range(50):
        columns = [
            FieldSpec(**{**c.__dict__, "name": f"{spec.name}.{index}.{c.name}"}) for c in spec.rows
        ]
        if not any(str(form.get(c.name, "")).strip() for c in columns):
            continue
        rows.append(payload_from_form(columns, form, atts))
    return rows


def attach_errors(specs: list[FieldSpec], problems: dict[str, str]) -> list[str]:
    """Put each problem next to its field; returns those that belong to no field."""
    by_name = {s.name: s for s in specs}
    loose = []
    for where, why in problems.items():
        spec = by_name.get(where) or by_name.get(where.split(".", 1)[0])
        if spec is None:
            loose.append(f"{where}：{why}" if where != "（整体）" else why)
        else:
            spec.error = f"{spec.error}；{why}" if spec.error else why
    return loose


def refill(specs: list[FieldSpec], form: dict[str, Any]) -> None:
    """Show what was typed again (a refused form loses nothing)."""
    for spec in specs:
        if spec.widget in ("checkboxes", "attachments"):
            spec.value = _listed(form, spec.name)
        elif spec.widget == "checkbox":
            spec.value = spec.name in form
        elif spec.widget == "rows":
            spec.value = {k: v for k, v in form.items() if k.startswith(spec.name + ".")}
        else:
            spec.value = form.get(spec.name, spec.value)
