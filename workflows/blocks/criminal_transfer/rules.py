"""Guards and effects of the transfer of a suspected crime to the police
(《行政执法机关移送涉嫌犯罪案件的规定》, 国务院令第310号)."""

from __future__ import annotations

from typing import Any

from engine.domain.procedure import Effect, Guard, GuardContext, guard
from workflows.blocks.criminal_transfer.payloads import (
    HandOver,
    HeadDecision,
    PoliceAnswer,
    ReconsiderationRequest,
    TransferReport,
)
from workflows.blocks.referrals import (
    CRIMINAL_TO_POLICE,
    case_matter,
    open_referral,
    refusal,
    updated_referral,
    with_referral,
)
from workflows.common import payload_as, today

BASIS = "《行政执法机关移送涉嫌犯罪案件的规定》"


def police_referral(default_matter: str) -> Guard:
    """The case's matter may go to the police (the boundary table), checked when the
    transfer is proposed."""

    def check(ctx: GuardContext) -> str | None:
        return refusal(ctx, case_matter(ctx, default_matter), CRIMINAL_TO_POLICE)

    return Guard(name="police_referral", label="可移送公安机关（职责边界表）", check=check)


@guard("transfer_matter_referable", "可移送公安机关（职责边界表）")
def TRANSFER_MATTER_REFERABLE(ctx: GuardContext) -> str | None:
    """The matter the transfer was proposed under may still go to the police, checked again
    when the transfer is sent."""
    matter = str(ctx.data.get("transfer_matter") or ctx.data.get("matter") or "")
    return refusal(ctx, matter, CRIMINAL_TO_POLICE) if matter else "案件未登记管理事项"


@guard("police_referral_open", "已移送公安机关待答复")
def POLICE_REFERRAL_OPEN(ctx: GuardContext) -> str | None:
    if open_referral(ctx.data, CRIMINAL_TO_POLICE) is not None:
        return None
    return "本案没有等待公安机关答复的移送"


def transferred_on(data: Any) -> str | None:
    """The day the latest transfer went to the police."""
    for item in reversed(data.get("referrals") or []):
        if item.get("department") == CRIMINAL_TO_POLICE:
            return item.get("sent_on") or item.get("referred_on") or None
    return None


def proposed(default_matter: str) -> Effect:
    """The transfer report (data["transfer"]) and the matter it is made under."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        p = payload_as(ctx, TransferReport)
        threshold = dict(ctx.data.get("criminal_threshold") or {})
        report = {
            **p.model_dump(mode="json"),
            "reported_on": today(ctx).isoformat(),
            "threshold": threshold.get("reason", ""),
            "threshold_basis": threshold.get("basis", ""),
        }
        return {
            "transfer": report,
            "transfer_matter": case_matter(ctx, default_matter),
        }

    return effect


def decided(approved: bool) -> Effect:
    """The head's decision on the transfer report (art. 5)."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        p = payload_as(ctx, HeadDecision)
        decision = {
            "approved": approved,
            "by": ctx.actor.name,
            "on": today(ctx).isoformat(),
            "opinion": p.opinion,
        }
        return {"transfer": {**dict(ctx.data.get("transfer") or {}), "decision": decision}}

    return effect


def sent(ctx: GuardContext) -> dict[str, Any]:
    transfer = dict(ctx.data.get("transfer") or {})
    facts = f"涉嫌{transfer.get('offence', '')}：{transfer.get('facts', '')}"
    matter = str(ctx.data.get("transfer_matter"))
    basis = f"{BASIS}第三条、第五条、第六条"
    return with_referral(ctx, matter, CRIMINAL_TO_POLICE, facts, procedure="310号令", basis=basis)


def police_answer(outcome: str) -> Effect:
    """The police's decision on the transfer (art. 8) or the reconsideration (art. 9)."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        p = payload_as(ctx, PoliceAnswer)
        answer = f"{outcome}（{p.notice_no}）" + (f"：{p.reason}" if p.reason else "")
        items = updated_referral(
            ctx.data,
            CRIMINAL_TO_POLICE,
            status="answered",
            answer=answer,
            answered_on=p.notified_on.isoformat(),
            outcome=outcome,
        )
        return {"referrals": items}

    return effect


def reconsideration(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, ReconsiderationRequest)
    transfer = dict(ctx.data.get("transfer") or {})
    transfer["reconsideration"] = {"grounds": p.grounds, "requested_on": today(ctx).isoformat()}
    referral = _latest_police(ctx)
    facts = f"提请复议：{p.grounds}"
    matter = str(ctx.data.get("transfer_matter"))
    extra = {
        "procedure": "310号令第九条",
        "basis": f"{BASIS}第九条第一款",
        "reconsideration_of": referral.get("no"),
        "response": {"amount": 3, "unit": "days", "label": "3日", "basis": f"{BASIS}第九条第二款"},
    }
    return {**with_referral(ctx, matter, CRIMINAL_TO_POLICE, facts, **extra), "transfer": transfer}


def _latest_police(ctx: GuardContext) -> dict[str, Any]:
    for item in reversed(ctx.data.get("referrals") or []):
        if item.get("department") == CRIMINAL_TO_POLICE:
            return dict(item)
    return {}


def handed_over(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, HandOver)
    transfer = dict(ctx.data.get("transfer") or {})
    transfer["handed_over"] = {"materials": p.materials, "on": today(ctx).isoformat()}
    return {"transfer": transfer}
