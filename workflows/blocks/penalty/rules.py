"""What the case data keeps of a penalty (data["penalty"]), and the guards and effects of
the penalty procedure (workflows.blocks.penalty)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from engine.deadlines import LOCAL_TZ, Period, Unit
from engine.domain.procedure import Effect, GuardContext, guard
from workflows.blocks.penalty.payloads import (
    FinePayment,
    HearingNotice,
    HearingRecord,
    LegalReview,
    PenaltyDecision,
    PenaltyNotice,
    RemedyOutcome,
    Statement,
    late_surcharge,
)
from workflows.common import due_date, payload_as, today, yuan

# -- what the case data keeps ----------------------------------------------------------------


def penalty(data: Any) -> dict[str, Any]:
    return dict(data.get("penalty") or {})


def fine(data: Any) -> Decimal:
    decision = penalty(data).get("decision") or {}
    return yuan(decision.get("fine", 0))


def paid(data: Any) -> Decimal:
    return yuan(penalty(data).get("paid_total", 0))


def owed(data: Any, on: date) -> Decimal:
    """Fine plus the late surcharge accrued by ``on``, less what was paid."""
    since = penalty(data).get("overdue_since")
    late = 0 if not since else max(0, (on - date.fromisoformat(since)).days + 1)
    return fine(data) + late_surcharge(fine(data), late) - paid(data)


def with_penalty(ctx: GuardContext, **changes: Any) -> dict[str, Any]:
    return {"penalty": {**penalty(ctx.data), **changes}}


# -- guards ------------------------------------------------------------------------------------


@guard("hearing_right", "当事人有权要求听证")
def HEARING_RIGHT(ctx: GuardContext) -> str | None:
    if penalty(ctx.data).get("hearing_right"):
        return None
    return "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条）"


@guard("hearing_notice_ahead", "听证七日前通知")
def HEARING_NOTICE_AHEAD(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, HearingNotice)
    seventh = due_date(ctx.now, Period(7, Unit.WORKING_DAYS))
    if p.hearing_on > seventh:
        return None
    return (
        f"听证日期{p.hearing_on.isoformat()}距通知不足七个工作日，最早可定于"
        f"{seventh.isoformat()}之后（行政处罚法第六十四条第二项、第八十五条）"
    )


@guard("host_not_investigator", "听证由非本案调查人员主持")
def HOST_NOT_INVESTIGATOR(ctx: GuardContext) -> str | None:
    host = payload_as(ctx, HearingNotice).host
    if host in ctx.assignees or host == ctx.opened_by:
        return f"{host} 是本案调查人员，不能主持听证（行政处罚法第六十四条第四项）"
    return None


@guard("after_hearing_date", "听证已举行")
def AFTER_HEARING_DATE(ctx: GuardContext) -> str | None:
    held = payload_as(ctx, HearingRecord).held_on
    planned = str((penalty(ctx.data).get("hearing") or {}).get("hearing_on", ""))
    if not planned or held.isoformat() >= planned:
        return None
    return f"听证通知的日期是{planned}，不能早于该日登记听证"


@guard("review_passed", "法制审核通过")
def REVIEW_PASSED(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, LegalReview).passed else "法制审核未通过"


@guard("review_failed", "法制审核未通过")
def REVIEW_FAILED(ctx: GuardContext) -> str | None:
    return "法制审核已通过" if payload_as(ctx, LegalReview).passed else None


@guard("not_heavier", "不因陈述申辩加重处罚")
def NOT_HEAVIER(ctx: GuardContext) -> str | None:
    proposed = yuan(penalty(ctx.data).get("proposed_fine", 0))
    chosen = payload_as(ctx, PenaltyDecision).fine
    if chosen <= proposed:
        return None
    return f"罚款{chosen}元高于事先告知的{proposed}元（行政处罚法第四十五条第二款）"


@guard("within_owed", "不超过应缴金额")
def WITHIN_OWED(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    due = owed(ctx.data, p.paid_on)
    return None if p.amount <= due else f"缴纳{p.amount}元超过应缴的{due}元（含加处罚款）"


@guard("settles_fine", "缴清罚款")
def SETTLES_FINE(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    left = owed(ctx.data, p.paid_on) - p.amount
    return None if left <= 0 else f"尚欠{left}元"


@guard("leaves_fine", "部分缴纳")
def LEAVES_FINE(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    return "本次已缴清" if owed(ctx.data, p.paid_on) - p.amount <= 0 else None


@guard("nothing_owed", "罚款已缴清或无罚款")
def NOTHING_OWED(ctx: GuardContext) -> str | None:
    left = owed(ctx.data, today(ctx))
    return None if left <= 0 else f"尚欠罚款及加处罚款{left}元"


@guard("owes", "尚未缴清罚款")
def OWES(ctx: GuardContext) -> str | None:
    return "罚款已缴清或无罚款" if owed(ctx.data, today(ctx)) <= 0 else None


@guard("revoked", "处罚决定被撤销")
def REVOKED(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, RemedyOutcome).outcome == "revoked" else "处罚决定未被撤销"


@guard("maintained", "处罚决定被维持或变更")
def MAINTAINED(ctx: GuardContext) -> str | None:
    return "处罚决定已被撤销" if payload_as(ctx, RemedyOutcome).outcome == "revoked" else None


@guard("reminder_period_over", "催告期满")
def REMINDER_PERIOD_OVER(ctx: GuardContext) -> str | None:
    reminded = penalty(ctx.data).get("reminded_on")
    if not reminded:
        return "尚未催告"
    end = due_date(noon(date.fromisoformat(reminded)), Period(10, Unit.WORKING_DAYS))
    if today(ctx) > end:
        return None
    return f"催告书送达十个工作日后（{end.isoformat()}之后）方可申请（行政强制法第五十四条）"


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), LOCAL_TZ)


# -- effects -----------------------------------------------------------------------------------


def noticed(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, PenaltyNotice)
    accepted = ctx.data.get("accepted_on")
    due = due_date(noon(date.fromisoformat(accepted)), Period(90, Unit.DAYS)) if accepted else None
    return {
        "penalty": {
            **p.model_dump(mode="json"),
            "noticed_on": today(ctx).isoformat(),
            "decision_due": due.isoformat() if due else None,
            "statements": [],
            "paid_total": "0.00",
            "payments": [],
        }
    }


def statement(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Statement)
    statements = [*penalty(ctx.data).get("statements", []), p.model_dump(mode="json")]
    return with_penalty(ctx, statements=statements)


def recorded(key: str) -> Effect:
    def effect(ctx: GuardContext) -> dict[str, Any]:
        assert ctx.payload is not None
        return with_penalty(ctx, **{key: ctx.payload.model_dump(mode="json")})

    return effect


def decided(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, PenaltyDecision)
    on = today(ctx)
    due = penalty(ctx.data).get("decision_due")
    decision = {
        **p.model_dump(mode="json"),
        "decided_on": on.isoformat(),
        "by": ctx.actor.name,
        "late": bool(due and on.isoformat() > due),
    }
    return with_penalty(ctx, decision=decision)


def overdue(ctx: GuardContext) -> dict[str, Any]:
    if fine(ctx.data) - paid(ctx.data) <= 0:
        return {}
    return with_penalty(ctx, overdue_since=today(ctx).isoformat())


def payment(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, FinePayment)
    total = paid(ctx.data) + p.amount
    payments = [*penalty(ctx.data).get("payments", []), p.model_dump(mode="json")]
    changes: dict[str, Any] = {"paid_total": str(total), "payments": payments}
    if owed(ctx.data, p.paid_on) - p.amount <= 0:
        changes.update(result="executed", concluded_on=today(ctx).isoformat())
    return with_penalty(ctx, **changes)


def outcome(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, RemedyOutcome)
    changes: dict[str, Any] = {"remedy_outcome": p.model_dump(mode="json")}
    if p.outcome == "varied" and p.fine is not None:
        changes["decision"] = {**(penalty(ctx.data).get("decision") or {}), "fine": str(p.fine)}
    if p.outcome == "revoked":
        changes["result"] = "revoked"
    return with_penalty(ctx, **changes)


def result(result: str) -> Effect:
    def effect(ctx: GuardContext) -> dict[str, Any]:
        return with_penalty(ctx, result=result, concluded_on=today(ctx).isoformat())

    return effect


def reminded(ctx: GuardContext) -> dict[str, Any]:
    on = today(ctx)
    return with_penalty(ctx, reminded_on=on.isoformat(), owed_at_reminder=str(owed(ctx.data, on)))
