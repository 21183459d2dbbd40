"""An order to correct within a deadline and the check after it, as a building block:
ordered → (corrected early) or, when the deadline passes, the sweep moves the case to the
check → corrected or not. The period is the county's (``PeriodKey.RECTIFICATION``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field

from engine.domain.procedure import (
    DocumentDecl,
    GuardContext,
    PeriodSetting,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    SYSTEM,
    Payload,
    Text,
    guard,
    payload_as,
    today,
)
from workflows.counties import PeriodKey

PERIOD = PeriodSetting(PeriodKey.RECTIFICATION)


class RectificationOrder(Payload):
    violations: Text = Field(description="认定的违法行为（事实）")
    basis: Text = Field(description="违反的法律、法规、规章条款")
    requirements: Text = Field(description="改正要求")


class Check(Payload):
    checked_on: date = Field(description="复查日期")
    corrected: bool = Field(description="是否已改正")
    notes: Text = Field(description="复查情况")


@guard("found_corrected", "复查已改正")
def _corrected(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Check).corrected else "复查未改正"


@guard("found_not_corrected", "复查未改正")
def _not_corrected(ctx: GuardContext) -> str | None:
    return "复查已改正" if payload_as(ctx, Check).corrected else None


def _ordered(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, RectificationOrder)
    order = {**p.model_dump(mode="json"), "ordered_on": today(ctx).isoformat()}
    return {"rectification": order}


def _checked(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Check)
    order = dict(ctx.data.get("rectification") or {})
    order["checks"] = [*order.get("checks", []), p.model_dump(mode="json")]
    order["corrected"] = p.corrected
    return {"rectification": order}


@dataclass(frozen=True)
class Rectification:
    """``sources``: where an order may be given; ``document``: the order issued; where the
    case goes when the check finds it corrected or not."""

    sources: tuple[str, ...]
    document: DocumentDecl
    basis: str
    corrected_to: str
    not_corrected_to: str

    @property
    def states(self) -> tuple[StateDecl, ...]:
        timer = TimerDecl(
            "rectification",
            "限期改正期限",
            PERIOD,
            self.basis,
            on_expiry="rectification_deadline_passed",
        )
        return (
            StateDecl("rectification_ordered", "责令限期改正", timers=(timer,)),
            StateDecl("rectification_check", "改正期满待复查"),
        )

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        check = (ACTOR_IS_ASSIGNEE,)
        return (
            TriggerDecl(
                "order_rectification",
                "责令限期改正",
                self.sources,
                "rectification_ordered",
                INSPECTORS,
                guards=ENFORCEMENT,
                payload=RectificationOrder,
                effect=_ordered,
                documents=(self.document,),
            ),
            TriggerDecl(
                "rectification_deadline_passed",
                "改正期限届满",
                "rectification_ordered",
                "rectification_check",
                SYSTEM,
            ),
            TriggerDecl(
                "record_check",
                "登记复查结果",
                ("rectification_ordered", "rectification_check"),
                self.corrected_to,
                INSPECTORS,
                guards=(*check, _corrected),
                payload=Check,
                effect=_checked,
            ),
            TriggerDecl(
                "record_check",
                "登记复查结果",
                "rectification_check",
                self.not_corrected_to,
                INSPECTORS,
                guards=(*check, _not_corrected),
                payload=Check,
                effect=_checked,
            ),
        )
