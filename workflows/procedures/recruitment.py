"""Supervision of public recruitment by public institutions 事业单位公开招聘监管 (`recruitment`).

Ding'an rules 三（一）: a matter is registered (on-site checks, reports and summaries,
letters, visits, complaints and reports by candidates, clues) → verified against the
recruitment steps (written test, eligibility review, interview, medical, vetting, publicity,
appointment, probation) and the candidates' materials → no problem, or handled: an order to
correct or a circular, benefits obtained in breach withdrawn or suspended, and officials'
responsibility referred to discipline inspection (boundary table item 2) → closed.
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
from workflows.blocks.referrals import referral_triggers
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS_AND_HEAD,
    Payload,
    Text,
    added_to,
    document,
    payload_as,
    recorded,
    today,
)

ID = "recruitment"
MATTER = "public_recruitment"
RULES = "定安县人社局事中事后监管制度三（一）"
ACCOUNTABILITY = (
    f"{RULES}6（3）（追究机关工作人员责任）；涉嫌职务犯罪的，"
    "依照《行政执法机关移送涉嫌犯罪案件的规定》第十九条"
)


class Stage(StrEnum):
    WRITTEN_TEST = "written_test"
    ELIGIBILITY = "eligibility"
    INTERVIEW = "interview"
    MEDICAL = "medical"
    VETTING = "vetting"
    PUBLICITY = "publicity"
    APPOINTMENT = "appointment"
    PROBATION = "probation"

    @property
    def label(self) -> str:
        return {
            "written_test": "笔试",
            "eligibility": "资格审查",
            "interview": "面试",
            "medical": "体检",
            "vetting": "考察",
            "publicity": "公示",
            "appointment": "聘用",
            "probation": "试用期",
        }[self.value]


class Measure(StrEnum):
    CORRECT = "correct"
    CIRCULATE = "circulate"
    WITHDRAW_BENEFIT = "withdraw_benefit"
    SUSPEND_BENEFIT = "suspend_benefit"

    @property
    def label(self) -> str:
        return {
            "correct": "责令改正",
            "circulate": "通报",
            "withdraw_benefit": "取消违规获得的权益",
            "suspend_benefit": "暂停违规获得的权益",
        }[self.value]


class Registration(Payload):
    clue: Text = Field(description="监督事项或线索")
    stages: list[Stage] = Field(min_length=1, description="涉及的招聘环节")


class Verification(Payload):
    method: Text = Field(description="核实方式（查阅办件、案卷，现场督查，核实应试人员材料）")
    result: Text = Field(description="核实情况")


class Conclusion(Payload):
    facts: Text = Field(description="调查核实的结论")


class Decision(Payload):
    facts: Text = Field(description="违规事实")
    measures: list[Measure] = Field(min_length=1, description="处理措施")
    details: Text = Field(description="处理内容（改正要求、取消或暂停的权益等）")


@guard("verified", "已调查核实")
def VERIFIED(ctx: GuardContext) -> str | None:
    return None if ctx.data.get("verifications") else "尚未登记调查核实情况"


def _decision(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Decision)
    return {
        "decision": {
            **p.model_dump(mode="json"),
            "measure_labels": [m.label for m in p.measures],
            "decided_on": today(ctx).isoformat(),
            "by": ctx.actor.name,
        }
    }


DECISION = document(
    kind="recruitment_decision",
    title="事业单位公开招聘监督处理决定书",
    family=DocFamily.INSPECTION,
    abbrev="招",
)

STATES = (
    StateDecl(name="registered", label="监督事项已登记"),
    StateDecl(name="verifying", label="调查核实中"),
    StateDecl(name="no_problem", label="未发现违规"),
    StateDecl(name="handled", label="已作出处理"),
    CLOSED,
)

TRIGGERS = (
    TriggerDecl(
        name="start_verification",
        label="开始调查核实",
        source="registered",
        dest="verifying",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Registration,
        effect=recorded("registration"),
    ),
    TriggerDecl(
        name="record_verification",
        label="登记核实情况",
        source="verifying",
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Verification,
        effect=added_to("verifications", dated="on"),
    ),
    TriggerDecl(
        name="conclude_no_problem",
        label="结论：未发现违规",
        source="verifying",
        dest="no_problem",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, VERIFIED),
        payload=Conclusion,
        effect=recorded("conclusion"),
    ),
    TriggerDecl(
        name="decide_handling",
        label="作出处理决定（批准）",
        source="verifying",
        dest="handled",
        roles=SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR, VERIFIED),
        payload=Decision,
        effect=_decision,
        documents=(DECISION,),
    ),
    *referral_triggers(("verifying", "handled"), MATTER, ACCOUNTABILITY, advice=False),
    closing(sources=("no_problem", "handled")),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="事业单位公开招聘监督检查",
    initial="registered",
    states=STATES,
    triggers=TRIGGERS,
    description="对事业单位公开招聘各环节和应试人员材料进行监督检查，依情节作出处理",
    case_prefix="RS",
)
