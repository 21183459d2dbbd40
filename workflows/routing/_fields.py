"""Field readers shared by the matters and profile parsers."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from workflows.routing._toml import Table
from workflows.routing.departments import DEPARTMENTS_FILE
from workflows.routing.model import Department, PeriodSpec, PeriodUnit

E = TypeVar("E", bound=StrEnum)


def choice(table: Table, key: str, value: str, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = "、".join(member.value for member in enum)
        table.fail(f"字段“{key}”的值“{value}”无效，可选：{allowed}")


def department_ref(table: Table, key: str, catalogue: Mapping[str, Department]) -> str:
    value = table.text(key)
    if value not in catalogue:
        table.fail(f"引用了未登记的部门“{value}”（{DEPARTMENTS_FILE} 中没有这个键）")
    return value


def period(table: Table, amount_key: str, unit_key: str, basis_key: str) -> PeriodSpec:
    return PeriodSpec(
        amount=table.integer(amount_key, minimum=1),
        unit=choice(table, unit_key, table.text(unit_key), PeriodUnit),
        basis=table.text(basis_key),
    )
