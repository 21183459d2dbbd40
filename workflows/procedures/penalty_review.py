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

from pydantic import Field

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Branch,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
    guard,
)
from engine.domain.roles import Role
from workflows.blocks.closing import CLOSED, closing
from workflows.blocks.rectification import PERIOD
from workflows.common import (
    NOT_CASE_INSPECTOR,
    SUPERVISORS_AND_HEAD,
    Payload,
    Text,
    added_to,
    document,
    payload_as,
    recorded,
)

ID = "penalty_review"
REVIEWERS = frozenset({Role.LEGAL, Role.SUPERVISOR})


class Occasion(StrEnum):
    ANNUAL_EVALUATION = "annual_evaluation"
    FILE_REVIEW = "file_review"
    PUBLIC_SUPERVISION = "public_supervision"

    @property
    def label(self) -> str:
        return {
            "annual_evaluation": "年度执法评价",
            "file_review": "案卷评查",
            "public_supervision": "社会监督线索",
        }[self.value]


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
    checked_on: date = Field(description="复查日期")
    corrected: bool = Field(description="是否已纠正")
    notes: Text = Field(description="复查情况")


@guard("reviewed", "已评查")
def REVIEWED(ctx: GuardContext) -> str | None:
    return None if ctx.data.get("review_steps") else "尚未登记评查情况"


@guard("found_proper", "裁量适当")
def FOUND_PROPER(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Conclusion).proper else "评查认定裁量不当"


@guard("found_improper", "裁量不当")
def FOUND_IMPROPER(ctx: GuardContext) -> str | None:
    return "评查认定裁量适当" if payload_as(ctx, Conclusion).proper else None


CORRECTION_NOTICE = document(
    kind="discretion_correction",
    title="行政处罚裁量权监督检查整改通知书",
    family=DocFamily.INSPECTION,
    abbrev="裁",
)
CORRECTION_WINDOW = TimerDecl(
    name="correction",
    label="整改期限",
    period=PERIOD,
    basis="《中华人民共和国行政处罚法》第七十五条第一款（期限由本局确定）",
)

STATES = (
    StateDecl(name="planned", label="已列入评查计划"),
    StateDecl(name="reviewing", label="评查中"),
    StateDecl(name="proper", label="裁量适当"),
    StateDecl(name="improper", label="裁量不当（待下达整改通知）"),
    StateDecl(name="correction_ordered", label="责令整改", timers=(CORRECTION_WINDOW,)),
    CLOSED,
)

TRIGGERS = (
    TriggerDecl(
        name="start_review",
        label="开始评查",
        source="planned",
        dest="reviewing",
        roles=REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Plan,
        effect=recorded("plan"),
    ),
    TriggerDecl(
        name="record_review_step",
        label="登记评查情况",
        source="reviewing",
        dest=STAY,
        roles=REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=ReviewStep,
        effect=added_to("review_steps", by="by"),
    ),
    *branches(
        name="conclude_review",
        label="作出评查结论",
        source="reviewing",
        roles=REVIEWERS,
        guards=(NOT_CASE_INSPECTOR, REVIEWED),
        payload=Conclusion,
        effect=recorded("conclusion"),
        routes=(
            Branch(guards=(FOUND_PROPER,), dest="proper"),
            Branch(guards=(FOUND_IMPROPER,), dest="improper"),
        ),
    ),
    TriggerDecl(
        name="order_correction",
        label="下达整改通知",
        source="improper",
        dest="correction_ordered",
        roles=SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR,),
        payload=CorrectionOrder,
        effect=recorded("correction", dated="ordered_on", by=None),
        documents=(CORRECTION_NOTICE,),
    ),
    TriggerDecl(
        name="record_correction",
        label="登记整改情况",
        source="correction_ordered",
        dest="closed",
        roles=REVIEWERS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=CorrectionCheck,
        effect=recorded("correction_check"),
    ),
    closing(sources=("proper",)),
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
