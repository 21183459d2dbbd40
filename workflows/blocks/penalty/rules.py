"""What the case data keeps of a penalty (data["penalty"]), and the guards and effects of
the penalty procedure (workflows.blocks.penalty)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from engine.deadlines import LOCAL_TZ, Period, Unit
from engine.domain.procedure import Effect, GuardContext, Window, guard
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
from workflows.common import due_date, head_title, payload_as, today, yuan

# -- what the case data keeps ----------------------------------------------------------------


def penalty(data: Any) -> dict[str, Any]:
    return dict(data.get("penalty") or {})


def fine(data: Any) -> Decimal:
    decision = penalty(data).get("decision") or {}
    return yuan(decision.get("fine", 0))


def paid(data: Any) -> Decimal:
    return yuan(penalty(data).get("paid_total", 0))


def filed_on(data: Any) -> str | None:
    """The day of 立案 the decision limit runs from (行政处罚法第六十条)."""
    return penalty(data).get("filed_on") or None


def noticed_on(data: Any) -> str | None:
    return penalty(data).get("noticed_on") or None


def decided_on(data: Any) -> str | None:
    return (penalty(data).get("decision") or {}).get("decided_on") or None


def remedies_lapsed_on(data: Any) -> str | None:
    """The last day of the remedy windows, once they lapsed (行政强制法第五十三条)."""
    return penalty(data).get("remedies_lapsed_on") or None


def surcharge_since(data: Any, windows: Mapping[str, Window] | None = None) -> date | None:
    """The first day the late surcharge accrues: the day after the last day of the
    15-day fine window (行政处罚法第六十七条第三款、第七十二条第一款第一项 "到期不缴纳罚款的，
    每日…加处"), as recorded when it lapsed or, while it runs, from the window itself."""
    since = penalty(data).get("overdue_since")
    if since:
        return date.fromisoformat(since)
    window = (windows or {}).get("fine_payment")
    return window.last_day + timedelta(days=1) if window is not None else None


def owed(data: Any, on: date, windows: Mapping[str, Window] | None = None) -> Decimal:
    """Fine plus the late surcharge accrued by ``on`` (3 % a day from the day after the
    deadline, at most the fine: 行政处罚法第七十二条; 行政强制法第四十五条第二款), less what
    was paid."""
    since = surcharge_since(data, windows)
    late = 0 if since is None else max(0, (on - since).days + 1)
    return fine(data) + late_surcharge(fine(data), late) - paid(data)


def owed_in(ctx: GuardContext, on: date) -> Decimal:
    return owed(ctx.data, on, ctx.windows)


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


@guard("notice_received", "事先告知书已登记送达")
def NOTICE_RECEIVED(ctx: GuardContext) -> str | None:
    """The party's five days run from its receipt of the notice (行政处罚法第六十四条第一项):
    they cannot have lapsed while the receipt is unknown."""
    if penalty(ctx.data).get("notice_service"):
        return None
    return "事先告知书尚未登记送达，当事人要求听证的期限无从起算（行政处罚法第六十四条第一项）"


@guard("notice_not_yet_received", "事先告知书尚未登记送达")
def NOTICE_NOT_YET_RECEIVED(ctx: GuardContext) -> str | None:
    served = (penalty(ctx.data).get("notice_service") or {}).get("served_on")
    return None if not served else f"事先告知书已于{served}送达"


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


def marked_complex(data: Any) -> bool:
    """The case was marked complex or major (at the notice or by the legal review)."""
    p = penalty(data)
    return bool(p.get("complex_or_major") or (p.get("legal_review") or {}).get("complex_or_major"))


@guard("collectively_discussed", "情节复杂或重大的，经负责人集体讨论")
def COLLECTIVELY_DISCUSSED(ctx: GuardContext) -> str | None:
    """行政处罚法第五十七条第二款: 对情节复杂或者重大违法行为给予行政处罚，行政机关负责人
    应当集体讨论决定 — recorded with its participants, date and conclusion."""
    if not marked_complex(ctx.data):
        return None
    p = payload_as(ctx, PenaltyDecision)
    missing = []
    if p.discussed_on is None:
        missing.append("集体讨论日期")
    if len(p.participants) < 2:
        missing.append("至少两名参加人")
    if not p.discussion_conclusion.strip():
        missing.append("集体讨论结论")
    if missing:
        return (
            f"本案为情节复杂或者重大违法行为，须记录负责人集体讨论（{'、'.join(missing)}）"
            "（行政处罚法第五十七条第二款）"
        )
    assert p.discussed_on is not None
    if p.discussed_on > today(ctx):
        return f"集体讨论日期{p.discussed_on.isoformat()}晚于今天"
    noticed = str(penalty(ctx.data).get("noticed_on") or "")
    if noticed and p.discussed_on.isoformat() < noticed:
        return f"集体讨论日期{p.discussed_on.isoformat()}早于事先告知日期{noticed}"
    return None


@guard("within_owed", "不超过应缴金额")
def WITHIN_OWED(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    due = owed_in(ctx, p.paid_on)
    return None if p.amount <= due else f"缴纳{p.amount}元超过应缴的{due}元（含加处罚款）"


@guard("settles_fine", "缴清罚款")
def SETTLES_FINE(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    left = owed_in(ctx, p.paid_on) - p.amount
    return None if left <= 0 else f"尚欠{left}元"


@guard("leaves_fine", "部分缴纳")
def LEAVES_FINE(ctx: GuardContext) -> str | None:
    p = payload_as(ctx, FinePayment)
    return "本次已缴清" if owed_in(ctx, p.paid_on) - p.amount <= 0 else None


@guard("nothing_owed", "罚款已缴清或无罚款")
def NOTHING_OWED(ctx: GuardContext) -> str | None:
    left = owed_in(ctx, today(ctx))
    return None if left <= 0 else f"尚欠罚款及加处罚款{left}元"


@guard("owes", "尚未缴清罚款")
def OWES(ctx: GuardContext) -> str | None:
    return "罚款已缴清或无罚款" if owed_in(ctx, today(ctx)) <= 0 else None


@guard("paid_on_valid", "缴纳日期在送达之后、不晚于今天")
def PAID_ON_VALID(ctx: GuardContext) -> str | None:
    on = payload_as(ctx, FinePayment).paid_on
    if on > today(ctx):
        return f"缴纳日期{on.isoformat()}晚于今天（{today(ctx).isoformat()}）"
    decided = decided_on(ctx.data)
    if decided and on.isoformat() < decided:
        return f"缴纳日期{on.isoformat()}早于处罚决定日期{decided}"
    return None


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
    # 立案: the case's acceptance; a penalty started from an inspection without one is
    # filed with its advance notice. An earlier notice (returned by the legal review)
    # keeps the day it was filed.
    filed = filed_on(ctx.data) or ctx.data.get("accepted_on") or today(ctx).isoformat()
    due = due_date(noon(date.fromisoformat(filed)), Period(90, Unit.DAYS))
    return {
        "penalty": {
            **p.model_dump(mode="json"),
            "noticed_on": today(ctx).isoformat(),
            "filed_on": filed,
            "decision_due": due.isoformat(),
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
        "by_title": head_title(ctx),
        "late": bool(due and on.isoformat() > due),
    }
    if marked_complex(ctx.data):
        decision["collective_discussion"] = {
            "held_on": p.discussed_on.isoformat() if p.discussed_on else None,
            "participants": p.participants,
            "conclusion": p.discussion_conclusion,
        }
    return with_penalty(ctx, decision=decision)


def overdue(ctx: GuardContext) -> dict[str, Any]:
    """The fine window lapsed: the surcharge runs from the day after its last day, however
    late the sweep recorded it (行政处罚法第七十二条第一款第一项)."""
    if fine(ctx.data) - paid(ctx.data) <= 0:
        return {}
    since = surcharge_since(ctx.data, ctx.windows) or today(ctx)
    return with_penalty(ctx, overdue_since=since.isoformat())


def lapsed(window: str, key: str) -> Effect:
    """Records the last day of ``window`` under ``key``: the legal day it lapsed, not the
    day the sweep noticed."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        found = ctx.windows.get(window)
        day = found.last_day if found is not None else today(ctx)
        return with_penalty(ctx, **{key: day.isoformat()})

    return effect


reconsideration_lapsed = lapsed("reconsideration_period", "reconsideration_lapsed_on")
remedies_lapsed = lapsed("lawsuit_period", "remedies_lapsed_on")


def remedies_lapsed_paid(ctx: GuardContext) -> dict[str, Any]:
    """The remedy windows lapsed with nothing owed: the penalty was executed."""
    changes = remedies_lapsed(ctx)["penalty"]
    return {"penalty": {**changes, "result": "executed", "concluded_on": today(ctx).isoformat()}}


def payment(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, FinePayment)
    total = paid(ctx.data) + p.amount
    payments = [*penalty(ctx.data).get("payments", []), p.model_dump(mode="json")]
    changes: dict[str, Any] = {"paid_total": str(total), "payments": payments}
    if owed_in(ctx, p.paid_on) - p.amount <= 0:
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
    return with_penalty(ctx, reminded_on=on.isoformat(), owed_at_reminder=str(owed_in(ctx, on)))
