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

from engine.domain.procedure import (
    DocumentDecl,
    LinkedCase,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    INSPECTORS_AND_SUPERVISORS,
    INSPECTORS_OR_SYSTEM,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    SUPERVISORS_AND_HEAD,
)
from workflows.criminal_transfer import CriminalTransfer
from workflows.inquiries import inquiry_triggers
from workflows.investigation import (
    INTAKE_WINDOW,
    INVESTIGATION_WINDOW,
    clock_triggers,
    investigation_started,
)
from workflows.penalty import PenaltyProcedure
from workflows.referrals import (
    PARTY_ADVICE,
    REFERRAL_LETTER,
    advises_party,
    may_refer,
    referral_triggers,
)
from workflows.wage_arrears import rules as r
from workflows.wage_arrears.payloads import (
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
)

ID = "wage_arrears"

# -- documents --------------------------------------------------------------------------

NOT_ACCEPTED_NOTICE = DocumentDecl(
    "not_accepted_notice", "不予受理告知书", "not_accepted_notice.html.j2", abbrev="不受"
)
RECTIFICATION_ORDER = DocumentDecl(
    "rectification_order", "劳动保障监察限期改正指令书", "rectification_order.html.j2", abbrev="令"
)
ARBITRATION_ADVICE = DocumentDecl(
    "arbitration_advice", "申请劳动争议仲裁告知书", "arbitration_advice.html.j2", abbrev="仲告"
)
COMPENSATION_DECISION = DocumentDecl(
    "compensation_decision",
    "劳动保障监察行政处理决定书（加付赔偿金）",
    "compensation_decision.html.j2",
    "decision",
    "处",
)
BLACKLIST_DECISION = DocumentDecl(
    "blacklist_decision",
    "列入拖欠农民工工资失信联合惩戒对象名单决定书",
    "blacklist_decision.html.j2",
    "decision",
    "失",
)

# -- timers -----------------------------------------------------------------------------

PAYMENT_WINDOW = TimerDecl(
    "payment_deadline",
    "限期支付期限",
    r.PAYMENT_PERIOD,
    "《劳动保障监察条例》第十八条第一款第二项、第二十六条",
    on_expiry="payment_deadline_passed",
)

# -- building blocks ----------------------------------------------------------------------

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
    StateDecl("registered", "投诉已登记", timers=(INTAKE_WINDOW,)),
    StateDecl("not_accepted", "不予受理", final=True),
    StateDecl("routed", "不属本局管辖（已移送或告知有管辖权的机关）", final=True),
    StateDecl("accepted", "已立案"),
    StateDecl("investigating", "调查中", timers=(INVESTIGATION_WINDOW,)),
    StateDecl("findings", "调查终结"),
    StateDecl("payment_ordered", "责令限期支付", timers=(PAYMENT_WINDOW,)),
    StateDecl("paid", "已足额支付"),
    StateDecl("unpaid", "逾期未支付"),
    *TRANSFER.states,
    StateDecl("criminal_proceedings", "已移交公安机关（刑事诉讼中）"),
    StateDecl("administrative_handling", "行政处理（加付赔偿金、罚款、失信惩戒）"),
    *PENALTY.states,
    StateDecl("closed", "已结案", final=True),
)


ROUTING_GUARDS = (may_refer(r.MATTER, r.refer_to),)

TRIGGERS = (
    TriggerDecl(
        "accept",
        "受理立案",
        "registered",
        "accepted",
        INSPECTORS_AND_SUPERVISORS,
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
        guards=(*ROUTING_GUARDS, advises_party(r.MATTER, False, r.refer_to)),
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
        guards=(*ROUTING_GUARDS, advises_party(r.MATTER, True, r.refer_to)),
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
    *inquiry_triggers(("investigating",)),
    TriggerDecl(
        "record_findings",
        "调查终结（认定事实）",
        "investigating",
        "findings",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Findings,
        effect=r.record_findings,
    ),
    TriggerDecl(
        "order_payment",
        "责令限期支付",
        "findings",
        "payment_ordered",
        INSPECTORS,
        guards=(*ENFORCEMENT, r.HAS_ADMITTED),
        payload=PaymentOrder,
        effect=r.record_order,
        documents=(RECTIFICATION_ORDER,),
    ),
    TriggerDecl(
        "record_order_service",
        "登记责令支付文书送达（逃匿的张贴送达）",
        ("payment_ordered", "unpaid"),
        None,
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=OrderService,
        effect=r.record_service,
    ),
    TriggerDecl(
        "advise_arbitration",
        "告知申请劳动争议仲裁",
        ("findings", "payment_ordered"),
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.HAS_DISPUTE, r.NOT_YET_ADVISED),
        effect=r.record_advice,
        documents=(ARBITRATION_ADVICE,),
        opens_case=LinkedCase("arbitration_referral", "劳动争议仲裁转介跟踪"),
    ),
    TriggerDecl(
        "record_payment",
        "登记支付",
        ("payment_ordered", "unpaid", "administrative_handling"),
        "paid",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.WITHIN_REMAINING, r.SETTLES_IN_FULL),
        payload=Payment,
        effect=r.record_payment,
    ),
    TriggerDecl(
        "record_payment",
        "登记支付",
        ("payment_ordered", "unpaid", "administrative_handling"),
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.WITHIN_REMAINING, r.LEAVES_REMAINDER),
        payload=Payment,
        effect=r.record_payment,
    ),
    TriggerDecl(
        "payment_deadline_passed",
        "限期届满未支付",
        "payment_ordered",
        "unpaid",
        INSPECTORS_OR_SYSTEM,
        effect=r.deadline_passed,
    ),
    TriggerDecl(
        "check_criminal_threshold",
        "核查是否达到拒不支付劳动报酬罪数额标准（逐人）",
        "unpaid",
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=ThresholdCheck,
        effect=r.check_threshold,
    ),
    *TRANSFER.triggers,
    TriggerDecl(
        "handle_administratively",
        "依法作行政处理",
        "unpaid",
        "administrative_handling",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.THRESHOLD_NOT_MET),
    ),
    TriggerDecl(
        "order_compensation",
        "责令加付赔偿金",
        "administrative_handling",
        None,
        INSPECTORS,
        guards=(*ENFORCEMENT, r.HAS_UNPAID, r.NO_COMPENSATION_YET),
        payload=CompensationOrder,
        effect=r.order_compensation,
        documents=(COMPENSATION_DECISION,),
    ),
    *PENALTY.triggers,
    TriggerDecl(
        "add_to_blacklist",
        "列入拖欠农民工工资失信联合惩戒对象名单（批准）",
        AFTERMATH,
        None,
        SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR, r.NOT_BLACKLISTED),
        payload=Blacklisting,
        effect=r.blacklist,
        documents=(BLACKLIST_DECISION,),
    ),
    TriggerDecl(
        "notify_housing_bureau",
        "通报住建部门限制市场准入（建设项目）",
        AFTERMATH,
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE, r.MAY_NOTIFY_HOUSING, r.HOUSING_NOT_NOTIFIED),
        payload=MarketAccessNotice,
        effect=r.notify_housing,
        documents=(REFERRAL_LETTER,),
    ),
    TriggerDecl(
        "record_criminal_outcome",
        "登记刑事诉讼进展",
        "criminal_proceedings",
        None,
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=CriminalOutcome,
        effect=r.criminal_outcome,
    ),
    *referral_triggers(FOLLOW_UP, r.MATTER),
    TriggerDecl(
        "close",
        "结案",
        ("paid", "unpaid", "findings", *AFTERMATH),
        "closed",
        SUPERVISORS,
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
)
