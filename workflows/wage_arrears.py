"""Wage arrears of migrant workers 农民工工资拖欠 (`wage_arrears`).

complaint registered → accepted (立案) or not accepted → investigating (two inspectors) →
findings → payment ordered (限期改正指令书) → paid in full (in one or several parts) or
unpaid when the deadline passes → closed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from engine.deadlines import Period, Unit
from engine.domain.procedure import (
    DocumentDecl,
    Guard,
    GuardContext,
    PeriodSetting,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TimerExtension,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    INSPECTORS,
    INSPECTORS_AND_SUPERVISORS,
    INSPECTORS_OR_SYSTEM,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    TWO_INSPECTORS,
    Payload,
    PositiveYuan,
    Yuan,
    yuan,
)

ID = "wage_arrears"

# -- payloads ---------------------------------------------------------------------------


class Acceptance(Payload):
    summary: str = Field(default="", max_length=2000, description="立案摘要")


class Rejection(Payload):
    ground: str = Field(min_length=1, max_length=2000, description="不予受理的理由")


class Findings(Payload):
    workers: int = Field(gt=0, description="涉及劳动者人数")
    months: int = Field(gt=0, description="拖欠月数")
    claimed: Yuan = Field(description="投诉主张金额（元）")
    admitted: Yuan = Field(description="经查实/用人单位承认的欠薪（元）")
    disputed: Yuan = Field(default=Decimal(0), description="存在争议的金额（元）")
    facts: str = Field(min_length=1, max_length=4000, description="查明的事实")

    @model_validator(mode="after")
    def _amounts_add_up(self) -> Findings:
        if self.admitted + self.disputed > self.claimed:
            raise ValueError("查实金额与争议金额之和不能超过主张金额")
        return self


class PaymentOrder(Payload):
    note: str = Field(default="", max_length=2000)


class Payment(Payload):
    amount: PositiveYuan = Field(description="本次支付金额（元）")
    paid_on: date = Field(description="支付日期")
    evidence: str = Field(default="", max_length=500, description="支付凭证")


class Approval(Payload):
    approved_by_note: str = Field(default="", max_length=500, description="审批意见")


class Closing(Payload):
    summary: str = Field(min_length=1, max_length=2000, description="结案说明")


# -- guards and effects -----------------------------------------------------------------


def remaining(data: dict[str, Any] | Any) -> Any:
    findings = data.get("findings") or {}
    return yuan(findings.get("admitted", 0)) - yuan(data.get("paid_total", 0))


def _payment_within_remaining(ctx: GuardContext) -> str | None:
    assert isinstance(ctx.payload, Payment)
    left = remaining(ctx.data)
    if ctx.payload.amount <= left:
        return None
    return f"支付金额 {ctx.payload.amount} 元超过尚欠金额 {left} 元"


def _settles_in_full(ctx: GuardContext) -> str | None:
    assert isinstance(ctx.payload, Payment)
    left = remaining(ctx.data) - ctx.payload.amount
    return None if left <= 0 else f"尚欠 {left} 元"


def _leaves_remainder(ctx: GuardContext) -> str | None:
    assert isinstance(ctx.payload, Payment)
    return "本次支付已付清全部欠薪" if remaining(ctx.data) - ctx.payload.amount <= 0 else None


def _has_admitted_arrears(ctx: GuardContext) -> str | None:
    if yuan((ctx.data.get("findings") or {}).get("admitted", 0)) > 0:
        return None
    return "调查未查实欠薪金额，无需责令支付"


def _has_dispute(ctx: GuardContext) -> str | None:
    if yuan((ctx.data.get("findings") or {}).get("disputed", 0)) > 0:
        return None
    return "调查结论中没有存在争议的金额"


WITHIN_REMAINING = Guard("within_remaining", "支付不超过尚欠金额", _payment_within_remaining)
SETTLES_IN_FULL = Guard("settles_in_full", "付清全部欠薪", _settles_in_full)
LEAVES_REMAINDER = Guard("leaves_remainder", "部分支付", _leaves_remainder)
HAS_ADMITTED = Guard("has_admitted_arrears", "查实欠薪", _has_admitted_arrears)
HAS_DISPUTE = Guard("has_dispute", "存在争议金额", _has_dispute)


def _record_acceptance(ctx: GuardContext) -> dict[str, Any]:
    assert isinstance(ctx.payload, Acceptance)
    return {"accepted_on": ctx.now.date().isoformat(), "acceptance_summary": ctx.payload.summary}


def _record_rejection(ctx: GuardContext) -> dict[str, Any]:
    assert isinstance(ctx.payload, Rejection)
    return {"rejection_ground": ctx.payload.ground}


def _record_findings(ctx: GuardContext) -> dict[str, Any]:
    assert isinstance(ctx.payload, Findings)
    return {"findings": ctx.payload.model_dump(mode="json")}


def _record_payment(ctx: GuardContext) -> dict[str, Any]:
    assert isinstance(ctx.payload, Payment)
    paid = yuan(ctx.data.get("paid_total", 0)) + ctx.payload.amount
    payments = [*ctx.data.get("payments", []), ctx.payload.model_dump(mode="json")]
    return {"paid_total": str(paid), "payments": payments}


def _record_closing(ctx: GuardContext) -> dict[str, Any]:
    assert isinstance(ctx.payload, Closing)
    return {"closing_summary": ctx.payload.summary}


# -- documents --------------------------------------------------------------------------

NOT_ACCEPTED_NOTICE = DocumentDecl(
    "not_accepted_notice", "不予受理告知书", "not_accepted_notice.html.j2", abbrev="不受"
)
RECTIFICATION_ORDER = DocumentDecl(
    "rectification_order", "劳动保障监察限期改正指令书", "rectification_order.html.j2", abbrev="令"
)
ARBITRATION_ADVICE = DocumentDecl(
    "arbitration_advice", "申请劳动争议仲裁告知书", "arbitration_advice.html.j2", abbrev="仲告"
)

EXTENSION_APPROVAL = DocumentDecl(
    "extension_approval", "案件延期审批表", "extension_approval.html.j2", abbrev="延"
)

# -- timers -----------------------------------------------------------------------------

INTAKE_WINDOW = TimerDecl(
    "intake_decision",
    "受理决定期限",
    Period(5, Unit.WORKING_DAYS),
    "《关于实施〈劳动保障监察条例〉若干规定》第十八条",
)
INVESTIGATION_WINDOW = TimerDecl(
    "investigation",
    "案件调查期限",
    Period(60, Unit.WORKING_DAYS),
    "《劳动保障监察条例》第十七条",
)
PAYMENT_WINDOW = TimerDecl(
    "payment_deadline",
    "限期支付期限",
    PeriodSetting("payment_order_period", Period(7, Unit.DAYS)),
    "《劳动保障监察条例》第二十六条；《保障农民工工资支付条例》第五十四条",
    on_expiry="payment_deadline_passed",
)

# -- the procedure ----------------------------------------------------------------------

STATES = (
    StateDecl("registered", "投诉已登记", timers=(INTAKE_WINDOW,)),
    StateDecl("not_accepted", "不予受理", final=True),
    StateDecl("accepted", "已立案"),
    StateDecl("investigating", "调查中", timers=(INVESTIGATION_WINDOW,)),
    StateDecl("findings", "调查终结"),
    StateDecl("payment_ordered", "责令限期支付", timers=(PAYMENT_WINDOW,)),
    StateDecl("paid", "已足额支付"),
    StateDecl("unpaid", "逾期未支付"),
    StateDecl("closed", "已结案", final=True),
)

TRIGGERS = (
    TriggerDecl(
        "accept",
        "受理立案",
        "registered",
        "accepted",
        INSPECTORS_AND_SUPERVISORS,
        payload=Acceptance,
        effect=_record_acceptance,
    ),
    TriggerDecl(
        "reject",
        "不予受理",
        "registered",
        "not_accepted",
        INSPECTORS_AND_SUPERVISORS,
        payload=Rejection,
        effect=_record_rejection,
        documents=(NOT_ACCEPTED_NOTICE,),
    ),
    TriggerDecl(
        "start_investigation",
        "开始调查",
        "accepted",
        "investigating",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, TWO_INSPECTORS),
    ),
    TriggerDecl(
        "extend_investigation",
        "延长调查期限（批准）",
        "investigating",
        None,
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Approval,
        reason_required=True,
        extends=TimerExtension("investigation", Period(30, Unit.WORKING_DAYS)),
        documents=(EXTENSION_APPROVAL,),
    ),
    TriggerDecl(
        "suspend",
        "中止调查（批准）",
        "investigating",
        None,
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Approval,
        reason_required=True,
        pauses_clock=True,
    ),
    TriggerDecl(
        "resume",
        "恢复调查（批准）",
        "investigating",
        None,
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Approval,
        reason_required=True,
        resumes_clock=True,
    ),
    TriggerDecl(
        "record_findings",
        "调查终结（认定事实）",
        "investigating",
        "findings",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, TWO_INSPECTORS),
        payload=Findings,
        effect=_record_findings,
    ),
    TriggerDecl(
        "order_payment",
        "责令限期支付",
        "findings",
        "payment_ordered",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, TWO_INSPECTORS, HAS_ADMITTED),
        payload=PaymentOrder,
        documents=(RECTIFICATION_ORDER,),
    ),
    TriggerDecl(
        "advise_arbitration",
        "告知申请劳动争议仲裁",
        ("findings", "payment_ordered"),
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, HAS_DISPUTE),
        documents=(ARBITRATION_ADVICE,),
    ),
    TriggerDecl(
        "record_payment",
        "登记支付",
        ("payment_ordered", "unpaid"),
        "paid",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, WITHIN_REMAINING, SETTLES_IN_FULL),
        payload=Payment,
        effect=_record_payment,
    ),
    TriggerDecl(
        "record_payment",
        "登记支付",
        ("payment_ordered", "unpaid"),
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, WITHIN_REMAINING, LEAVES_REMAINDER),
        payload=Payment,
        effect=_record_payment,
    ),
    TriggerDecl(
        "payment_deadline_passed",
        "限期届满未支付",
        "payment_ordered",
        "unpaid",
        INSPECTORS_OR_SYSTEM,
    ),
    TriggerDecl(
        "close",
        "结案",
        ("paid", "unpaid", "findings"),
        "closed",
        SUPERVISORS,
        payload=Closing,
        effect=_record_closing,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="农民工工资拖欠案件查处",
    initial="registered",
    states=STATES,
    triggers=TRIGGERS,
    description="对拖欠农民工工资的投诉进行受理、调查、责令支付，逾期未支付的依法处理",
    case_prefix="WA",
)
