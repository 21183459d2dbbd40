"""States, timers and documents of the penalty procedure."""

from __future__ import annotations

from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily
from engine.domain.procedure import StateDecl, TimerDecl
from workflows.common import document

LAW = "《中华人民共和国行政处罚法》"
COERCION = "《中华人民共和国行政强制法》"


PENALTY_NOTICE = document(
    kind="penalty_notice", title="行政处罚事先告知书", family=DocFamily.DECISION, abbrev="告"
)
HEARING_NOTICE = document(
    kind="hearing_notice", title="行政处罚听证通知书", family=DocFamily.DECISION, abbrev="听"
)
PENALTY_DECISION = document(
    kind="penalty_decision", title="行政处罚决定书", family=DocFamily.DECISION
)
ENFORCEMENT_REMINDER = document(
    kind="enforcement_reminder",
    title="履行行政处罚决定催告书",
    family=DocFamily.DECISION,
    abbrev="催",
)
ENFORCEMENT_APPLICATION = document(
    kind="enforcement_application", title="强制执行申请书", family=DocFamily.DECISION, abbrev="执"
)

STATES = (
    StateDecl(
        name="penalty_noticed",
        label="已事先告知（陈述申辩、听证申请期）",
        timers=(
            TimerDecl(
                name="hearing_request",
                label="要求听证期限",
                period=Period(5, Unit.WORKING_DAYS),
                basis=f"{LAW}第六十四条第一项、第八十五条",
                on_expiry="notice_period_lapsed",
            ),
        ),
    ),
    StateDecl(name="hearing_requested", label="当事人要求听证"),
    StateDecl(name="hearing_scheduled", label="已通知听证"),
    StateDecl(name="legal_review", label="法制审核中"),
    StateDecl(name="penalty_returned", label="法制审核未通过（退回承办人）"),
    StateDecl(name="penalty_deciding", label="待负责人决定"),
    StateDecl(
        name="penalty_decided",
        label="已作出处罚决定（待送达）",
        timers=(
            TimerDecl(
                name="service",
                label="处罚决定书送达期限",
                period=Period(7, Unit.WORKING_DAYS),
                basis=f"{LAW}第六十一条",
            ),
        ),
    ),
    StateDecl(
        name="decision_served",
        label="处罚决定已送达（履行期、救济期）",
        timers=(
            TimerDecl(
                name="fine_payment",
                label="缴纳罚款期限",
                period=Period(15, Unit.DAYS),
                basis=f"{LAW}第六十七条第三款",
                on_expiry="fine_deadline_passed",
            ),
            TimerDecl(
                name="remedy_period",
                label="申请行政复议（六十日）、提起行政诉讼（六个月）期限",
                period=Period(6, Unit.MONTHS),
                basis=f"《中华人民共和国行政复议法》第二十条；{COERCION}第五十三条",
                on_expiry="remedy_periods_lapsed",
            ),
        ),
    ),
    StateDecl(name="under_review", label="行政复议或行政诉讼中"),
    StateDecl(
        name="awaiting_enforcement",
        label="逾期未履行（待催告、申请强制执行）",
        timers=(
            TimerDecl(
                name="enforcement_application",
                label="申请人民法院强制执行期限",
                period=Period(3, Unit.MONTHS),
                basis=f"{COERCION}第五十三条",
            ),
        ),
    ),
    StateDecl(
        name="enforcement_reminded",
        label="已催告履行",
        timers=(
            TimerDecl(
                name="reminder_period",
                label="催告书送达后履行期限",
                period=Period(10, Unit.WORKING_DAYS),
                basis=f"{COERCION}第五十四条、第六十九条",
            ),
        ),
    ),
    StateDecl(
        name="court_enforcement",
        label="已申请人民法院强制执行",
        timers=(
            TimerDecl(
                name="court_acceptance",
                label="人民法院受理期限",
                period=Period(5, Unit.WORKING_DAYS),
                basis=f"{COERCION}第五十六条、第六十九条",
            ),
        ),
    ),
    StateDecl(name="penalty_concluded", label="处罚程序终结"),
)
