"""The ordinary penalty procedure of 《中华人民共和国行政处罚法》 as a building block.

advance notice of the facts, reasons, basis and rights (art. 44) → statement and defence
(art. 45) → a hearing if the party asks within 5 working days (arts. 63, 64, 85), notified
7 working days ahead, hosted by someone who did not investigate → legal review by a
reviewer who is not the case's inspector (art. 58) → decision by a head who did not
investigate (arts. 57, 59), within 90 days of 立案 (art. 60) → service within 7 working days
when the party was absent (art. 61) → the fine paid within 15 days (art. 67), late: 3 % a
day, at most the fine (art. 72) → once the reconsideration (60 days) and lawsuit (6 months)
windows lapse unpaid: a written reminder, 10 working days (行政强制法 arts. 54, 69), then an
application to the court (行政强制法 arts. 53, 55) → concluded.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.procedure import StateDecl, TriggerDecl
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    HEAD,
    INSPECTORS,
    LEGAL,
    NOT_CASE_INSPECTOR,
    SUPERVISORS_AND_HEAD,
    SYSTEM,
)
from workflows.penalty import rules as r
from workflows.penalty.payloads import (
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
from workflows.penalty.states import (
    ENFORCEMENT_APPLICATION,
    ENFORCEMENT_REMINDER,
    HEARING_NOTICE,
    PENALTY_DECISION,
    PENALTY_NOTICE,
    STATES,
)

__all__ = ["PENALTY_DECISION", "PENALTY_NOTICE", "PenaltyProcedure"]


@dataclass(frozen=True)
class PenaltyProcedure:
    """The fragment as a procedure uses it: the states from which a penalty may be started.
    It ends in ``penalty_concluded``, which the procedure closes from."""

    sources: tuple[str, ...]

    @property
    def states(self) -> tuple[StateDecl, ...]:
        return STATES

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        return _triggers(self.sources)


def _triggers(sources: tuple[str, ...]) -> tuple[TriggerDecl, ...]:
    approve = (NOT_CASE_INSPECTOR,)
    assignee = (ACTOR_IS_ASSIGNEE,)
    paying = (
        "decision_served",
        "awaiting_enforcement",
        "enforcement_reminded",
        "court_enforcement",
    )
    return (
        TriggerDecl(
            "issue_penalty_notice",
            "告知拟作出的行政处罚",
            (*sources, "penalty_returned"),
            "penalty_noticed",
            INSPECTORS,
            guards=ENFORCEMENT,
            payload=PenaltyNotice,
            effect=r.noticed,
            documents=(PENALTY_NOTICE,),
        ),
        TriggerDecl(
            "record_statement",
            "记录陈述申辩及复核意见",
            ("penalty_noticed", "hearing_requested"),
            None,
            INSPECTORS,
            guards=assignee,
            payload=Statement,
            effect=r.statement,
        ),
        TriggerDecl(
            "request_hearing",
            "当事人要求听证",
            "penalty_noticed",
            "hearing_requested",
            INSPECTORS,
            guards=(*assignee, r.hearing_right),
            payload=HearingRequest,
            effect=r.recorded("hearing_request"),
        ),
        TriggerDecl(
            "waive_rights",
            "当事人明确放弃陈述申辩和听证",
            "penalty_noticed",
            "legal_review",
            INSPECTORS,
            guards=assignee,
            payload=Waiver,
            effect=r.recorded("waiver"),
        ),
        TriggerDecl(
            "notice_period_lapsed",
            "听证申请期限届满",
            "penalty_noticed",
            "legal_review",
            SYSTEM,
        ),
        TriggerDecl(
            "schedule_hearing",
            "通知听证",
            "hearing_requested",
            "hearing_scheduled",
            INSPECTORS,
            guards=(*ENFORCEMENT, r.seven_days_ahead, r.host_not_investigator),
            payload=HearingNotice,
            effect=r.recorded("hearing"),
            documents=(HEARING_NOTICE,),
        ),
        TriggerDecl(
            "record_hearing",
            "记录听证（听证笔录）",
            "hearing_scheduled",
            "legal_review",
            INSPECTORS,
            guards=(*assignee, r.after_hearing_date),
            payload=HearingRecord,
            effect=r.recorded("hearing_record"),
        ),
        TriggerDecl(
            "complete_legal_review",
            "法制审核",
            "legal_review",
            "penalty_deciding",
            LEGAL,
            guards=(*approve, r.review_passed),
            payload=LegalReview,
            effect=r.recorded("legal_review"),
        ),
        TriggerDecl(
            "complete_legal_review",
            "法制审核",
            "legal_review",
            "penalty_returned",
            LEGAL,
            guards=(*approve, r.review_failed),
            payload=LegalReview,
            effect=r.recorded("legal_review"),
        ),
        TriggerDecl(
            "drop_penalty",
            "决定不予行政处罚",
            ("penalty_returned", "penalty_deciding"),
            "penalty_concluded",
            SUPERVISORS_AND_HEAD,
            guards=approve,
            reason_required=True,
            effect=r.result("not_imposed"),
        ),
        TriggerDecl(
            "decide_penalty",
            "作出行政处罚决定",
            "penalty_deciding",
            "penalty_decided",
            SUPERVISORS_AND_HEAD,
            guards=(*approve, r.not_heavier),
            payload=PenaltyDecision,
            effect=r.decided,
            documents=(PENALTY_DECISION,),
        ),
        TriggerDecl(
            "serve_decision",
            "送达行政处罚决定书",
            "penalty_decided",
            "decision_served",
            INSPECTORS,
            guards=assignee,
            payload=Service,
            effect=r.recorded("service"),
        ),
        TriggerDecl(
            "fine_deadline_passed",
            "缴纳罚款期限届满（开始加处罚款）",
            "decision_served",
            None,
            SYSTEM,
            effect=r.overdue,
        ),
        TriggerDecl(
            "record_fine_payment",
            "登记缴纳罚款",
            paying,
            "penalty_concluded",
            INSPECTORS,
            guards=(*assignee, r.within_owed, r.settles),
            payload=FinePayment,
            effect=r.payment,
        ),
        TriggerDecl(
            "record_fine_payment",
            "登记缴纳罚款",
            paying,
            None,
            INSPECTORS,
            guards=(*assignee, r.within_owed, r.leaves),
            payload=FinePayment,
            effect=r.payment,
        ),
        TriggerDecl(
            "record_remedy_filed",
            "当事人申请行政复议或提起行政诉讼",
            "decision_served",
            "under_review",
            INSPECTORS,
            guards=assignee,
            payload=RemedyFiled,
            effect=r.recorded("remedy"),
        ),
        TriggerDecl(
            "record_remedy_outcome",
            "登记复议决定或判决",
            "under_review",
            "penalty_concluded",
            INSPECTORS,
            guards=(*assignee, r.revoked),
            payload=RemedyOutcome,
            effect=r.outcome,
        ),
        TriggerDecl(
            "record_remedy_outcome",
            "登记复议决定或判决",
            "under_review",
            "penalty_concluded",
            INSPECTORS,
            guards=(*assignee, r.maintained, r.nothing_owed),
            payload=RemedyOutcome,
            effect=r.outcome,
        ),
        TriggerDecl(
            "record_remedy_outcome",
            "登记复议决定或判决",
            "under_review",
            "awaiting_enforcement",
            INSPECTORS,
            guards=(*assignee, r.maintained, r.owes),
            payload=RemedyOutcome,
            effect=r.outcome,
        ),
        TriggerDecl(
            "remedy_periods_lapsed",
            "复议、诉讼期限届满",
            "decision_served",
            "penalty_concluded",
            SYSTEM,
            guards=(r.nothing_owed,),
            effect=r.result("executed"),
        ),
        TriggerDecl(
            "remedy_periods_lapsed",
            "复议、诉讼期限届满",
            "decision_served",
            "awaiting_enforcement",
            SYSTEM,
            guards=(r.owes,),
        ),
        TriggerDecl(
            "issue_enforcement_reminder",
            "催告履行",
            "awaiting_enforcement",
            "enforcement_reminded",
            INSPECTORS,
            guards=ENFORCEMENT,
            effect=r.reminded,
            documents=(ENFORCEMENT_REMINDER,),
        ),
        TriggerDecl(
            "apply_court_enforcement",
            "申请人民法院强制执行（负责人签署）",
            "enforcement_reminded",
            "court_enforcement",
            HEAD,
            guards=(*approve, r.reminder_over),
            payload=EnforcementApplication,
            effect=r.recorded("enforcement"),
            documents=(ENFORCEMENT_APPLICATION,),
        ),
        TriggerDecl(
            "record_court_ruling",
            "登记人民法院执行裁定",
            "court_enforcement",
            "penalty_concluded",
            INSPECTORS,
            guards=assignee,
            payload=CourtRuling,
            effect=r.recorded("court_ruling"),
        ),
    )
