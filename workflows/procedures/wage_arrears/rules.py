"""Guards and effects of the wage-arrears procedure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

from engine.domain.entries import appended
from engine.domain.procedure import Guard, GuardContext, PeriodSetting, guard
from workflows.blocks.referrals import case_matter, open_referral, with_referral
from workflows.common import FEN, county_settings, due_date, payload_as, today, yuan
from workflows.counties import PeriodKey
from workflows.procedures.wage_arrears.payloads import (
    Acceptance,
    Blacklisting,
    Closing,
    CompensationOrder,
    CriminalOutcome,
    Findings,
    MarketAccessNotice,
    OrderService,
    Payment,
    ThresholdCheck,
)
from workflows.routing.profile import CriminalThresholds

MATTER = "wage_arrears"
ARBITRATION = "arbitration"
HOUSING = "housing_construction"
SPC_2013 = "《最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释》"


def findings(data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(data.get("findings") or {})


def remaining(data: Mapping[str, Any]) -> Decimal:
    """Admitted arrears not paid yet."""
    return yuan(findings(data).get("admitted", 0)) - yuan(data.get("paid_total", 0))


# -- payments ----------------------------------------------------------------------------------


@guard("within_remaining", "支付不超过尚欠金额")
def WITHIN_REMAINING(ctx: GuardContext) -> str | None:
    amount, left = payload_as(ctx, Payment).amount, remaining(ctx.data)
    return None if amount <= left else f"支付金额 {amount} 元超过尚欠金额 {left} 元"


@guard("paid_after_order", "支付日期在责令支付之后、不晚于今天")
def PAID_AFTER_ORDER(ctx: GuardContext) -> str | None:
    """A payment counted against the order is dated between the order and today."""
    on = payload_as(ctx, Payment).paid_on
    if on > today(ctx):
        return f"支付日期{on.isoformat()}晚于今天（{today(ctx).isoformat()}）"
    ordered = str((ctx.data.get("payment_order") or {}).get("ordered_on") or "")
    if ordered and on.isoformat() < ordered:
        return f"支付日期{on.isoformat()}早于责令支付日期{ordered}"
    return None


@guard("settles_in_full", "付清全部欠薪")
def SETTLES_IN_FULL(ctx: GuardContext) -> str | None:
    left = remaining(ctx.data) - payload_as(ctx, Payment).amount
    return None if left <= 0 else f"尚欠 {left} 元"


@guard("leaves_remainder", "部分支付")
def LEAVES_REMAINDER(ctx: GuardContext) -> str | None:
    left = remaining(ctx.data) - payload_as(ctx, Payment).amount
    return "本次支付已付清全部欠薪" if left <= 0 else None


@guard("has_admitted_arrears", "查实欠薪")
def HAS_ADMITTED_ARREARS(ctx: GuardContext) -> str | None:
    if yuan(findings(ctx.data).get("admitted", 0)) > 0:
        return None
    return "调查未查实欠薪金额，无需责令支付"


@guard("has_unpaid_arrears", "尚有欠薪未付")
def HAS_UNPAID_ARREARS(ctx: GuardContext) -> str | None:
    return None if remaining(ctx.data) > 0 else "查实的欠薪已全部支付"


@guard("has_dispute", "存在争议金额")
def HAS_DISPUTE(ctx: GuardContext) -> str | None:
    if yuan(findings(ctx.data).get("disputed", 0)) > 0:
        return None
    return "调查结论中没有存在争议的金额"


@guard("not_yet_advised", "尚未告知申请仲裁")
def NOT_YET_ADVISED(ctx: GuardContext) -> str | None:
    for item in ctx.data.get("referrals") or []:
        if item.get("department") == ARBITRATION:
            return f"已于{item.get('sent_on')}告知劳动者申请仲裁"
    return None


def record_acceptance(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Acceptance)
    return {
        "accepted_on": today(ctx).isoformat(),
        "acceptance_summary": p.summary,
        "matter": case_matter(ctx, MATTER),
    }


def record_findings(ctx: GuardContext) -> dict[str, Any]:
    return {"findings": payload_as(ctx, Findings).model_dump(mode="json")}


def record_order(ctx: GuardContext) -> dict[str, Any]:
    return {
        "payment_order": {"ordered_on": today(ctx).isoformat(), "amount": str(remaining(ctx.data))}
    }


def record_service(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, OrderService)
    service = p.model_dump(mode="json")
    service["deemed_served"] = True
    if p.method == "posting":
        service["basis"] = f"{SPC_2013}第四条第二款"
    return {"order_service": service, "employer_absconded": p.absconded}


def record_payment(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Payment)
    paid = yuan(ctx.data.get("paid_total", 0)) + p.amount
    # Appended without reading the payments recorded before (engine/domain/entries.py).
    payments = appended(ctx.data.get("payments"), p.model_dump(mode="json"))
    return {"paid_total": str(paid), "payments": payments}


def record_advice(ctx: GuardContext) -> dict[str, Any]:
    disputed = yuan(findings(ctx.data).get("disputed", 0))
    facts = f"劳动者与用人单位对{disputed}元工资存在结算争议"
    basis = "《劳动保障监察条例》第二十一条第二款"
    return with_referral(ctx, case_matter(ctx, MATTER), ARBITRATION, facts, basis=basis)


# -- the criminal threshold (拒不支付劳动报酬罪“数额较大”) -------------------------------------


def thresholds_of(ctx: GuardContext) -> CriminalThresholds:
    return county_settings(ctx).thresholds


def _even_split(data: Mapping[str, Any]) -> list[tuple[int, Decimal]]:
    """Without a per-worker account, the unpaid arrears spread evenly over the workers."""
    found = findings(data)
    workers, months = int(found.get("workers", 0)), int(found.get("months", 0))
    if workers <= 0:
        return []
    share = (remaining(data) / workers).quantize(FEN, ROUND_DOWN)
    return [(months, share)] * workers


def _checked(ctx: GuardContext, workers: list[tuple[int, Decimal]], how: str) -> dict[str, Any]:
    rule = thresholds_of(ctx)
    met, reason = rule.is_met(workers)
    return {
        "criminal_threshold": {
            "met": met,
            "reason": reason,
            "method": how,
            "checked_on": today(ctx).isoformat(),
            "standard_confirmed": rule.confirmed,
            "basis": f"{SPC_2013}第三条",
        }
    }


def deadline_passed(ctx: GuardContext) -> dict[str, Any]:
    """When the order lapses unpaid, check the threshold against the county profile."""
    return _checked(ctx, _even_split(ctx.data), "按调查认定的人数、月数平均核算")


def check_threshold(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, ThresholdCheck)
    return _checked(ctx, [(w.months, w.amount) for w in p.workers], "逐人核算")


@guard("threshold_met", "达到拒不支付劳动报酬罪数额较大标准")
def THRESHOLD_MET(ctx: GuardContext) -> str | None:
    check = ctx.data.get("criminal_threshold")
    if not check:
        return "尚未核查是否达到数额较大标准"
    return None if check.get("met") else f"未达到移送标准：{check.get('reason')}"


@guard("threshold_not_met", "未达到数额较大标准")
def THRESHOLD_NOT_MET(ctx: GuardContext) -> str | None:
    check = ctx.data.get("criminal_threshold")
    if not check:
        return "尚未核查是否达到数额较大标准"
    if not check.get("met"):
        return None
    return (
        "已达到拒不支付劳动报酬罪数额较大标准，应当移送公安机关，不得以行政处罚代替移送"
        "（《行政执法机关移送涉嫌犯罪案件的规定》第十一条）"
    )


@guard("order_served", "责令支付文书已送达")
def ORDER_SERVED(ctx: GuardContext) -> str | None:
    if ctx.data.get("order_service"):
        return None
    return f"责令支付文书尚未送达（含逃匿时张贴送达并拍照录像，{SPC_2013}第四条）"


# -- administrative handling ----------------------------------------------------------------

PAYMENT_PERIOD = PeriodSetting(key=PeriodKey.PAYMENT_ORDER)
"""The county's period to pay what the bureau orders (wages, extra compensation)."""


@guard("no_compensation_yet", "尚未责令加付赔偿金")
def NO_COMPENSATION_YET(ctx: GuardContext) -> str | None:
    done = ctx.data.get("compensation")
    return None if not done else f"已于{done.get('ordered_on')}责令加付赔偿金"


def order_compensation(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, CompensationOrder)
    base = remaining(ctx.data)
    period = PAYMENT_PERIOD.resolve(ctx.settings)
    return {
        "compensation": {
            "rate": str(p.rate),
            "base": str(base),
            "amount": str((base * p.rate).quantize(FEN)),
            "reasons": p.reasons,
            "ordered_on": today(ctx).isoformat(),
            "due_on": due_date(ctx.now, period).isoformat(),
            "period": period.label_zh,
        }
    }


@guard("not_blacklisted", "尚未列入失信名单")
def NOT_BLACKLISTED(ctx: GuardContext) -> str | None:
    done = ctx.data.get("blacklist")
    return None if not done else f"已于{done.get('listed_on')}列入名单"


def blacklist(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Blacklisting)
    return {
        "blacklist": {
            **p.model_dump(mode="json"),
            "listed_on": today(ctx).isoformat(),
            "approved_by": ctx.actor.name,
        }
    }


def housing_department(ctx: GuardContext) -> str | None:
    """The department a construction project's arrears are notified to (Ding'an boundary
    table item 15)."""
    return HOUSING


@guard("housing_not_notified", "尚未通报住建部门")
def HOUSING_NOT_NOTIFIED(ctx: GuardContext) -> str | None:
    if open_referral(ctx.data, HOUSING) is None:
        return None
    return "已通报住建部门，尚待答复"


def notify_housing(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, MarketAccessNotice)
    facts = f"建设项目“{p.project}”：{p.facts}"
    return {
        **with_referral(ctx, case_matter(ctx, MATTER), HOUSING, facts, project=p.project),
        "construction_project": p.project,
    }


def criminal_outcome(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, CriminalOutcome)
    return {
        "criminal_outcomes": [*ctx.data.get("criminal_outcomes", []), p.model_dump(mode="json")]
    }


TRANSFER_GUARDS: tuple[Guard, ...] = (THRESHOLD_MET, ORDER_SERVED)


def record_closing(ctx: GuardContext) -> dict[str, Any]:
    return {"closing_summary": payload_as(ctx, Closing).summary}
