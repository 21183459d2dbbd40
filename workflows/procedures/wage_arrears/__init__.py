"""Wage arrears of migrant workers 农民工工资拖欠 (`wage_arrears`).

complaint registered → accepted (立案), not accepted (written reason), or outside the bureau's
remit and routed to the competent body (boundary table) → investigating (two inspectors,
inquiries, 60 + 30 working days) → findings → payment ordered (限期改正指令书), the order
served (by posting, with photo or video, when the employer absconded); the disputed part →
the workers advised to apply for arbitration, tracked in a linked ``arbitration_referral``
case → paid in full (in one or several parts) → closed; or unpaid at the deadline (the sweep
checks the criminal threshold of the county profile) → suspected crime: transfer to the
police (310号令) → accepted: criminal proceedings; declined: administrative handling —
extra compensation 50–100 % (条例 art. 26), fine (penalty procedure), arrears blacklist
(保障农民工工资支付条例 art. 48), notice to the housing bureau for a construction project
(Ding'an boundary table item 15) → closed.
"""

from __future__ import annotations

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Branch,
    LinkedCase,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
)
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
from workflows.blocks.referrals import REFERRAL_LETTER, may_refer, referral_triggers
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS_AND_HEAD,
    SYSTEM,
    document,
)
from workflows.procedures.wage_arrears import rules as r
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
    PaymentOrder,
    Rejection,
    ThresholdCheck,
    WageComplaint,
)

ID = "wage_arrears"

# -- documents --------------------------------------------------------------------------

RECTIFICATION_ORDER = document(
    kind="rectification_order",
    title="劳动保障监察限期改正指令书",
    family=DocFamily.INSPECTION,
    abbrev="令",
)
ARBITRATION_ADVICE = document(
    kind="arbitration_advice",
    title="申请劳动争议仲裁告知书",
    family=DocFamily.INSPECTION,
    abbrev="仲告",
)
COMPENSATION_DECISION = document(
    kind="compensation_decision",
    title="劳动保障监察行政处理决定书（加付赔偿金）",
    family=DocFamily.DECISION,
    abbrev="处",
)
BLACKLIST_DECISION = document(
    kind="blacklist_decision",
    title="列入拖欠农民工工资失信联合惩戒对象名单决定书",
    family=DocFamily.DECISION,
    abbrev="失",
)

# -- timers -----------------------------------------------------------------------------

PAYMENT_WINDOW = TimerDecl(
    name="payment_deadline",
    label="限期支付期限",
    period=r.PAYMENT_PERIOD,
    basis="《劳动保障监察条例》第十八条第一款第二项、第二十六条",
    on_expiry="payment_deadline_passed",
)

# -- building blocks ----------------------------------------------------------------------

INTAKE = Intake(
    matter=r.MATTER,
    registered_label="投诉已登记",
    accept_label="受理立案",
    acceptance=Acceptance,
    record_acceptance=r.record_acceptance,
    rejection=Rejection,
    notice_template="not_accepted_notice.html.j2",
    accepted_timers=(INVESTIGATION_WINDOW,),
)
TRANSFER = CriminalTransfer(
    sources=("unpaid",),
    matter=r.MATTER,
    accepted_to="criminal_proceedings",
    declined_to="administrative_handling",
    guards=r.TRANSFER_GUARDS,
)
PENALTY = PenaltyProcedure(sources=("administrative_handling",))
AFTERMATH = ("administrative_handling", "criminal_proceedings", "penalty_concluded")
"""States after an unpaid order from which the bureau blacklists, notifies and closes."""
FOLLOW_UP = ("investigating", "findings", "payment_ordered", "unpaid", *AFTERMATH)

# -- the procedure ----------------------------------------------------------------------

STATES = (
    *INTAKE.states,
    INVESTIGATING,
    StateDecl(name="findings", label="调查终结"),
    StateDecl(name="payment_ordered", label="责令限期支付", timers=(PAYMENT_WINDOW,)),
    StateDecl(name="paid", label="已足额支付"),
    StateDecl(name="unpaid", label="逾期未支付"),
    *TRANSFER.states,
    StateDecl(name="criminal_proceedings", label="已移交公安机关（刑事诉讼中）"),
    StateDecl(name="administrative_handling", label="行政处理（加付赔偿金、罚款、失信惩戒）"),
    *PENALTY.states,
    StateDecl(name="closed", label="已结案", final=True),
)

INVESTIGATION = (
    *INVESTIGATION_TRIGGERS,
    *inquiry_triggers(("investigating",)),
    TriggerDecl(
        name="record_findings",
        label="调查终结（认定事实）",
        source="investigating",
        dest="findings",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Findings,
        effect=r.record_findings,
    ),
)

PAYMENT_ORDER = (
    TriggerDecl(
        name="order_payment",
        label="责令限期支付",
        source="findings",
        dest="payment_ordered",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, r.HAS_ADMITTED_ARREARS),
        payload=PaymentOrder,
        effect=r.record_order,
        documents=(RECTIFICATION_ORDER,),
    ),
    TriggerDecl(
        name="record_order_service",
        label="登记责令支付文书送达（逃匿的张贴送达）",
        source=("payment_ordered", "unpaid"),
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=OrderService,
        effect=r.record_service,
    ),
    TriggerDecl(
        name="advise_arbitration",
        label="告知申请劳动争议仲裁",
        source=("findings", "payment_ordered"),
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.HAS_DISPUTE, r.NOT_YET_ADVISED),
        effect=r.record_advice,
        documents=(ARBITRATION_ADVICE,),
        opens_case=LinkedCase(procedure="arbitration_referral", source="劳动争议仲裁转介跟踪"),
    ),
    *branches(
        name="record_payment",
        label="登记支付",
        source=("payment_ordered", "unpaid", "administrative_handling"),
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.PAID_AFTER_ORDER, r.WITHIN_REMAINING),
        payload=Payment,
        effect=r.record_payment,
        routes=(
            Branch(guards=(r.SETTLES_IN_FULL,), dest="paid"),
            Branch(guards=(r.LEAVES_REMAINDER,), dest=STAY),
        ),
    ),
    TriggerDecl(
        name="payment_deadline_passed",
        label="限期届满未支付",
        source="payment_ordered",
        dest="unpaid",
        # Only the clock says the order lapsed (2013 SPC interpretation art. 4: 逾期仍不支付).
        roles=SYSTEM,
        effect=r.deadline_passed,
    ),
    TriggerDecl(
        name="check_criminal_threshold",
        label="核查是否达到拒不支付劳动报酬罪数额标准（逐人）",
        source="unpaid",
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=ThresholdCheck,
        effect=r.check_threshold,
    ),
)
"""The order to pay, its service, the arbitration advice for the disputed part, payments
and the lapse of the order."""

HANDLING = (
    TriggerDecl(
        name="handle_administratively",
        label="依法作行政处理",
        source="unpaid",
        dest="administrative_handling",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.THRESHOLD_NOT_MET),
    ),
    TriggerDecl(
        name="order_compensation",
        label="责令加付赔偿金",
        source="administrative_handling",
        dest=STAY,
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, r.HAS_UNPAID_ARREARS, r.NO_COMPENSATION_YET),
        payload=CompensationOrder,
        effect=r.order_compensation,
        documents=(COMPENSATION_DECISION,),
    ),
)

AFTERMATH_TRIGGERS = (
    TriggerDecl(
        name="add_to_blacklist",
        label="列入拖欠农民工工资失信联合惩戒对象名单（批准）",
        source=AFTERMATH,
        dest=STAY,
        roles=SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR, r.NOT_BLACKLISTED),
        payload=Blacklisting,
        effect=r.blacklist,
        documents=(BLACKLIST_DECISION,),
    ),
    TriggerDecl(
        name="notify_housing_bureau",
        label="通报住建部门限制市场准入（建设项目）",
        source=AFTERMATH,
        dest=STAY,
        roles=INSPECTORS,
        guards=(
            ACTOR_IS_ASSIGNEE,
            may_refer(r.MATTER, r.housing_department),
            r.HOUSING_NOT_NOTIFIED,
        ),
        payload=MarketAccessNotice,
        effect=r.notify_housing,
        documents=(REFERRAL_LETTER,),
    ),
    TriggerDecl(
        name="record_criminal_outcome",
        label="登记刑事诉讼进展",
        source="criminal_proceedings",
        dest=STAY,
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CriminalOutcome,
        effect=r.criminal_outcome,
    ),
)
"""Blacklisting (保障农民工工资支付条例第四十八条), the housing bureau's market-access
restriction, and the criminal proceedings followed."""

TRIGGERS = (
    *INTAKE.triggers,
    *INVESTIGATION,
    *PAYMENT_ORDER,
    *TRANSFER.triggers,
    *HANDLING,
    *PENALTY.triggers,
    *AFTERMATH_TRIGGERS,
    *referral_triggers(FOLLOW_UP, r.MATTER),
    closing(
        sources=("paid", "unpaid", "findings", *AFTERMATH),
        label="结案",
        payload=Closing,
        effect=r.record_closing,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="农民工工资拖欠案件查处",
    initial="registered",
    states=STATES,
    triggers=TRIGGERS,
    description="对拖欠农民工工资的投诉进行受理、调查、责令支付，逾期未支付的依法移送或处理",
    case_prefix="WA",
    intake=WageComplaint,
)
