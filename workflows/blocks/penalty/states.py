"""States, timers and documents of the penalty procedure."""

from __future__ import annotations

from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily
from engine.domain.procedure import Anchor, StateDecl, TimerDecl
from workflows.blocks.penalty import rules as r
from workflows.common import document

LAW = "《中华人民共和国行政处罚法》"
COERCION = "《中华人民共和国行政强制法》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

SERVED = Anchor(
    event="送达日期",
    field="served_on",
    after=r.decided_on,
    after_event="处罚决定日期",
)
"""The fine and remedy windows run from the party's receipt of the decision (行政处罚法
第六十七条第三款 "自收到行政处罚决定书之日起"; 行政复议法第二十条、行政诉讼法第四十六条
"自知道或者应当知道该行政行为之日起"), not from the day the service is recorded."""

DECISION_LIMIT = TimerDecl(
    name="decision_limit",
    label="作出行政处罚决定期限（自立案之日起九十日）",
    period=Period(90, Unit.DAYS),
    basis=f"{LAW}第六十条",
    anchor=Anchor(event="立案日期", data=r.filed_on),
)
"""Art. 60: the decision within 90 days of 立案; the same window runs in every state
before the decision (it escalates to the supervisor when it passes)."""

FINE_WINDOW = TimerDecl(
    name="fine_payment",
    label="缴纳罚款期限",
    period=Period(15, Unit.DAYS),
    basis=f"{LAW}第六十七条第三款",
    on_expiry="fine_deadline_passed",
    anchor=SERVED,
)
RECONSIDERATION_WINDOW = TimerDecl(
    name="reconsideration_period",
    label="申请行政复议期限（六十日）",
    period=Period(60, Unit.DAYS),
    basis=f"{RECONSIDERATION_LAW}第二十条第一款",
    on_expiry="reconsideration_period_lapsed",
    anchor=SERVED,
)
LAWSUIT_WINDOW = TimerDecl(
    name="lawsuit_period",
    label="提起行政诉讼期限（六个月）",
    period=Period(6, Unit.MONTHS),
    basis=f"{LITIGATION_LAW}第四十六条第一款",
    on_expiry="remedy_periods_lapsed",
    anchor=SERVED,
)
ENFORCEMENT_WINDOW = TimerDecl(
    name="enforcement_application",
    label="申请人民法院强制执行期限",
    period=Period(3, Unit.MONTHS),
    basis=f"{COERCION}第五十三条",
    # "自期限届满之日起三个月内": from the lapse of the remedy windows, whenever the sweep
    # recorded it; after a reconsideration or a judgment, from the day it was recorded.
    anchor=Anchor(event="复议、诉讼期限届满日期", data=r.remedies_lapsed_on, required=False),
)


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
                # "告知后五日内": from the party's receipt of the notice once it is recorded
                # (the window restarts then); until then from the notice's issue.
                anchor=Anchor(
                    event="收到告知书日期",
                    field="served_on",
                    after=r.noticed_on,
                    after_event="事先告知日期",
                    required=False,
                ),
            ),
            DECISION_LIMIT,
        ),
    ),
    StateDecl(name="hearing_requested", label="当事人要求听证", timers=(DECISION_LIMIT,)),
    StateDecl(name="hearing_scheduled", label="已通知听证", timers=(DECISION_LIMIT,)),
    StateDecl(name="legal_review", label="法制审核中", timers=(DECISION_LIMIT,)),
    StateDecl(
        name="penalty_returned", label="法制审核未通过（退回承办人）", timers=(DECISION_LIMIT,)
    ),
    StateDecl(name="penalty_deciding", label="待负责人决定", timers=(DECISION_LIMIT,)),
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
        timers=(FINE_WINDOW, RECONSIDERATION_WINDOW, LAWSUIT_WINDOW),
    ),
    StateDecl(name="under_review", label="行政复议或行政诉讼中"),
    StateDecl(
        name="awaiting_enforcement",
        label="逾期未履行（待催告、申请强制执行）",
        timers=(ENFORCEMENT_WINDOW,),
    ),
    StateDecl(
        name="enforcement_reminded",
        label="已催告履行",
        timers=(
            ENFORCEMENT_WINDOW,
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
