"""Tracking an arbitration referral 劳动争议仲裁转介跟踪 (`arbitration_referral`).

Opened by a wage-arrears case when the workers are advised to take the disputed part of
their wages to arbitration (劳动保障监察条例第二十一条第二款), linked to it both ways. The
bureau follows the referral's statutory windows: the arbitration committee decides within
5 days of receiving the application whether to accept it (劳动争议调解仲裁法第二十九条) and
the tribunal ends the case within 45 days of acceptance, extendable once by at most 15 days
with the chair's approval (第四十三条第一款); a refusal or a missed window lets the workers sue.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from engine.deadlines import Period, Unit
from engine.domain.procedure import (
    STAY,
    Anchor,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TimerExtension,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    INSPECTORS,
    SUPERVISORS,
    Name,
    Payload,
    Text,
    Yuan,
    recorded,
)

ID = "arbitration_referral"
LAW = "《中华人民共和国劳动争议调解仲裁法》"


class Application(Payload):
    applied_on: date = Field(description="劳动者申请仲裁的日期")
    applicants: int = Field(gt=0, description="申请人数")
    committee: Name = Field(description="仲裁委员会", examples=["定安县劳动人事争议仲裁委员会"])


class CommitteeDecision(Payload):
    decided_on: date = Field(description="仲裁委员会作出决定的日期")
    case_no: str = Field(default="", max_length=100, description="仲裁案号")
    reason: str = Field(default="", max_length=2000, description="不予受理的理由")


class Extension(Payload):
    approved_on: date = Field(description="仲裁委员会主任批准延期的日期")


class Award(Payload):
    outcome: Literal["award", "mediation", "withdrawn", "lapsed"] = Field(
        description="裁决、调解、撤回申请或逾期未裁决",
        json_schema_extra={
            "choices": {
                "award": "裁决",
                "mediation": "调解",
                "withdrawn": "撤回申请",
                "lapsed": "逾期未裁决",
            }
        },
    )
    on: date = Field(description="裁决、调解或撤回的日期")
    amount: Yuan = Field(description="裁决或调解确认的金额（元）")
    summary: Text = Field(description="结果要点")


def applied_on(data: Any) -> str | None:
    return (data.get("application") or {}).get("applied_on")


class Ending(Payload):
    summary: Text = Field(description="劳动者未申请仲裁的情况")


STATES = (
    StateDecl(name="advised", label="已告知劳动者申请仲裁"),
    StateDecl(
        name="applied",
        label="已申请仲裁（待决定是否受理）",
        timers=(
            TimerDecl(
                name="acceptance",
                label="仲裁委员会受理决定期限",
                period=Period(5, Unit.DAYS),
                basis=f"{LAW}第二十九条",
                # "自收到仲裁申请之日起五日内": from the application, not from its recording.
                anchor=Anchor(event="申请仲裁日期", field="applied_on"),
            ),
        ),
    ),
    StateDecl(
        name="arbitrating",
        label="仲裁审理中",
        timers=(
            TimerDecl(
                name="award",
                label="仲裁结案期限",
                period=Period(45, Unit.DAYS),
                basis=f"{LAW}第四十三条第一款",
                # "自仲裁委员会受理仲裁申请之日起四十五日内结束".
                anchor=Anchor(
                    event="仲裁委员会受理日期",
                    field="decided_on",
                    after=applied_on,
                    after_event="申请仲裁日期",
                ),
            ),
        ),
    ),
    StateDecl(name="closed", label="跟踪结束", final=True),
)

TRIGGERS = (
    TriggerDecl(
        name="record_application",
        label="登记劳动者申请仲裁",
        source="advised",
        dest="applied",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Application,
        effect=recorded("application"),
    ),
    TriggerDecl(
        name="record_no_application",
        label="劳动者未申请仲裁（结束跟踪）",
        source="advised",
        dest="closed",
        roles=SUPERVISORS,
        payload=Ending,
        effect=recorded("ending"),
    ),
    TriggerDecl(
        name="record_acceptance",
        label="仲裁委员会受理",
        source="applied",
        dest="arbitrating",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CommitteeDecision,
        effect=recorded("acceptance"),
    ),
    TriggerDecl(
        name="record_refusal",
        label="仲裁委员会不予受理（劳动者可起诉）",
        source="applied",
        dest="closed",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CommitteeDecision,
        effect=recorded("refusal"),
    ),
    TriggerDecl(
        name="record_award_extension",
        label="仲裁延期（主任批准，不超过15日）",
        source="arbitrating",
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Extension,
        effect=recorded("extension"),
        extends=TimerExtension(timer="award", period=Period(15, Unit.DAYS)),
    ),
    TriggerDecl(
        name="record_award",
        label="登记仲裁结果",
        source="arbitrating",
        dest="closed",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Award,
        effect=recorded("award"),
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="劳动争议仲裁转介跟踪",
    initial="advised",
    states=STATES,
    triggers=TRIGGERS,
    description="告知劳动者就争议工资申请仲裁后，跟踪仲裁委员会受理和裁决的法定期限",
    case_prefix="AR",
)
