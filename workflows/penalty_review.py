"""Review of the use of penalty discretion 规范行政处罚裁量权监督检查 (`penalty_review`).

Ding'an rules 三（六）: the labour inspection unit's penalty cases are evaluated each year,
case files are reviewed, and media reports and complaints are followed up (行政处罚法第七十五条)
→ reports heard, case files examined, on-site checks → the discretion was used properly, or
not: an order to correct, a circular, suspension of awards, notice to the unit's superior →
the correction is checked → closed. Reviewers are the legal unit and supervisors, never the
reviewed unit's inspectors.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field

from engine.domain.procedure import (
    DocumentDecl,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from engine.domain.roles import Role
from workflows.common import (
    CLOSING_EFFECT,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    SUPERVISORS_AND_HEAD,
    Closing,
    Payload,
    Text,
    guard,
    payload_as,
    recorded,
    today,
)
from workflows.rectification import PERIOD

ID = "penalty_review"
REVIEWERS = frozenset({Role.LEGAL, Role.SUPERVISOR})


class Occasion(StrEnum):
    ANNUAL_EVALUATION = "annual_evaluation"
    FILE_REVIEW = "file_review"
    PUBLIC_SUPERVISION = "public_supervision"


class Plan(Payload):
    occasion: Occasion = Field(description="年度评价、案卷评查或社会监督线索")
    scope: Text = Field(description="评查范围（年度、案件）")


class ReviewStep(Payload):
    method: Text = Field(description="听取报告、查看案卷或实地检查")
    case_refs: list[str] = Field(default_factory=list, description="评查的案件编号")
    findings: Text = Field(description="发现的情况")


class Conclusion(Payload):
    proper: bool = Field(description="裁量权行使是否合法、合理")
    findings: Text = Field(description="评查结论")


class CorrectionOrder(Payload):
    measures: Text = Field(description="责令改正、通报、取消评先评优资格、通知所属单位等")


class CorrectionCheck(Payload):
    checked_on: date
    corrected: bool
    notes: Text


@guard("reviewed", "已评查")
def _reviewed(ctx: GuardContext) -> str | None:
    return None if ctx.data.get("review_steps") else "尚未登记评查情况"


@guard("found_proper", "裁量适当")
def _proper(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Conclusion).proper else "评查认定裁量不当"


@guard("found_improper", "裁量不当")
def _improper(ctx: GuardContext) -> str | None:
    return "评查认定裁量适当" if payload_as(ctx, Conclusion).proper else None


def _step(ctx: GuardContext) -> dict[str, Any]:
    item = {**payload_as(ctx, ReviewStep).model_dump(mode="json"), "by": ctx.actor.name}
    return {"review_steps": [*ctx.data.get("review_steps", []), item]}


def _ordered(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, CorrectionOrder)
    return {"correction": {**p.model_dump(mode="json"), "ordered_on": today(ctx).isoformat()}}


CORRECTION_NOTICE = DocumentDecl(
    "discretion_correction",
    "行政处罚裁量权监督检查整改通知书",
    "discretion_correction.html.j2",
    "inspection",
    "裁",
)
CORRECTION_WINDOW = TimerDecl(
    "correction",
    "整改期限",
    PERIOD,
    "《中华人民共和国行政处罚法》第七十五条第一款（期限由本局确定）",
)

STATES = (
    StateDecl("planned", "已列入评查计划"),
    StateDecl("reviewing", "评查中"),
    StateDecl("proper", "裁量适当"),
    StateDecl("improper", "裁量不当（待下达整改通知）"),
    StateDecl("correction_ordered", "责令整改", timers=(CORRECTION_WINDOW,)),
    StateDecl("closed", "已办结", final=True),
)

TRIGGERS = (
    TriggerDecl(
        "start_review",
        "开始评查",
        "planned",
        "reviewing",
        REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Plan,
        effect=recorded("plan"),
    ),
    TriggerDecl(
        "record_review_step",
        "登记评查情况",
        "reviewing",
        None,
        REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=ReviewStep,
        effect=_step,
    ),
    TriggerDecl(
        "conclude_review",
        "作出评查结论",
        "reviewing",
        "proper",
        REVIEWERS,
        guards=(NOT_CASE_INSPECTOR, _reviewed, _proper),
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        "conclude_review",
        "作出评查结论",
        "reviewing",
        "improper",
        REVIEWERS,
        guards=(NOT_CASE_INSPECTOR, _reviewed, _improper),
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        "order_correction",
        "下达整改通知",
        "improper",
        "correction_ordered",
        SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR,),
        payload=CorrectionOrder,
        effect=_ordered,
        documents=(CORRECTION_NOTICE,),
    ),
    TriggerDecl(
        "record_correction",
        "登记整改情况",
        "correction_ordered",
        "closed",
        REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=CorrectionCheck,
        effect=recorded("correction_check"),
    ),
    TriggerDecl(
        "close",
        "办结",
        "proper",
        "closed",
        SUPERVISORS,
        payload=Closing,
        effect=CLOSING_EFFECT,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="行政处罚裁量权监督检查",
    initial="planned",
    states=STATES,
    triggers=TRIGGERS,
    description="通过年度评价、案卷评查和社会监督，检查劳动保障监察机构行使行政处罚裁量权的情况",
    case_prefix="PR",
)
