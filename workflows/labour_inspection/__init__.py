"""Labour inspection 劳动保障监察 (`labour_inspection`).

sources: complaint, report, special campaign, patrol, annual written review, referral in
(劳动保障监察条例第九条、第十四条) → intake: 立案 with the matter of the boundary table, not
accepted, or routed to the competent department → investigation (two inspectors, inquiry
notices and signed records, 60 + 30 working days, 条例第十六条、第十七条) → no violation;
minor and already corrected: case withdrawn (撤销立案, 第十八条第一款第三项); findings →
rectification order → check → corrected or not; the penalty procedure (行政处罚法); a suspected
crime to the police (310号令); referrals per the boundary table (e.g. child labour: police,
market regulator) → closed.
"""

from __future__ import annotations

from engine.domain.procedure import DocumentDecl, ProcedureDecl, StateDecl, TriggerDecl
from workflows.common import (
    CLOSING_EFFECT,
    ENFORCEMENT,
    INSPECTORS,
    INSPECTORS_AND_SUPERVISORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    Closing,
)
from workflows.criminal_transfer import CriminalTransfer
from workflows.inquiries import inquiry_triggers
from workflows.investigation import (
    INTAKE_WINDOW,
    INVESTIGATION_WINDOW,
    clock_triggers,
    investigation_started,
)
from workflows.labour_inspection import rules as r
from workflows.labour_inspection.payloads import (
    Acceptance,
    Findings,
    NoViolation,
    Rejection,
    Withdrawal,
)
from workflows.penalty import PenaltyProcedure
from workflows.rectification import Rectification
from workflows.referrals import (
    PARTY_ADVICE,
    REFERRAL_LETTER,
    advises_party,
    may_refer,
    referral_triggers,
)

ID = r.PROCEDURE_ID

NOT_ACCEPTED_NOTICE = DocumentDecl(
    "not_accepted_notice", "不予受理告知书", "labour_not_accepted.html.j2", abbrev="不受"
)
RECTIFICATION_ORDER = DocumentDecl(
    "rectification_order",
    "劳动保障监察限期改正指令书",
    "labour_rectification_order.html.j2",
    abbrev="令",
)

RECTIFICATION = Rectification(
    sources=("handling",),
    document=RECTIFICATION_ORDER,
    basis="《劳动保障监察条例》第十八条第一款第二项（期限由本县确定）",
    corrected_to="corrected",
    not_corrected_to="handling",
)
TRANSFER = CriminalTransfer(
    sources=("investigating", "handling"),
    matter="",
    accepted_to="criminal_proceedings",
    declined_to="handling",
)
PENALTY = PenaltyProcedure(sources=("handling", "corrected"))
ACTIVE = (
    "investigating",
    "handling",
    "rectification_ordered",
    "rectification_check",
    "corrected",
    "criminal_proceedings",
    "penalty_concluded",
)
ROUTING = (may_refer("", r.refer_to),)

STATES = (
    StateDecl("registered", "已登记（待决定是否立案）", timers=(INTAKE_WINDOW,)),
    StateDecl("not_accepted", "不予受理", final=True),
    StateDecl("routed", "不属本局管辖（已移送或告知有管辖权的机关）", final=True),
    StateDecl("accepted", "已立案"),
    StateDecl("investigating", "调查中", timers=(INVESTIGATION_WINDOW,)),
    StateDecl("no_violation", "未发现违法行为"),
    StateDecl("withdrawn", "已撤销立案", final=True),
    StateDecl("handling", "依法处理（责令改正、行政处罚、移送）"),
    *RECTIFICATION.states,
    StateDecl("corrected", "已改正"),
    *TRANSFER.states,
    StateDecl("criminal_proceedings", "已移交公安机关（刑事诉讼中）"),
    *PENALTY.states,
    StateDecl("closed", "已结案", final=True),
)

TRIGGERS: tuple[TriggerDecl, ...] = (
    TriggerDecl(
        "accept",
        "立案",
        "registered",
        "accepted",
        INSPECTORS_AND_SUPERVISORS,
        guards=(r.MATTER_KNOWN, r.REFERRER_KNOWN),
        payload=Acceptance,
        effect=r.record_acceptance,
    ),
    TriggerDecl(
        "reject",
        "不予受理",
        "registered",
        "not_accepted",
        INSPECTORS_AND_SUPERVISORS,
        guards=(r.NO_REFERRAL,),
        payload=Rejection,
        effect=r.record_rejection,
        documents=(NOT_ACCEPTED_NOTICE,),
    ),
    TriggerDecl(
        "reject",
        "不予受理",
        "registered",
        "routed",
        INSPECTORS_AND_SUPERVISORS,
        guards=(*ROUTING, advises_party("", False, r.refer_to)),
        payload=Rejection,
        effect=r.record_routing,
        documents=(NOT_ACCEPTED_NOTICE, REFERRAL_LETTER),
    ),
    TriggerDecl(
        "reject",
        "不予受理",
        "registered",
        "routed",
        INSPECTORS_AND_SUPERVISORS,
        guards=(*ROUTING, advises_party("", True, r.refer_to)),
        payload=Rejection,
        effect=r.record_routing,
        documents=(NOT_ACCEPTED_NOTICE, PARTY_ADVICE),
    ),
    TriggerDecl(
        "start_investigation",
        "开始调查",
        "accepted",
        "investigating",
        INSPECTORS,
        guards=ENFORCEMENT,
        effect=investigation_started,
    ),
    *clock_triggers("investigating"),
    *inquiry_triggers(("investigating", "handling")),
    TriggerDecl(
        "conclude_no_violation",
        "调查终结：未发现违法行为",
        "investigating",
        "no_violation",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=NoViolation,
        effect=r.record_no_violation,
    ),
    TriggerDecl(
        "withdraw_case",
        "撤销立案（情节轻微且已改正，批准）",
        ("investigating", "corrected"),
        "withdrawn",
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Withdrawal,
        effect=r.record_withdrawal,
    ),
    TriggerDecl(
        "record_findings",
        "调查终结：认定违法事实",
        "investigating",
        "handling",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Findings,
        effect=r.record_findings,
    ),
    *RECTIFICATION.triggers,
    *TRANSFER.triggers,
    *PENALTY.triggers,
    *referral_triggers(ACTIVE, ""),
    TriggerDecl(
        "close",
        "结案",
        ("no_violation", "handling", "corrected", "criminal_proceedings", "penalty_concluded"),
        "closed",
        SUPERVISORS,
        payload=Closing,
        effect=CLOSING_EFFECT,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="劳动保障监察案件查处",
    initial="registered",
    states=STATES,
    triggers=TRIGGERS,
    description="对违反劳动保障法律、法规、规章的行为立案调查，责令改正、行政处罚或者移送",
    case_prefix="LI",
)
