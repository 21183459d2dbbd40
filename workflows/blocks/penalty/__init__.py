"""The ordinary penalty procedure of 《中华人民共和国行政处罚法》 as a building block.

advance notice of the facts, reasons, basis and rights (art. 44) → statement and defence
(art. 45) → a hearing if the party asks within 5 working days (arts. 63, 64, 85), notified
7 working days ahead, hosted by someone who did not investigate → legal review by a
reviewer who is not the case's inspector (art. 58) → decision by the bureau's 负责人 who did
not investigate, collectively discussed for complex or major cases (arts. 57, 59), within 90
days of 立案 (art. 60, a timer from 立案) → service within 7 working days when the party was
absent (art. 61) → from service: the fine paid within 15 days (art. 67), late: 3 % a day
from the day after the deadline, at most the fine (art. 72); reconsideration within 60 days
(行政复议法 art. 20) and a lawsuit within 6 months (行政诉讼法 art. 46), each its own timer →
once both lapse unpaid: a written reminder, 10 working days (行政强制法 arts. 54, 69), then
an application to the court within 3 months of the lapse (行政强制法 arts. 53, 55) →
concluded.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.procedure import STAY, Branch, StateDecl, TriggerDecl, branches
from workflows.blocks.penalty import rules as r
from workflows.blocks.penalty.payloads import (
    CourtRuling,
    EnforcementApplication,
    FinePayment,
    HearingNotice,
    HearingRecord,
    HearingRequest,
    LegalReview,
    PenaltyDecision,
    PenaltyNotice,
    RemedyFiled,
    RemedyOutcome,
    Service,
    Statement,
    Waiver,
)
from workflows.blocks.penalty.states import (
    ENFORCEMENT_APPLICATION,
    ENFORCEMENT_REMINDER,
    HEARING_NOTICE,
    PENALTY_DECISION,
    PENALTY_NOTICE,
    STATES,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    HEAD,
    INSPECTORS,
    LEGAL,
    NOT_CASE_INSPECTOR,
    SYSTEM,
)

__all__ = ["PENALTY_DECISION", "PENALTY_NOTICE", "PenaltyProcedure"]

APPROVED = (NOT_CASE_INSPECTOR,)
ASSIGNEE = (ACTOR_IS_ASSIGNEE,)
PAYING = ("decision_served", "awaiting_enforcement", "enforcement_reminded", "court_enforcement")
"""States in which the fine (and the late surcharge) may be paid."""

HEARING = (
    TriggerDecl(
        name="record_notice_service",
        label="登记事先告知书送达",
        source="penalty_noticed",
        dest=STAY,
        roles=INSPECTORS,
        guards=(*ASSIGNEE, r.NOTICE_NOT_YET_RECEIVED),
        payload=Service,
        effect=r.recorded("notice_service"),
        # The party's five days (art. 64) run from its receipt: the window restarts.
        restarts_timers=True,
    ),
    TriggerDecl(
        name="record_statement",
        label="记录陈述申辩及复核意见",
        source=("penalty_noticed", "hearing_requested"),
        dest=STAY,
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=Statement,
        effect=r.statement,
    ),
    TriggerDecl(
        name="request_hearing",
        label="当事人要求听证",
        source="penalty_noticed",
        dest="hearing_requested",
        roles=INSPECTORS,
        guards=(*ASSIGNEE, r.HEARING_RIGHT),
        payload=HearingRequest,
        effect=r.recorded("hearing_request"),
    ),
    TriggerDecl(
        name="waive_rights",
        label="当事人明确放弃陈述申辩和听证",
        source="penalty_noticed",
        dest="legal_review",
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=Waiver,
        effect=r.recorded("waiver"),
    ),
    TriggerDecl(
        name="notice_period_lapsed",
        label="听证申请期限届满",
        source="penalty_noticed",
        dest="legal_review",
        roles=SYSTEM,
        guards=(r.NOTICE_RECEIVED,),
    ),
    TriggerDecl(
        name="schedule_hearing",
        label="通知听证",
        source="hearing_requested",
        dest="hearing_scheduled",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, r.HEARING_NOTICE_AHEAD, r.HOST_NOT_INVESTIGATOR),
        payload=HearingNotice,
        effect=r.recorded("hearing"),
        documents=(HEARING_NOTICE,),
    ),
    TriggerDecl(
        name="record_hearing",
        label="记录听证（听证笔录）",
        source="hearing_scheduled",
        dest="legal_review",
        roles=INSPECTORS,
        guards=(*ASSIGNEE, r.AFTER_HEARING_DATE),
        payload=HearingRecord,
        effect=r.recorded("hearing_record"),
    ),
)
"""Statement and defence (art. 45), hearing (arts. 63, 64)."""

DECISION = (
    *branches(
        name="complete_legal_review",
        label="法制审核",
        source="legal_review",
        roles=LEGAL,
        guards=APPROVED,
        payload=LegalReview,
        effect=r.recorded("legal_review"),
        routes=(
            Branch(guards=(r.REVIEW_PASSED,), dest="penalty_deciding"),
            Branch(guards=(r.REVIEW_FAILED,), dest="penalty_returned"),
        ),
    ),
    TriggerDecl(
        name="drop_penalty",
        label="决定不予行政处罚",
        source=("penalty_returned", "penalty_deciding"),
        dest="penalty_concluded",
        # 行政处罚法第五十七条: the bureau's 负责人 decides, not a section or brigade chief.
        roles=HEAD,
        guards=APPROVED,
        reason_required=True,
        effect=r.result("not_imposed"),
    ),
    TriggerDecl(
        name="decide_penalty",
        label="作出行政处罚决定",
        source="penalty_deciding",
        dest="penalty_decided",
        # 行政处罚法第五十七条: the 负责人 decides; collectively for complex or major cases.
        roles=HEAD,
        guards=(*APPROVED, r.NOT_HEAVIER, r.COLLECTIVELY_DISCUSSED),
        payload=PenaltyDecision,
        effect=r.decided,
        documents=(PENALTY_DECISION,),
    ),
    TriggerDecl(
        name="serve_decision",
        label="送达行政处罚决定书",
        source="penalty_decided",
        dest="decision_served",
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=Service,
        effect=r.recorded("service"),
    ),
)
"""Legal review (art. 58), the decision (arts. 57, 59, 60) and its service (art. 61)."""

PAYMENT = (
    TriggerDecl(
        name="fine_deadline_passed",
        label="缴纳罚款期限届满（开始加处罚款）",
        source="decision_served",
        dest=STAY,
        roles=SYSTEM,
        effect=r.overdue,
    ),
    TriggerDecl(
        name="reconsideration_period_lapsed",
        label="申请行政复议期限届满",
        source="decision_served",
        dest=STAY,
        roles=SYSTEM,
        effect=r.reconsideration_lapsed,
    ),
    *branches(
        name="record_fine_payment",
        label="登记缴纳罚款",
        source=PAYING,
        roles=INSPECTORS,
        guards=(*ASSIGNEE, r.PAID_ON_VALID, r.WITHIN_OWED),
        payload=FinePayment,
        effect=r.payment,
        routes=(
            Branch(guards=(r.SETTLES_FINE,), dest="penalty_concluded"),
            Branch(guards=(r.LEAVES_FINE,), dest=STAY),
        ),
    ),
    TriggerDecl(
        name="record_remedy_filed",
        label="当事人申请行政复议或提起行政诉讼",
        source="decision_served",
        dest="under_review",
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=RemedyFiled,
        effect=r.recorded("remedy"),
    ),
    *branches(
        name="record_remedy_outcome",
        label="登记复议决定或判决",
        source="under_review",
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=RemedyOutcome,
        effect=r.outcome,
        routes=(
            Branch(guards=(r.REVOKED,), dest="penalty_concluded"),
            Branch(guards=(r.MAINTAINED, r.NOTHING_OWED), dest="penalty_concluded"),
            Branch(guards=(r.MAINTAINED, r.OWES), dest="awaiting_enforcement"),
        ),
    ),
    *branches(
        name="remedy_periods_lapsed",
        label="复议、诉讼期限届满",
        source="decision_served",
        roles=SYSTEM,
        effect=r.remedies_lapsed,
        routes=(
            Branch(
                guards=(r.NOTHING_OWED,), dest="penalty_concluded", effect=r.remedies_lapsed_paid
            ),
            Branch(guards=(r.OWES,), dest="awaiting_enforcement"),
        ),
    ),
)
"""Payment within 15 days and the late surcharge (arts. 67, 72), reconsideration and
lawsuit, and the lapse of their windows."""

COURT_ENFORCEMENT = (
    TriggerDecl(
        name="issue_enforcement_reminder",
        label="催告履行",
        source="awaiting_enforcement",
        dest="enforcement_reminded",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        effect=r.reminded,
        documents=(ENFORCEMENT_REMINDER,),
    ),
    TriggerDecl(
        name="apply_court_enforcement",
        label="申请人民法院强制执行（负责人签署）",
        source="enforcement_reminded",
        dest="court_enforcement",
        roles=HEAD,
        guards=(*APPROVED, r.REMINDER_PERIOD_OVER),
        payload=EnforcementApplication,
        effect=r.recorded("enforcement"),
        documents=(ENFORCEMENT_APPLICATION,),
    ),
    TriggerDecl(
        name="record_court_ruling",
        label="登记人民法院执行裁定",
        source="court_enforcement",
        dest="penalty_concluded",
        roles=INSPECTORS,
        guards=ASSIGNEE,
        payload=CourtRuling,
        effect=r.recorded("court_ruling"),
    ),
)
"""A written reminder, then an application to the court (行政强制法 arts. 53–55)."""


@dataclass(frozen=True, kw_only=True)
class PenaltyProcedure:
    """The fragment as a procedure uses it: the states from which a penalty may be started.
    It ends in ``penalty_concluded``, which the procedure closes from."""

    sources: tuple[str, ...]

    @property
    def states(self) -> tuple[StateDecl, ...]:
        return STATES

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        notice = TriggerDecl(
            name="issue_penalty_notice",
            label="告知拟作出的行政处罚",
            source=(*self.sources, "penalty_returned"),
            dest="penalty_noticed",
            roles=INSPECTORS,
            guards=ENFORCEMENT,
            payload=PenaltyNotice,
            effect=r.noticed,
            documents=(PENALTY_NOTICE,),
        )
        return (notice, *HEARING, *DECISION, *PAYMENT, *COURT_ENFORCEMENT)
