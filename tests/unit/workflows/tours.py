"""Tours: for every procedure, scripted walks that together fire every trigger and visit
every state, with valid payloads (tests/unit/workflows/_payloads.py) and the right people.
A step names the trigger; who fires it and its payload follow from the declaration unless
the step says otherwise."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.domain.procedure import FireOutcome
from tests.unit.workflows._harness import Harness, actor_for
from tests.unit.workflows._payloads import example


@dataclass(frozen=True)
class Step:
    trigger: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    actor: str | None = None
    days: int = 0
    reason: str = ""


Tour = list[Step | str]


class InCounty(list[Step | str]):
    """A tour for a county other than Ding'an (its boundary table differs)."""

    def __init__(self, county: str, steps: Tour) -> None:
        super().__init__(steps)
        self.county = county


def run(procedure: str, tour: Tour) -> Iterator[tuple[Harness, FireOutcome]]:
    """Fire the tour's steps on a fresh in-memory case, yielding after each."""
    h = Harness(procedure, getattr(tour, "county", "dingan"))
    for item in tour:
        step = Step(item) if isinstance(item, str) else item
        h.advance(step.days)
        decl = h.compiled.triggers[step.trigger][0]
        payload = example(decl.payload, h.today, **step.payload) if decl.payload else None
        actor = step.actor or actor_for(decl.roles)
        yield h, h.fire(step.trigger, payload, actor, step.reason or "经审查")


def refer(department: str, facts: str = "有关情况") -> Tour:
    dept = {"department": department}
    return [
        Step("refer", {**dept, "facts": facts}),
        Step("record_referral_receipt", dept),
        Step("record_referral_answer", dept),
    ]


def penalty(fine: str = "20000") -> list[Tour]:
    """The penalty procedure from its entry to its end, one tour per way through it."""
    notice = Step("issue_penalty_notice", {"proposed_fine": fine})
    decide = Step("decide_penalty", {"fine": fine})
    received = Step("record_notice_service")
    lapse = Step("notice_period_lapsed", days=8)
    decided: Tour = [notice, received, lapse, "complete_legal_review", decide, "serve_decision"]
    return [
        [
            notice,
            "record_statement",
            "request_hearing",
            "schedule_hearing",
            Step("record_hearing", days=21),
            "complete_legal_review",
            decide,
            Step("serve_decision", days=2),
            Step("fine_deadline_passed", days=20),
            Step("record_fine_payment", {"amount": "1000"}),
            Step("reconsideration_period_lapsed", days=46),
            Step("remedy_periods_lapsed", days=140),
            "issue_enforcement_reminder",
            Step("apply_court_enforcement", days=30),
            Step("record_fine_payment", {"amount": "100"}),
            "record_court_ruling",
        ],
        [notice, "waive_rights", Step("complete_legal_review", {"passed": False}), "drop_penalty"],
        [*decided, Step("record_fine_payment", {"amount": fine})],
        [*decided, "record_remedy_filed", Step("record_remedy_outcome", {"outcome": "revoked"})],
        [
            *decided,
            "record_remedy_filed",
            "record_remedy_outcome",
            "issue_enforcement_reminder",
            Step("record_fine_payment", {"amount": fine}),
        ],
        [
            Step("issue_penalty_notice", {"proposed_fine": "0", "other_measures": "警告"}),
            received,
            lapse,
            "complete_legal_review",
            Step("decide_penalty", {"fine": "0", "other_measures": "警告"}),
            "serve_decision",
            Step("remedy_periods_lapsed", days=190),
        ],
    ]


TRANSFERRED: Tour = ["propose_transfer", "approve_transfer", "transfer_to_police"]


def transfer() -> list[Tour]:
    """The criminal transfer, one tour per way through it."""
    declined = [*TRANSFERRED, "police_decline"]
    return [
        [*TRANSFERRED, "police_accept", "hand_over_materials"],
        [*declined, "request_police_reconsideration", "police_accept", "hand_over_materials"],
        [*declined, "request_police_reconsideration", "police_decline"],
        [*declined, Step("reconsideration_window_lapsed", actor="system", days=8)],
        [*declined, "accept_police_decision"],
        ["propose_transfer", Step("refuse_transfer", reason="证据不足")],
    ]


def rectification(corrected: bool = True) -> list[Tour]:
    late = Step("record_check", {"corrected": corrected}, days=16)
    return [
        ["order_rectification", Step("record_check", days=3)],
        ["order_rectification", Step("rectification_deadline_passed", days=16), late],
    ]


# -- wage arrears ---------------------------------------------------------------------------

WA_INVESTIGATION: Tour = [
    "accept",
    "start_investigation",
    "issue_inquiry_notice",
    Step("record_inquiry", days=3),
    "extend_investigation",
    "suspend",
    "resume",
    "record_findings",
]
WA_ORDERED: Tour = [
    *WA_INVESTIGATION,
    "advise_arbitration",
    "order_payment",
    "record_order_service",
]
WA_UNPAID: Tour = [*WA_ORDERED, Step("payment_deadline_passed", days=8)]
SMALL = {"workers": 1, "months": 1, "claimed": "3000", "admitted": "3000", "disputed": "0"}
WA_SMALL_UNPAID: Tour = [
    "accept",
    "start_investigation",
    Step("record_findings", SMALL),
    "order_payment",
    Step("payment_deadline_passed", days=8),
    "handle_administratively",
]
WA_AFTERMATH: Tour = [
    "add_to_blacklist",
    "notify_housing_bureau",
    *refer("court", "劳动者可以申请支付令"),
    "close",
]

WAGE_ARREARS: list[Tour] = [
    ["reject"],
    [Step("reject", {"refer_to": "arbitration"})],
    [Step("reject", {"refer_to": "housing_construction"})],
    [
        *WA_ORDERED,
        Step("record_payment", {"amount": "50000"}),
        Step("record_payment", {"amount": "1000000"}),
        "close",
    ],
    [
        *WA_UNPAID,
        "check_criminal_threshold",
        *transfer()[0],
        "record_criminal_outcome",
        *WA_AFTERMATH,
    ],
    *([*WA_UNPAID, *t] for t in transfer()[1:]),
    *([*WA_SMALL_UNPAID, "order_compensation", *p, "close"] for p in penalty()),
    [*WA_SMALL_UNPAID, Step("record_payment", {"amount": "3000"})],
]

# -- labour inspection ----------------------------------------------------------------------

LI_INVESTIGATING: Tour = [
    "accept",
    "start_investigation",
    "issue_inquiry_notice",
    Step("record_inquiry", days=3),
    "extend_investigation",
    "suspend",
    "resume",
]
LI_HANDLING: Tour = [*LI_INVESTIGATING, "record_findings"]

LABOUR_INSPECTION: list[Tour] = [
    ["reject"],
    [Step("reject", {"matter": "child_labour", "refer_to": "market_regulation"})],
    [Step("reject", {"matter": "social_insurance_enforcement", "refer_to": "tax"})],
    InCounty("shuangpai", [Step("reject", {"matter": "women_workers", "refer_to": "legal_aid"})]),
    [*LI_INVESTIGATING, "conclude_no_violation", "close"],
    [*LI_INVESTIGATING, "withdraw_case"],
    [*LI_HANDLING, *rectification()[0], *refer("market_regulation"), "withdraw_case"],
    [*LI_HANDLING, *rectification(False)[1], "close"],
    [*LI_HANDLING, *transfer()[0], "close"],
    *([*LI_HANDLING, *t] for t in transfer()[1:]),
    *([*LI_HANDLING, *p, "close"] for p in penalty()),
]

# -- fund audit ----------------------------------------------------------------------------

FA_HANDLING: Tour = [
    "notify_inspection",
    Step("start_inspection", days=5),
    "seal_records",
    "send_report",
    Step("deemed_no_objection", days=11),
    "issue_final_report",
]
FA_OFFSITE: Tour = [
    "request_data",
    Step("record_submission", days=10),
    "request_resubmission",
    Step("record_submission", days=5),
    "accept_data",
    "issue_offsite_report",
]
FUND_AUDIT: list[Tour] = [
    [
        *FA_HANDLING,
        *rectification()[1],
        "interview_head",
        "propose_penalty",
        *refer("finance"),
        "close",
    ],
    [
        "notify_inspection",
        Step("start_inspection", days=5),
        "send_report",
        Step("record_written_opinion", days=3),
        "issue_final_report",
        *rectification()[0],
        "close",
    ],
    *([*FA_HANDLING, *t, "close"] for t in transfer()),
    [*FA_OFFSITE, "escalate_onsite"],
    [*FA_OFFSITE, "handle_findings", "close"],
]

ARBITRATION_REFERRAL: list[Tour] = [
    ["record_no_application"],
    ["record_application", "record_refusal"],
    ["record_application", "record_acceptance", "record_award_extension", "record_award"],
]

RECRUITMENT: list[Tour] = [
    ["start_verification", "record_verification", "conclude_no_problem", "close"],
    [
        "start_verification",
        "record_verification",
        "decide_handling",
        *refer("discipline_inspection", "工作人员违规"),
        "close",
    ],
]

MI_CHECKED: Tour = [
    "start_check",
    *(Step("record_check_step", {"step": s}) for s in ("materials", "records", "onsite")),
    "consult_department",
]
MEDICAL_INSTITUTIONS: list[Tour] = [
    [*MI_CHECKED, "conclude_compliant", "close"],
    [*MI_CHECKED, "record_violations", "close"],
    *([*MI_CHECKED, "record_violations", *p, "close"] for p in penalty("24000")),
]

TI_REVIEWED: Tour = ["record_submission", "record_spot_check"]
TI_FAILED: Tour = [*TI_REVIEWED, Step("decide_result", {"passed": False})]
TRAINING_INSTITUTIONS: list[Tour] = [
    [*TI_REVIEWED, "decide_result", "publish_result"],
    [*TI_FAILED, *rectification()[0], "publish_result"],
    [*TI_FAILED, *rectification(False)[1], "publish_result"],
    *([*TI_FAILED, *p, "publish_result"] for p in penalty("30000")),
]

PENALTY_REVIEW: list[Tour] = [
    ["start_review", "record_review_step", "conclude_review", "close"],
    [
        "start_review",
        "record_review_step",
        Step("conclude_review", {"proper": False}),
        "order_correction",
        Step("record_correction", days=10),
    ],
]

EC_INSPECTING: Tour = [
    "notify_unit",
    Step("start_inspection", days=3),
    "record_evidence",
    "issue_inquiry_notice",
    Step("record_inquiry", days=3),
]
EC_VIOLATIONS: Tour = [*EC_INSPECTING, Step("conclude_violations", {"matter": "child_labour"})]
EMPLOYER_COMPLIANCE: list[Tour] = [
    [*EC_INSPECTING, "conclude_compliant", "close"],
    [*EC_VIOLATIONS, *rectification()[0], "close"],
    [*EC_VIOLATIONS, *rectification(False)[1], *refer("market_regulation"), "close"],
    [*EC_VIOLATIONS, "open_enforcement_case"],
    InCounty(
        "shuangpai",
        [
            *EC_INSPECTING,
            Step("conclude_violations", {"matter": "women_workers"}),
            *refer("legal_aid", "女职工经济困难，需要法律援助"),
            "close",
        ],
    ),
]

TOURS: dict[str, list[Tour]] = {
    "wage_arrears": WAGE_ARREARS,
    "labour_inspection": LABOUR_INSPECTION,
    "fund_audit": FUND_AUDIT,
    "arbitration_referral": ARBITRATION_REFERRAL,
    "recruitment": RECRUITMENT,
    "medical_institutions": MEDICAL_INSTITUTIONS,
    "training_institutions": TRAINING_INSTITUTIONS,
    "penalty_review": PENALTY_REVIEW,
    "employer_compliance": EMPLOYER_COMPLIANCE,
}
