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

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    GuardContext,
    LinkedCase,
    ProcedureDecl,
    StateDecl,
    TriggerDecl,
)
from workflows.blocks.closing import CLOSED, closing
from workflows.blocks.inquiries import inquiry_triggers
from workflows.blocks.rectification import LABOUR_RECTIFICATION_ORDER, Rectification
from workflows.blocks.referrals import referral_triggers
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    Payload,
    Text,
    added_to,
    document,
    payload_as,
    recorded,
)
from workflows.procedures.labour_inspection.payloads import MatterKey

ID = "employer_compliance"


class Occasion(StrEnum):
    CAMPAIGN = "campaign"
    JOINT = "joint"
    PATROL = "patrol"
    COMPLAINT = "complaint"
    WRITTEN_REVIEW = "written_review"
    FILING = "filing"

    @property
    def label(self) -> str:
        return {
            "campaign": "专项检查",
            "joint": "联合检查",
            "patrol": "日常巡视检查",
            "complaint": "投诉举报核查",
            "written_review": "书面审查",
            "filing": "备案审查",
        }[self.value]


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


def _violations(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Violations)
    return {"violations": p.model_dump(mode="json"), "matter": p.matter}


INSPECTION_NOTICE = document(
    kind="compliance_inspection_notice",
    title="劳动保障监察检查通知书",
    family=DocFamily.INSPECTION,
    abbrev="检",
)
RECTIFICATION = Rectification(
    sources=("violations",),
    document=LABOUR_RECTIFICATION_ORDER,
    basis="《劳动保障监察条例》第十八条第一款第二项（期限由本县确定）",
    corrected_to="compliant",
    not_corrected_to="violations",
)

STATES = (
    StateDecl(name="selected", label="已确定检查对象"),
    StateDecl(name="notified", label="已通知用人单位"),
    StateDecl(name="inspecting", label="检查中"),
    StateDecl(name="compliant", label="未发现违法行为（或已改正）"),
    StateDecl(name="violations", label="发现违法行为（依法处理）"),
    *RECTIFICATION.states,
    StateDecl(name="case_opened", label="已立案查处（转劳动保障监察案件）", final=True),
    CLOSED,
)

TRIGGERS = (
    TriggerDecl(
        name="notify_unit",
        label="发出检查通知",
        source="selected",
        dest="notified",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Notice,
        effect=recorded("inspection", dated="notified_on", by=None),
        documents=(INSPECTION_NOTICE,),
    ),
    TriggerDecl(
        name="start_inspection",
        label="实施检查",
        source="notified",
        dest="inspecting",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
    ),
    TriggerDecl(
        name="record_evidence",
        label="登记检查情况",
        source="inspecting",
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=InspectionStep,
        effect=added_to("evidence", dated="on"),
    ),
    *inquiry_triggers(("inspecting",)),
    TriggerDecl(
        name="conclude_compliant",
        label="结论：未发现违法行为",
        source="inspecting",
        dest="compliant",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        name="conclude_violations",
        label="结论：发现违法行为",
        source="inspecting",
        dest="violations",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Violations,
        effect=_violations,
    ),
    *RECTIFICATION.triggers,
    TriggerDecl(
        name="open_enforcement_case",
        label="立案查处（转劳动保障监察案件）",
        source="violations",
        dest="case_opened",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        opens_case=LinkedCase(
            procedure="labour_inspection",
            source="用人单位遵守劳动保障法律法规情况检查发现违法",
        ),
    ),
    *referral_triggers(("violations",), ""),
    closing(sources=("compliant", "violations")),
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
