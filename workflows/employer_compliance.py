"""Inspection of employers' compliance with labour and social-insurance law
用人单位遵守劳动保障法律法规情况监督检查 (`employer_compliance`).

Ding'an rules 三（七）: the employer to inspect is chosen (special or joint campaigns, area
patrols, complaints and reports, the annual written review, employment filing) → notified →
the inspectors hear its report, read its rules, staff roster, pay sheets, attendance and
contracts, and question people with signed records (劳动保障监察条例第十五条、第十六条) →
conclusion: compliant, or violations → an order to correct with a check, a labour-inspection
case opened for penalties (linked), a circular or a referral → closed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field

from engine.domain.procedure import (
    DocumentDecl,
    GuardContext,
    LinkedCase,
    ProcedureDecl,
    StateDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    CLOSING_EFFECT,
    ENFORCEMENT,
    INSPECTORS,
    SUPERVISORS,
    Closing,
    Payload,
    Text,
    payload_as,
    recorded,
    today,
)
from workflows.inquiries import inquiry_triggers
from workflows.labour_inspection.payloads import MatterKey
from workflows.rectification import Rectification
from workflows.referrals import referral_triggers

ID = "employer_compliance"


class Occasion(StrEnum):
    CAMPAIGN = "campaign"
    JOINT = "joint"
    PATROL = "patrol"
    COMPLAINT = "complaint"
    WRITTEN_REVIEW = "written_review"
    FILING = "filing"


class Notice(Payload):
    occasion: Occasion = Field(description="检查方式")
    inspect_on: date = Field(description="检查日期")
    contents: Text = Field(description="检查内容和须提供的材料")


class InspectionStep(Payload):
    step: Text = Field(description="听取汇报、查阅材料或现场检查")
    findings: Text = Field(description="检查情况")


class Conclusion(Payload):
    facts: Text = Field(description="检查结论")


class Violations(Payload):
    facts: Text = Field(description="违法事实")
    basis: Text = Field(description="违反的条款")
    matter: str | None = MatterKey


def _noticed(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Notice)
    return {"inspection": {**p.model_dump(mode="json"), "notified_on": today(ctx).isoformat()}}


def _evidence(ctx: GuardContext) -> dict[str, Any]:
    item = {**payload_as(ctx, InspectionStep).model_dump(mode="json"), "on": today(ctx).isoformat()}
    return {"evidence": [*ctx.data.get("evidence", []), item]}


def _violations(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Violations)
    return {"violations": p.model_dump(mode="json"), "matter": p.matter}


INSPECTION_NOTICE = DocumentDecl(
    "compliance_inspection_notice",
    "劳动保障监察检查通知书",
    "compliance_inspection_notice.html.j2",
    "inspection",
    "检",
)
RECTIFICATION_ORDER = DocumentDecl(
    "rectification_order",
    "劳动保障监察限期改正指令书",
    "labour_rectification_order.html.j2",
    abbrev="令",
)
RECTIFICATION = Rectification(
    sources=("violations",),
    document=RECTIFICATION_ORDER,
    basis="《劳动保障监察条例》第十八条第一款第二项（期限由本县确定）",
    corrected_to="compliant",
    not_corrected_to="violations",
)

STATES = (
    StateDecl("selected", "已确定检查对象"),
    StateDecl("notified", "已通知用人单位"),
    StateDecl("inspecting", "检查中"),
    StateDecl("compliant", "未发现违法行为（或已改正）"),
    StateDecl("violations", "发现违法行为（依法处理）"),
    *RECTIFICATION.states,
    StateDecl("case_opened", "已立案查处（转劳动保障监察案件）", final=True),
    StateDecl("closed", "已办结", final=True),
)

TRIGGERS = (
    TriggerDecl(
        "notify_unit",
        "发出检查通知",
        "selected",
        "notified",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Notice,
        effect=_noticed,
        documents=(INSPECTION_NOTICE,),
    ),
    TriggerDecl(
        "start_inspection",
        "实施检查",
        "notified",
        "inspecting",
        INSPECTORS,
        guards=ENFORCEMENT,
    ),
    TriggerDecl(
        "record_evidence",
        "登记检查情况",
        "inspecting",
        None,
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=InspectionStep,
        effect=_evidence,
    ),
    *inquiry_triggers(("inspecting",)),
    TriggerDecl(
        "conclude_compliant",
        "结论：未发现违法行为",
        "inspecting",
        "compliant",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        "conclude_violations",
        "结论：发现违法行为",
        "inspecting",
        "violations",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Violations,
        effect=_violations,
    ),
    *RECTIFICATION.triggers,
    TriggerDecl(
        "open_enforcement_case",
        "立案查处（转劳动保障监察案件）",
        "violations",
        "case_opened",
        INSPECTORS,
        guards=ENFORCEMENT,
        opens_case=LinkedCase("labour_inspection", "用人单位遵守劳动保障法律法规情况检查发现违法"),
    ),
    *referral_triggers(("violations",), ""),
    TriggerDecl(
        "close",
        "办结",
        ("compliant", "violations"),
        "closed",
        SUPERVISORS,
        payload=Closing,
        effect=CLOSING_EFFECT,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="用人单位遵守劳动保障法律法规情况监督检查",
    initial="selected",
    states=STATES,
    triggers=TRIGGERS,
    description="确定检查对象、通知、检查和询问，作出结论并依法处理（责令整改、立案查处、通报或移送）",
    case_prefix="EC",
)
