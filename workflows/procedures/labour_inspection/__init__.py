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

from engine.domain.procedure import ProcedureDecl, StateDecl, TriggerDecl
from workflows.blocks.closing import closing
from workflows.blocks.criminal_transfer import CriminalTransfer
from workflows.blocks.inquiries import inquiry_triggers
from workflows.blocks.intake import Intake
from workflows.blocks.investigation import (
    INVESTIGATING,
    INVESTIGATION_TRIGGERS,
    INVESTIGATION_WINDOW,
)
from workflows.blocks.penalty import PenaltyProcedure
from workflows.blocks.rectification import LABOUR_RECTIFICATION_ORDER, Rectification
from workflows.blocks.referrals import referral_triggers
from workflows.common import (
    ENFORCEMENT,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    ComplaintIntake,
    recorded,
)
from workflows.procedures.labour_inspection import rules as r
from workflows.procedures.labour_inspection.payloads import (
    Acceptance,
    Findings,
    NoViolation,
    Rejection,
    Withdrawal,
)

ID = r.PROCEDURE_ID

INTAKE = Intake(
    registered_label="已登记（待决定是否立案）",
    accept_label="立案",
    accept_guards=(r.MATTER_KNOWN, r.REFERRER_KNOWN),
    acceptance=Acceptance,
    record_acceptance=r.record_acceptance,
    rejection=Rejection,
    notice_template="labour_not_accepted.html.j2",
    accepted_timers=(INVESTIGATION_WINDOW,),
)
RECTIFICATION = Rectification(
    sources=("handling",),
    document=LABOUR_RECTIFICATION_ORDER,
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

STATES = (
    *INTAKE.states,
    INVESTIGATING,
    StateDecl(name="no_violation", label="未发现违法行为"),
    StateDecl(name="withdrawn", label="已撤销立案", final=True),
    StateDecl(name="handling", label="依法处理（责令改正、行政处罚、移送）"),
    *RECTIFICATION.states,
    StateDecl(name="corrected", label="已改正"),
    *TRANSFER.states,
    StateDecl(name="criminal_proceedings", label="已移交公安机关（刑事诉讼中）"),
    *PENALTY.states,
    StateDecl(name="closed", label="已结案", final=True),
)

CONCLUSIONS = (
    TriggerDecl(
        name="conclude_no_violation",
        label="调查终结：未发现违法行为",
        source="investigating",
        dest="no_violation",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=NoViolation,
        effect=r.record_no_violation,
    ),
    TriggerDecl(
        name="withdraw_case",
        label="撤销立案（情节轻微且已改正，批准）",
        source=("investigating", "corrected"),
        dest="withdrawn",
        roles=SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR,),
        payload=Withdrawal,
        effect=r.record_withdrawal,
    ),
    TriggerDecl(
        name="record_findings",
        label="调查终结：认定违法事实",
        source="investigating",
        dest="handling",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Findings,
        effect=recorded("findings", dated="found_on", by=None),
    ),
)
"""The end of the investigation: no violation; minor and already corrected, the case
withdrawn (第十八条第一款第三项); or the violation found and handled."""

TRIGGERS: tuple[TriggerDecl, ...] = (
    *INTAKE.triggers,
    *INVESTIGATION_TRIGGERS,
    *inquiry_triggers(("investigating", "handling")),
    *CONCLUSIONS,
    *RECTIFICATION.triggers,
    *TRANSFER.triggers,
    *PENALTY.triggers,
    *referral_triggers(ACTIVE, ""),
    closing(
        sources=(
            "no_violation",
            "handling",
            "corrected",
            "criminal_proceedings",
            "penalty_concluded",
        ),
        label="结案",
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
    intake=ComplaintIntake,
)
