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
from typing import Literal

from pydantic import Field

from engine.deadlines import Period, Unit
from engine.domain.procedure import (
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
    decided_on: date
    case_no: str = Field(default="", max_length=100, description="仲裁案号")
    reason: str = Field(default="", max_length=2000, description="不予受理的理由")


class Extension(Payload):
    approved_on: date = Field(description="仲裁委员会主任批准延期的日期")


class Award(Payload):
    outcome: Literal["award", "mediation", "withdrawn", "lapsed"] = Field(
        description="裁决、调解、撤回申请或逾期未裁决"
    )
    on: date
    amount: Yuan = Field(description="裁决或调解确认的金额（元）")
    summary: Text


class Ending(Payload):
    summary: Text = Field(description="劳动者未申请仲裁的情况")


STATES = (
    StateDecl("advised", "已告知劳动者申请仲裁"),
    StateDecl(
        "applied",
        "已申请仲裁（待决定是否受理）",
        timers=(
            TimerDecl(
                "acceptance", "仲裁委员会受理决定期限", Period(5, Unit.DAYS), f"{LAW}第二十九条"
            ),
        ),
    ),
    StateDecl(
        "arbitrating",
        "仲裁审理中",
        timers=(
            TimerDecl("award", "仲裁结案期限", Period(45, Unit.DAYS), f"{LAW}第四十三条第一款"),
        ),
    ),
    StateDecl("closed", "跟踪结束", final=True),
)

TRIGGERS = (
    TriggerDecl(
        "record_application",
        "登记劳动者申请仲裁",
        "advised",
        "applied",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Application,
        effect=recorded("application"),
    ),
    TriggerDecl(
        "record_no_application",
        "劳动者未申请仲裁（结束跟踪）",
        "advised",
        "closed",
        SUPERVISORS,
        payload=Ending,
        effect=recorded("ending"),
    ),
    TriggerDecl(
        "record_acceptance",
        "仲裁委员会受理",
        "applied",
        "arbitrating",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CommitteeDecision,
        effect=recorded("acceptance"),
    ),
    TriggerDecl(
        "record_refusal",
        "仲裁委员会不予受理（劳动者可起诉）",
        "applied",
        "closed",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CommitteeDecision,
        effect=recorded("refusal"),
    ),
    TriggerDecl(
        "record_award_extension",
        "仲裁延期（主任批准，不超过15日）",
        "arbitrating",
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Extension,
        effect=recorded("extension"),
        extends=TimerExtension("award", Period(15, Unit.DAYS)),
    ),
    TriggerDecl(
        "record_award",
        "登记仲裁结果",
        "arbitrating",
        "closed",
        INSPECTORS,
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
