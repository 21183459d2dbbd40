"""Building blocks the procedures share: role sets, guards, payload helpers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from engine.domain.procedure import Guard, GuardContext
from engine.domain.roles import Role

INSPECTORS = frozenset({Role.INSPECTOR})
INSPECTORS_AND_SUPERVISORS = frozenset({Role.INSPECTOR, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
HEAD = frozenset({Role.HEAD})
LEGAL = frozenset({Role.LEGAL})
SYSTEM = frozenset({Role.SYSTEM})
INSPECTORS_OR_SYSTEM = frozenset({Role.INSPECTOR, Role.SYSTEM})

FEN = Decimal("0.01")

Yuan = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    PlainSerializer(lambda d: str(Decimal(str(d)).quantize(FEN, ROUND_HALF_UP)), return_type=str),
]
"""An amount in yuan, at most two decimals, serialised as a string (never a float)."""

PositiveYuan = Annotated[
    Decimal,
    Field(gt=0, max_digits=14, decimal_places=2),
    PlainSerializer(lambda d: str(Decimal(str(d)).quantize(FEN, ROUND_HALF_UP)), return_type=str),
]


class Payload(BaseModel):
    """Base of every trigger payload: unknown fields are refused, values are strict-ish."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def yuan(value: Any) -> Decimal:
    """A stored amount (string) back to Decimal."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def _two_inspectors(ctx: GuardContext) -> str | None:
    if len(ctx.assignees) >= 2:
        return None
    return f"执法须有两名以上监察员承办，当前仅 {len(ctx.assignees)} 名（劳动保障监察条例第十六条）"


TWO_INSPECTORS = Guard("two_inspectors", "两名监察员承办", _two_inspectors)


def _actor_is_assignee(ctx: GuardContext) -> str | None:
    if ctx.actor.role is not Role.INSPECTOR or ctx.actor.name in ctx.assignees:
        return None
    return f"{ctx.actor.name} 不是本案承办人（承办人：{'、'.join(ctx.assignees) or '无'}）"


ACTOR_IS_ASSIGNEE = Guard("actor_is_assignee", "承办人办理", _actor_is_assignee)


def _not_case_inspector(ctx: GuardContext) -> str | None:
    if ctx.actor.name in ctx.assignees or ctx.actor.name == ctx.opened_by:
        return f"{ctx.actor.name} 承办或立案了本案，不能审批或审核本案（回避）"
    return None


NOT_CASE_INSPECTOR = Guard("four_eyes", "承办人以外的人员审批", _not_case_inspector)
