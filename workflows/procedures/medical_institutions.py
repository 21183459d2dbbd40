"""Supervision of designated medical institutions of basic medical insurance
基本医疗保险定点医疗机构监督检查 (`medical_institutions`).

Ding'an rules 三（三）: the institution's licences and records are verified, its violation
record investigated (with the insurance agency's records and, where needed, the health, drug
and price departments), and its practice checked on site → compliant; or violations: the
fund's money obtained by fraud ordered back and a penalty of two to five times that amount
(社会保险法第八十七条, 社会保险经办条例第五十五条) through the penalty procedure → closed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TriggerDecl,
    guard,
)
from workflows.blocks.closing import CLOSED, closing
from workflows.blocks.penalty import PenaltyProcedure
from workflows.blocks.rectification import PERIOD as REFUND_PERIOD
from workflows.blocks.referrals import profile_of
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    DepartmentKey,
    Payload,
    PositiveYuan,
    Text,
    document,
    due_date,
    payload_as,
    recorded,
    today,
)

ID = "medical_institutions"


class Step(StrEnum):
    MATERIALS = "materials"
    RECORDS = "records"
    ONSITE = "onsite"

    @property
    def label(self) -> str:
        return {"materials": "材料核实", "records": "违规记录调查", "onsite": "实地核查"}[
            self.value
        ]


class CheckStep(Payload):
    step: Step = Field(description="核查步骤")
    findings: Text = Field(description="核查情况")


class Consultation(Payload):
    department: DepartmentKey
    question: Text = Field(description="请求核实的事项")
    answer: str = Field(default="", max_length=2000, description="对方核实意见")


class Conclusion(Payload):
    facts: Text = Field(description="核查结论")


class Violations(Payload):
    facts: Text = Field(description="违规事实")
    defrauded: PositiveYuan = Field(description="骗取的社会保险基金金额（元）")
    basis: Text = Field(description="违反的规定")


@guard("steps_done", "材料核实、违规记录调查、实地核查均已完成")
def STEPS_DONE(ctx: GuardContext) -> str | None:
    done = {item["step"] for item in ctx.data.get("checks", [])}
    missing = [s.label for s in Step if s.value not in done]
    return None if not missing else f"尚未完成：{'、'.join(missing)}"


@guard("department_known", "部门已登记")
def DEPARTMENT_KNOWN(ctx: GuardContext) -> str | None:
    key = payload_as(ctx, Consultation).department
    return None if key in profile_of(ctx).catalogue else f"未登记的部门：{key}"


def _step(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, CheckStep)
    item = {**p.model_dump(mode="json"), "label": p.step.label, "on": today(ctx).isoformat()}
    return {"checks": [*ctx.data.get("checks", []), item]}


def _consulted(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Consultation)
    item = {
        **p.model_dump(mode="json"),
        "name": profile_of(ctx).department_name(p.department),
        "on": today(ctx).isoformat(),
    }
    return {"consultations": [*ctx.data.get("consultations", []), item]}


def _violations(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Violations)
    due = due_date(ctx.now, REFUND_PERIOD.resolve(ctx.settings))
    return {
        "violations": {
            **p.model_dump(mode="json"),
            "found_on": today(ctx).isoformat(),
            "refund_due": due.isoformat(),
        }
    }


REFUND_ORDER = document(
    kind="refund_order",
    title="责令退回社会保险基金决定书",
    family=DocFamily.DECISION,
    abbrev="退",
)
PENALTY = PenaltyProcedure(sources=("violations_found",))

STATES = (
    StateDecl(name="planned", label="已列入检查计划"),
    StateDecl(name="checking", label="核查中"),
    StateDecl(name="compliant", label="未发现违规"),
    StateDecl(name="violations_found", label="发现违规（责令退回、处罚）"),
    *PENALTY.states,
    CLOSED,
)

TRIGGERS = (
    TriggerDecl(
        name="start_check",
        label="开始核查",
        source="planned",
        dest="checking",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
    ),
    TriggerDecl(
        name="record_check_step",
        label="登记核查情况",
        source="checking",
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=CheckStep,
        effect=_step,
    ),
    TriggerDecl(
        name="consult_department",
        label="与有关部门核实",
        source="checking",
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, DEPARTMENT_KNOWN),
        payload=Consultation,
        effect=_consulted,
    ),
    TriggerDecl(
        name="conclude_compliant",
        label="结论：未发现违规",
        source="checking",
        dest="compliant",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, STEPS_DONE),
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        name="record_violations",
        label="认定违规并责令退回",
        source="checking",
        dest="violations_found",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, STEPS_DONE),
        payload=Violations,
        effect=_violations,
        documents=(REFUND_ORDER,),
    ),
    *PENALTY.triggers,
    closing(sources=("compliant", "violations_found", "penalty_concluded")),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="基本医疗保险定点医疗机构监督检查",
    initial="planned",
    states=STATES,
    triggers=TRIGGERS,
    description="核实定点医疗机构资质材料和违规记录并实地核查，依法责令退回、处罚",
    case_prefix="MI",
)
