"""States, timers and documents of the penalty procedure."""

from __future__ import annotations

from engine.deadlines import Period, Unit
from engine.domain.procedure import DocumentDecl, StateDecl, TimerDecl

LAW = "《中华人民共和国行政处罚法》"
COERCION = "《中华人民共和国行政强制法》"

PENALTY_NOTICE = DocumentDecl(
    "penalty_notice", "行政处罚事先告知书", "penalty_notice.html.j2", "decision", "告"
)
HEARING_NOTICE = DocumentDecl(
    "hearing_notice", "行政处罚听证通知书", "hearing_notice.html.j2", "decision", "听"
)
PENALTY_DECISION = DocumentDecl(
    "penalty_decision", "行政处罚决定书", "penalty_decision.html.j2", "decision", ""
)
ENFORCEMENT_REMINDER = DocumentDecl(
    "enforcement_reminder",
    "履行行政处罚决定催告书",
    "enforcement_reminder.html.j2",
    "decision",
    "催",
)
ENFORCEMENT_APPLICATION = DocumentDecl(
    "enforcement_application",
    "强制执行申请书",
    "enforcement_application.html.j2",
    "decision",
    "执",
)


def _timer(
    name: str, label: str, period: Period, basis: str, on_expiry: str | None = None
) -> TimerDecl:
    return TimerDecl(name, label, period, basis, on_expiry)


STATES = (
    StateDecl(
        "penalty_noticed",
        "已事先告知（陈述申辩、听证申请期）",
        timers=(
            _timer(
                "hearing_request",
                "要求听证期限",
                Period(5, Unit.WORKING_DAYS),
                f"{LAW}第六十四条第一项、第八十五条",
                "notice_period_lapsed",
            ),
        ),
    ),
    StateDecl("hearing_requested", "当事人要求听证"),
    StateDecl("hearing_scheduled", "已通知听证"),
    StateDecl("legal_review", "法制审核中"),
    StateDecl("penalty_returned", "法制审核未通过（退回承办人）"),
    StateDecl("penalty_deciding", "待负责人决定"),
    StateDecl(
        "penalty_decided",
        "已作出处罚决定（待送达）",
        timers=(
            _timer(
                "service", "处罚决定书送达期限", Period(7, Unit.WORKING_DAYS), f"{LAW}第六十一条"
            ),
        ),
    ),
    StateDecl(
        "decision_served",
        "处罚决定已送达（履行期、救济期）",
        timers=(
            _timer(
                "fine_payment",
                "缴纳罚款期限",
                Period(15, Unit.DAYS),
                f"{LAW}第六十七条第三款",
                "fine_deadline_passed",
            ),
            _timer(
                "remedy_period",
                "申请行政复议（六十日）、提起行政诉讼（六个月）期限",
                Period(6, Unit.MONTHS),
                f"《中华人民共和国行政复议法》第二十条；{COERCION}第五十三条",
                "remedy_periods_lapsed",
            ),
        ),
    ),
    StateDecl("under_review", "行政复议或行政诉讼中"),
    StateDecl(
        "awaiting_enforcement",
        "逾期未履行（待催告、申请强制执行）",
        timers=(
            _timer(
                "enforcement_application",
                "申请人民法院强制执行期限",
                Period(3, Unit.MONTHS),
                f"{COERCION}第五十三条",
            ),
        ),
    ),
    StateDecl(
        "enforcement_reminded",
        "已催告履行",
        timers=(
            _timer(
                "reminder_period",
                "催告书送达后履行期限",
                Period(10, Unit.WORKING_DAYS),
                f"{COERCION}第五十四条、第六十九条",
            ),
        ),
    ),
    StateDecl(
        "court_enforcement",
        "已申请人民法院强制执行",
        timers=(
            _timer(
                "court_acceptance",
                "人民法院受理期限",
                Period(5, Unit.WORKING_DAYS),
                f"{COERCION}第五十六条、第六十九条",
            ),
        ),
    ),
    StateDecl("penalty_concluded", "处罚程序终结"),
)
