"""Intake of a complaint or report as a building block. Within 5 working days of receiving
a complaint the bureau decides (《关于实施〈劳动保障监察条例〉若干规定》第十八条): it accepts
it (立案); it does not accept it, giving the complainant its reason in writing (不予受理告知书);
or, when the matter belongs to another body (the county's boundary table; 《劳动保障监察条例》
第十八条第二款), it routes it — a letter to the department that handles it, or a notice
telling the complainant which body to apply to. The last two are one decision, ``reject``,
whose branch follows from the department the decision names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily
from engine.domain.procedure import (
    Anchor,
    Branch,
    Effect,
    Guard,
    GuardContext,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
    guard,
)
from workflows.blocks.referrals import (
    PARTY_ADVICE,
    REFERRAL_LETTER,
    advises_party,
    bureau_refers,
    case_matter,
    may_refer,
    with_referral,
)
from workflows.common import INSPECTORS_AND_SUPERVISORS, document


def _received_on(data: Mapping[str, Any]) -> str | None:
    return data.get("received_on") or None


INTAKE_WINDOW = TimerDecl(
    name="intake_decision",
    label="受理决定期限",
    period=Period(5, Unit.WORKING_DAYS),
    basis="《关于实施〈劳动保障监察条例〉若干规定》第十八条",
    # "自接到投诉之日起5个工作日内": from the day the complaint came in when registered later.
    anchor=Anchor(event="收到投诉日期", data=_received_on, required=False),
)


@runtime_checkable
class Rejecting(Protocol):
    """What a procedure's rejection payload states: the reason, and the department that
    has jurisdiction when the matter is not the bureau's."""

    ground: str
    refer_to: str | None


@runtime_checkable
class NamesMatter(Protocol):
    """A rejection that also names the matter (事项) of the boundary table."""

    matter: str | None


def rejection(ctx: GuardContext) -> Rejecting:
    if not isinstance(ctx.payload, Rejecting):
        raise TypeError(f"expected a rejection payload, got {type(ctx.payload).__name__}")
    return ctx.payload


def refer_to(ctx: GuardContext) -> str | None:
    return rejection(ctx).refer_to


@guard("no_referral", "不涉及移送")
def NO_REFERRAL(ctx: GuardContext) -> str | None:
    return None if refer_to(ctx) is None else "已指定有管辖权的部门"


def record_rejection(ctx: GuardContext) -> dict[str, Any]:
    return {"rejection_ground": rejection(ctx).ground}


def record_routing(default_matter: str) -> Effect:
    """The routed complaint is kept as a referral (data["referrals"], ``routed_to``) under
    the matter the decision names, else the case's."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        p = rejection(ctx)
        named: dict[str, Any] = {}
        if isinstance(p, NamesMatter):
            matter, named = p.matter or "", {"matter": p.matter}
        else:
            matter = case_matter(ctx, default_matter)
        routed = with_referral(ctx, matter, p.refer_to or "", p.ground)
        return {
            **routed,
            **named,
            "rejection_ground": p.ground,
            "routed_to": routed["referrals"][-1],
        }

    return effect


@dataclass(frozen=True, kw_only=True)
class Intake:
    """The intake as a procedure uses it: what its registered state is called, how its
    acceptance is named, checked and recorded, the payload of a rejection (``ground``,
    ``refer_to`` and, where the decision names it, ``matter``), the template of its
    不予受理告知书, and the procedure's own matter in the boundary table ("" when the intake
    decision names it)."""

    registered_label: str
    accept_label: str
    acceptance: type[BaseModel]
    record_acceptance: Effect
    rejection: type[BaseModel]
    notice_template: str
    matter: str = ""
    accept_guards: tuple[Guard, ...] = ()
    accepted_timers: tuple[TimerDecl, ...] = ()
    """Windows that run from 立案 while the case waits to be investigated (the
    investigation's 60 working days, 劳动保障监察条例第十七条)."""

    def __post_init__(self) -> None:
        missing = {"ground", "refer_to"} - set(self.rejection.model_fields)
        if missing:
            raise TypeError(f"{self.rejection.__name__} lacks the rejection fields {missing}")

    @property
    def states(self) -> tuple[StateDecl, ...]:
        return (
            StateDecl(name="registered", label=self.registered_label, timers=(INTAKE_WINDOW,)),
            StateDecl(name="not_accepted", label="不予受理", final=True),
            StateDecl(
                name="routed", label="不属本局管辖（已移送或告知有管辖权的机关）", final=True
            ),
            StateDecl(name="accepted", label="已立案", timers=self.accepted_timers),
        )

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        routing = may_refer(self.matter, refer_to)
        routed = record_routing(self.matter)
        notice = document(
            kind="not_accepted_notice",
            title="不予受理告知书",
            family=DocFamily.INSPECTION,
            abbrev="不受",
            template=self.notice_template,
        )
        accept = TriggerDecl(
            name="accept",
            label=self.accept_label,
            source="registered",
            dest="accepted",
            roles=INSPECTORS_AND_SUPERVISORS,
            guards=self.accept_guards,
            payload=self.acceptance,
            effect=self.record_acceptance,
        )
        letter = (routing, bureau_refers(self.matter, refer_to))
        advice = (routing, advises_party(self.matter, refer_to))
        reject = branches(
            name="reject",
            label="不予受理",
            source="registered",
            roles=INSPECTORS_AND_SUPERVISORS,
            payload=self.rejection,
            documents=(notice,),
            routes=(
                Branch(guards=(NO_REFERRAL,), dest="not_accepted", effect=record_rejection),
                Branch(guards=letter, dest="routed", effect=routed, documents=(REFERRAL_LETTER,)),
                Branch(guards=advice, dest="routed", effect=routed, documents=(PARTY_ADVICE,)),
            ),
        )
        return (accept, *reject)
