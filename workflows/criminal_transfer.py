"""Transfer of a suspected crime to the police (《行政执法机关移送涉嫌犯罪案件的规定》,
国务院令第310号) as a building block of the enforcement procedures.

two inspectors report → the head decides within 3 days (art. 5) → transfer within 24 hours
with the 涉嫌犯罪案件移送书 (arts. 5, 6) → the police decide within 3 days (art. 8) → accepted:
materials handed over within 3 days (art. 12); declined: the bureau may ask the police to
reconsider within 3 days, the police answer within 3 days (art. 9), otherwise the bureau
handles the case administratively (art. 10). The transfer is kept in data["referrals"].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field

from engine.deadlines import Period, Unit
from engine.domain.procedure import (
    DocumentDecl,
    Guard,
    GuardContext,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    HEAD,
    INSPECTORS,
    INSPECTORS_OR_SYSTEM,
    NOT_CASE_INSPECTOR,
    Name,
    Payload,
    Text,
    guard,
    payload_as,
    today,
)
from workflows.referrals import (
    CRIMINAL_TO_POLICE,
    case_matter,
    open_referral,
    refusal,
    updated_referral,
    with_referral,
)

BASIS = "《行政执法机关移送涉嫌犯罪案件的规定》"

TRANSFER_REPORT = DocumentDecl(
    "transfer_report", "涉嫌犯罪案件移送报告", "transfer_report.html.j2", "transfer", "报"
)
TRANSFER_LETTER = DocumentDecl(
    "criminal_transfer", "涉嫌犯罪案件移送书", "criminal_transfer.html.j2", "transfer", ""
)
RECONSIDERATION_REQUEST = DocumentDecl(
    "police_reconsideration",
    "提请复议书（不予立案决定）",
    "police_reconsideration.html.j2",
    "transfer",
    "复",
)


class TransferReport(Payload):
    offence: Name = Field(description="涉嫌罪名", examples=["拒不支付劳动报酬罪"])
    facts: Text = Field(description="涉嫌犯罪的事实")
    evidence: Text = Field(description="证据材料（涉案物品清单、调查报告等）")


class HeadDecision(Payload):
    opinion: str = Field(default="", max_length=2000, description="局长审批意见")


class PoliceAnswer(Payload):
    notice_no: Name = Field(description="公安机关通知书文号")
    notified_on: date = Field(description="收到通知日期")
    reason: str = Field(default="", max_length=2000, description="不予立案的理由")


class ReconsiderationRequest(Payload):
    grounds: Text = Field(description="提请复议的理由")


class HandOver(Payload):
    materials: Text = Field(description="移交的涉案物品和材料")


@dataclass(frozen=True)
class CriminalTransfer:
    """The fragment as a procedure uses it: from where a transfer may be proposed, which
    extra conditions it needs, and where the case goes when the police take it (after the
    hand-over) or do not (administrative handling, art. 10)."""

    sources: tuple[str, ...]
    matter: str
    accepted_to: str
    declined_to: str
    guards: tuple[Guard, ...] = ()

    @property
    def states(self) -> tuple[StateDecl, ...]:
        return STATES

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        return _triggers(self)


def _days(n: int, article: str, label: str, name: str, on_expiry: str | None = None) -> TimerDecl:
    return TimerDecl(name, label, Period(n, Unit.DAYS), f"{BASIS}{article}", on_expiry)


STATES = (
    StateDecl(
        "transfer_proposed",
        "移送报告待局长审批",
        timers=(_days(3, "第五条第二款", "局长审批移送期限", "transfer_decision"),),
    ),
    StateDecl(
        "transfer_approved",
        "已批准移送（待移送公安机关）",
        timers=(
            TimerDecl(
                "transfer_deadline",
                "批准后移送期限",
                Period(24, Unit.HOURS),
                f"{BASIS}第五条第二款",
            ),
        ),
    ),
    StateDecl(
        "transferred",
        "已移送公安机关（待决定是否立案）",
        timers=(_days(3, "第八条", "公安机关立案审查期限", "police_review"),),
    ),
    StateDecl(
        "police_declined",
        "公安机关不予立案",
        timers=(
            _days(
                3,
                "第九条第一款",
                "提请复议期限",
                "reconsideration_window",
                on_expiry="reconsideration_window_lapsed",
            ),
        ),
    ),
    StateDecl(
        "reconsideration_requested",
        "已提请公安机关复议",
        timers=(_days(3, "第九条第二款", "公安机关复议决定期限", "police_reconsideration"),),
    ),
    StateDecl(
        "police_accepted",
        "公安机关已立案（待移交材料）",
        timers=(_days(3, "第十二条", "移交涉案物品和材料期限", "hand_over"),),
    ),
)


@guard("police_referral", "可移送公安机关（职责边界表）")
def _police_referral(ctx: GuardContext) -> str | None:
    # The matter is checked when the transfer is proposed and again when it is sent.
    matter = str(ctx.data.get("transfer_matter") or ctx.data.get("matter") or "")
    return refusal(ctx, matter, CRIMINAL_TO_POLICE) if matter else "案件未登记管理事项"


def _propose(fragment: CriminalTransfer) -> Any:
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
            "transfer_matter": case_matter(ctx, fragment.matter),
        }

    return effect


def _may_propose(fragment: CriminalTransfer) -> Guard:
    def check(ctx: GuardContext) -> str | None:
        return refusal(ctx, case_matter(ctx, fragment.matter), CRIMINAL_TO_POLICE)

    return Guard("police_referral", "可移送公安机关（职责边界表）", check)


def _decided(approved: bool) -> Any:
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


def _sent(ctx: GuardContext) -> dict[str, Any]:
    transfer = dict(ctx.data.get("transfer") or {})
    facts = f"涉嫌{transfer.get('offence', '')}：{transfer.get('facts', '')}"
    matter = str(ctx.data.get("transfer_matter"))
    basis = f"{BASIS}第三条、第五条、第六条"
    return with_referral(ctx, matter, CRIMINAL_TO_POLICE, facts, procedure="310号令", basis=basis)


def _police_answer(outcome: str) -> Any:
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


def _reconsideration(ctx: GuardContext) -> dict[str, Any]:
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


@guard("police_referral_open", "已移送公安机关待答复")
def _awaiting_police(ctx: GuardContext) -> str | None:
    if open_referral(ctx.data, CRIMINAL_TO_POLICE) is not None:
        return None
    return "本案没有等待公安机关答复的移送"


def _handed_over(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, HandOver)
    transfer = dict(ctx.data.get("transfer") or {})
    transfer["handed_over"] = {"materials": p.materials, "on": today(ctx).isoformat()}
    return {"transfer": transfer}


def _triggers(f: CriminalTransfer) -> tuple[TriggerDecl, ...]:
    approve = (NOT_CASE_INSPECTOR,)
    return (
        TriggerDecl(
            "propose_transfer",
            "提出移送涉嫌犯罪案件报告",
            f.sources,
            "transfer_proposed",
            INSPECTORS,
            guards=(*ENFORCEMENT, _may_propose(f), *f.guards),
            payload=TransferReport,
            effect=_propose(f),
            documents=(TRANSFER_REPORT,),
        ),
        TriggerDecl(
            "approve_transfer",
            "批准移送（局长）",
            "transfer_proposed",
            "transfer_approved",
            HEAD,
            guards=approve,
            payload=HeadDecision,
            effect=_decided(True),
        ),
        TriggerDecl(
            "refuse_transfer",
            "不批准移送（局长，理由记录在案）",
            "transfer_proposed",
            f.declined_to,
            HEAD,
            guards=approve,
            payload=HeadDecision,
            effect=_decided(False),
            reason_required=True,
        ),
        TriggerDecl(
            "transfer_to_police",
            "向公安机关移送",
            "transfer_approved",
            "transferred",
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, _police_referral),
            effect=_sent,
            documents=(TRANSFER_LETTER,),
        ),
        TriggerDecl(
            "police_accept",
            "公安机关决定立案",
            ("transferred", "reconsideration_requested"),
            "police_accepted",
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, _awaiting_police),
            payload=PoliceAnswer,
            effect=_police_answer("立案"),
        ),
        TriggerDecl(
            "police_decline",
            "公安机关决定不予立案",
            "transferred",
            "police_declined",
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, _awaiting_police),
            payload=PoliceAnswer,
            effect=_police_answer("不予立案"),
        ),
        TriggerDecl(
            "police_decline",
            "公安机关决定不予立案",
            "reconsideration_requested",
            f.declined_to,
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, _awaiting_police),
            payload=PoliceAnswer,
            effect=_police_answer("复议后仍不予立案"),
        ),
        TriggerDecl(
            "request_police_reconsideration",
            "提请公安机关复议",
            "police_declined",
            "reconsideration_requested",
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE,),
            payload=ReconsiderationRequest,
            effect=_reconsideration,
            documents=(RECONSIDERATION_REQUEST,),
        ),
        TriggerDecl(
            "accept_police_decision",
            "不提请复议，依法作行政处理",
            "police_declined",
            f.declined_to,
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE,),
        ),
        TriggerDecl(
            "reconsideration_window_lapsed",
            "提请复议期限届满，依法作行政处理",
            "police_declined",
            f.declined_to,
            INSPECTORS_OR_SYSTEM,
            guards=(ACTOR_IS_ASSIGNEE,),
        ),
        TriggerDecl(
            "hand_over_materials",
            "移交涉案物品和材料",
            "police_accepted",
            f.accepted_to,
            INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE,),
            payload=HandOver,
            effect=_handed_over,
        ),
    )
