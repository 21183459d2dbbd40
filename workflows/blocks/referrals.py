"""Referrals to partner departments as a building block (职责边界表 → 移送、通报、告知).

A case's matter decides which departments it may refer to (the county's boundary table in
``county_settings``); the county profile names the department. Each referral is kept in
``data["referrals"]``: department key and name, kind, the table's reason, the facts sent,
the sent date, the response period the law gives (if any), its status (sent → received →
answered) and the answer. Referrals with a statutory procedure of their own (a suspected
crime to the police: ``workflows.blocks.criminal_transfer``) are refused here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from pydantic import Field

from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Branch,
    Check,
    Effect,
    Guard,
    GuardContext,
    TriggerDecl,
    branches,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    INSPECTORS,
    DepartmentKey,
    Payload,
    Text,
    appended,
    county_settings,
    document,
    listed,
    payload_as,
    today,
)
from workflows.routing import Referral, ReferralKind, RoutingLookupError, RoutingTable
from workflows.routing.profile import CountyProfile

CRIMINAL_TO_POLICE = "police"
"""The department whose criminal referrals follow 310号令 (see blocks.criminal_transfer)."""

REFERRAL_LETTER = document(
    kind="referral_letter",
    title="案件移送（通报）函",
    family=DocFamily.TRANSFER,
    abbrev="函",
)
PARTY_ADVICE = document(
    kind="party_advice",
    title="告知书（向有关机构申请）",
    family=DocFamily.INSPECTION,
    abbrev="告知",
)

LABOUR_BASIS = "《劳动保障监察条例》第十八条第二款"
"""Matters outside labour inspection go to the department concerned."""


class ReferralSend(Payload):
    department: DepartmentKey
    facts: Text = Field(description="移送（通报）的事实和材料")


class ReferralReceipt(Payload):
    department: DepartmentKey
    received_on: date = Field(description="对方签收日期")


class ReferralAnswer(Payload):
    department: DepartmentKey
    answer: Text = Field(description="对方的答复或处理结果")
    answered_on: date = Field(description="答复日期")


# -- looking up the boundary table --------------------------------------------------------


def case_matter(ctx: GuardContext, default: str) -> str:
    """The case's matter (事项): as recorded at intake; at intake itself, the one the payload
    names; else the procedure's own."""
    named = getattr(ctx.payload, "matter", None)
    return str(ctx.data.get("matter") or named or default)


def routing_of(ctx: GuardContext) -> RoutingTable:
    return county_settings(ctx).routing


def profile_of(ctx: GuardContext) -> CountyProfile:
    return county_settings(ctx).profile


def refusal(ctx: GuardContext, matter: str, department: str) -> str | None:
    """Why this case may not refer to ``department`` (None when it may)."""
    table = routing_of(ctx)
    if not matter:
        return "案件尚未确定管理事项（职责边界表），不能确定可移送的部门"
    if matter not in table:
        return f"本县职责边界表中没有事项“{matter}”，不能确定可移送的部门"
    if table.may_refer(matter, department):
        return None
    allowed = "、".join(table.referral_targets(matter)) or "无"
    return (
        f"按本县职责边界表，“{table.matter(matter).title}”事项不能移送“{department}”"
        f"（可移送：{allowed}）"
    )


def referral_record(
    ctx: GuardContext, matter: str, department: str, facts: str, **extra: Any
) -> dict[str, Any]:
    """What data["referrals"] keeps of one referral, from the routing data."""
    rule: Referral = routing_of(ctx).referral(matter, department)
    response = None
    if rule.response is not None:
        amount, unit, basis = rule.response
        label = Period(amount, Unit(str(unit))).label_zh
        response = {"amount": amount, "unit": str(unit), "label": label, "basis": basis}
    name = profile_of(ctx).department_name(department)
    return {
        "department": department,
        "name": name,
        "full_name": profile_of(ctx).department_full_name(department),
        "kind": str(rule.kind),
        "reason": _current_names(ctx, matter, department, rule.reason, name),
        "reason_recorded": rule.reason,
        "facts": facts,
        "sent_on": today(ctx).isoformat(),
        "response": response,
        "status": "sent",
        "received_on": None,
        "answer": None,
        "answered_on": None,
        "basis": LABOUR_BASIS,
        **extra,
    }


def _current_names(ctx: GuardContext, matter: str, department: str, text: str, name: str) -> str:
    """The boundary table's reason with the department as it is now: the table records the
    seed's name (县工商局), the letter names the competent department (县市场监督管理局)."""
    table = routing_of(ctx)
    seeds = [p.name for p in table.matter(matter).parties if p.department == department]
    for seed in seeds:
        if seed and seed != name:
            text = text.replace(seed, name)
    return text


def with_referral(
    ctx: GuardContext, matter: str, department: str, facts: str, **extra: Any
) -> dict[str, Any]:
    """The effect of sending a referral: the updated data["referrals"]."""
    record = referral_record(ctx, matter, department, facts, **extra)
    return {"referrals": appended(ctx.data, "referrals", record)}


def open_referral(data: Mapping[str, Any], department: str) -> dict[str, Any] | None:
    """The latest referral to ``department`` that is not answered yet."""
    found = [
        item
        for item in listed(data, "referrals")
        if item["department"] == department and item["status"] != "answered"
    ]
    return found[-1] if found else None


def updated_referral(
    data: Mapping[str, Any], department: str, **changes: Any
) -> list[dict[str, Any]]:
    """data["referrals"] with the latest open referral to ``department`` changed."""
    items = listed(data, "referrals")
    for item in reversed(items):
        if item["department"] == department and item["status"] != "answered":
            item.update(changes)
            break
    return items


# -- guards -------------------------------------------------------------------------------


DepartmentOf = Callable[[GuardContext], str | None]
"""Where a trigger's payload names the department it refers to."""


def sent_department(ctx: GuardContext) -> str | None:
    return payload_as(ctx, ReferralSend).department


def may_refer(default_matter: str, department_of: DepartmentOf = sent_department) -> Guard:
    """The department is a referral target of the case's matter, and not one that needs the
    criminal-transfer procedure."""

    def check(ctx: GuardContext) -> str | None:
        department = department_of(ctx)
        if not department:
            return "未指定移送（告知）的部门"
        matter = case_matter(ctx, default_matter)
        problem = refusal(ctx, matter, department)
        if problem:
            return problem
        rule = routing_of(ctx).referral(matter, department)
        if department == CRIMINAL_TO_POLICE and rule.kind is ReferralKind.CRIMINAL:
            return (
                "涉嫌犯罪案件须报局长批准后以涉嫌犯罪案件移送书移送公安机关"
                "（《行政执法机关移送涉嫌犯罪案件的规定》第五条），请用 propose_transfer"
            )
        return None

    return Guard(name="may_refer", label="可移送该部门（职责边界表）", check=check)


def _party_applies(default_matter: str, department_of: DepartmentOf, wanted: bool) -> Check:
    def check(ctx: GuardContext) -> str | None:
        department = department_of(ctx) or ""
        try:
            rule = routing_of(ctx).referral(case_matter(ctx, default_matter), department)
        except RoutingLookupError as exc:
            return exc.message
        advises = rule.kind is ReferralKind.ADVISE_PARTY
        if advises == wanted:
            return None
        return "该部门由当事人自行申请，应出具告知书" if advises else "该部门由本局移送或通报"

    return check


def advises_party(default_matter: str, department_of: DepartmentOf = sent_department) -> Guard:
    """The department is one the party applies to itself (告知书, not a letter)."""
    check = _party_applies(default_matter, department_of, True)
    return Guard(name="advises_party", label="告知当事人申请", check=check)


def bureau_refers(default_matter: str, department_of: DepartmentOf = sent_department) -> Guard:
    """The department is one the bureau writes to itself (移送函、通报函)."""
    check = _party_applies(default_matter, department_of, False)
    return Guard(name="bureau_refers", label="本局移送或通报", check=check)


def referral_open(model: type[ReferralReceipt] | type[ReferralAnswer]) -> Guard:
    """The department the payload names has a referral of this case not answered yet."""

    def check(ctx: GuardContext) -> str | None:
        department = payload_as(ctx, model).department
        if open_referral(ctx.data, department) is not None:
            return None
        return f"本案没有向“{department}”发出且尚未答复的移送（通报）"

    return Guard(name="referral_open", label="有待答复的移送", check=check)


# -- effects ------------------------------------------------------------------------------


def _send(default_matter: str, basis: str) -> Effect:
    def effect(ctx: GuardContext) -> dict[str, Any]:
        p = payload_as(ctx, ReferralSend)
        matter = case_matter(ctx, default_matter)
        return with_referral(ctx, matter, p.department, p.facts, basis=basis)

    return effect


def _receipt(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, ReferralReceipt)
    items = updated_referral(
        ctx.data, p.department, status="received", received_on=p.received_on.isoformat()
    )
    return {"referrals": items}


def _answer(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, ReferralAnswer)
    items = updated_referral(
        ctx.data,
        p.department,
        status="answered",
        answer=p.answer,
        answered_on=p.answered_on.isoformat(),
    )
    return {"referrals": items}


def referral_triggers(
    sources: tuple[str, ...],
    default_matter: str,
    basis: str = LABOUR_BASIS,
    *,
    advice: bool = True,
) -> tuple[TriggerDecl, ...]:
    """Send a referral (a letter, or, with ``advice``, a notice telling the party to apply
    to the body itself), record its receipt and answer — in any of ``sources``, without
    leaving the state. ``basis`` is the provision under which the bureau refers (cited in
    the letter). A procedure whose matter has no body the party applies to leaves
    ``advice`` off."""
    letter = Branch(
        dest=STAY, guards=(bureau_refers(default_matter),), documents=(REFERRAL_LETTER,)
    )
    notice = Branch(dest=STAY, guards=(advises_party(default_matter),), documents=(PARTY_ADVICE,))
    return (
        *branches(
            name="refer",
            label="移送（通报）有关部门",
            source=sources,
            roles=INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, may_refer(default_matter)),
            payload=ReferralSend,
            effect=_send(default_matter, basis),
            routes=(letter, notice) if advice else (letter,),
        ),
        TriggerDecl(
            name="record_referral_receipt",
            label="登记移送签收",
            source=sources,
            dest=STAY,
            roles=INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, referral_open(ReferralReceipt)),
            payload=ReferralReceipt,
            effect=_receipt,
        ),
        TriggerDecl(
            name="record_referral_answer",
            label="登记移送答复",
            source=sources,
            dest=STAY,
            roles=INSPECTORS,
            guards=(ACTOR_IS_ASSIGNEE, referral_open(ReferralAnswer)),
            payload=ReferralAnswer,
            effect=_answer,
        ),
    )
