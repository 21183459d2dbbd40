"""An order to correct within a deadline and the check after it, as a building block:
ordered → (corrected early) or, when the deadline passes, the sweep moves the case to the
check → corrected or not. The period is the county's (``PeriodKey.RECTIFICATION``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    Branch,
    DocumentDecl,
    GuardContext,
    PeriodSetting,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
    guard,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    SYSTEM,
    Payload,
    Text,
    document,
    payload_as,
    recorded,
)
from workflows.counties import PeriodKey

PERIOD = PeriodSetting(key=PeriodKey.RECTIFICATION)

LABOUR_RECTIFICATION_ORDER = document(
    kind="rectification_order",
    title="劳动保障监察限期改正指令书",
    family=DocFamily.INSPECTION,
    abbrev="令",
    template="labour_rectification_order.html.j2",
)
"""The order to correct a breach of labour law (劳动保障监察条例第十八条第一款第二项)."""


class RectificationOrder(Payload):
    violations: Text = Field(description="认定的违法行为（事实）")
    basis: Text = Field(description="违反的法律、法规、规章条款")
    requirements: Text = Field(description="改正要求")


class Check(Payload):
    checked_on: date = Field(description="复查日期")
    corrected: bool = Field(description="是否已改正")
    notes: Text = Field(description="复查情况")


@guard("found_corrected", "复查已改正")
def FOUND_CORRECTED(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Check).corrected else "复查未改正"


@guard("found_not_corrected", "复查未改正")
def FOUND_NOT_CORRECTED(ctx: GuardContext) -> str | None:
    return "复查已改正" if payload_as(ctx, Check).corrected else None


def _checked(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Check)
    order = dict(ctx.data.get("rectification") or {})
    order["checks"] = [*order.get("checks", []), p.model_dump(mode="json")]
    order["corrected"] = p.corrected
    return {"rectification": order}


@dataclass(frozen=True, kw_only=True)
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
            name="rectification",
            label="限期改正期限",
            period=PERIOD,
            basis=self.basis,
            on_expiry="rectification_deadline_passed",
        )
        return (
            StateDecl(name="rectification_ordered", label="责令限期改正", timers=(timer,)),
            StateDecl(name="rectification_check", label="改正期满待复查"),
        )

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        return (
            TriggerDecl(
                name="order_rectification",
                label="责令限期改正",
                source=self.sources,
                dest="rectification_ordered",
                roles=INSPECTORS,
                guards=ENFORCEMENT,
                payload=RectificationOrder,
                effect=recorded("rectification", dated="ordered_on", by=None),
                documents=(self.document,),
            ),
            TriggerDecl(
                name="rectification_deadline_passed",
                label="改正期限届满",
                source="rectification_ordered",
                dest="rectification_check",
                roles=SYSTEM,
            ),
            *branches(
                name="record_check",
                label="登记复查结果",
                source="rectification_check",
                roles=INSPECTORS,
                guards=(ACTOR_IS_ASSIGNEE,),
                payload=Check,
                effect=_checked,
                routes=(
                    Branch(
                        source=("rectification_ordered", "rectification_check"),
                        guards=(FOUND_CORRECTED,),
                        dest=self.corrected_to,
                    ),
                    Branch(guards=(FOUND_NOT_CORRECTED,), dest=self.not_corrected_to),
                ),
            ),
        )
