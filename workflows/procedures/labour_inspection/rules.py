"""Guards and effects of the labour-inspection procedure."""

from __future__ import annotations

from typing import Any

from engine.domain.procedure import GuardContext, guard
from workflows.blocks.referrals import profile_of, routing_of
from workflows.common import payload_as, today
from workflows.procedures.labour_inspection.payloads import (
    Acceptance,
    NoViolation,
    Withdrawal,
)

PROCEDURE_ID = "labour_inspection"


@guard("matter_known", "管理事项属于劳动保障监察")
def MATTER_KNOWN(ctx: GuardContext) -> str | None:
    matter = payload_as(ctx, Acceptance).matter
    if matter is None:
        return None
    table = routing_of(ctx)
    if matter not in table:
        return f"本县职责边界表中没有事项“{matter}”"
    if PROCEDURE_ID in table.matter(matter).procedures:
        return None
    return f"“{table.matter(matter).title}”事项不由劳动保障监察程序办理"


@guard("referrer_known", "移送部门已登记")
def REFERRER_KNOWN(ctx: GuardContext) -> str | None:
    key = payload_as(ctx, Acceptance).referred_by
    if key is None or key in profile_of(ctx).catalogue:
        return None
    return f"未登记的部门：{key}（见 caseflow matters）"


def record_acceptance(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Acceptance)
    out: dict[str, Any] = {
        "accepted_on": today(ctx).isoformat(),
        "source_kind": str(p.source_kind),
        "source_label": p.source_kind.label,
        "acceptance_summary": p.summary,
        "matter": p.matter,
    }
    if p.referred_by:
        out["referred_in"] = {
            "department": p.referred_by,
            "name": profile_of(ctx).department_name(p.referred_by),
        }
    return out


def record_no_violation(ctx: GuardContext) -> dict[str, Any]:
    return {"conclusion": {"violation": False, "facts": payload_as(ctx, NoViolation).facts}}


def record_withdrawal(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Withdrawal)
    return {"withdrawal": {**p.model_dump(mode="json"), "approved_by": ctx.actor.name}}
