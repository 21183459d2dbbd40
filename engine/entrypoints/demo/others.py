"""The demo's shorter stories: a small case paid in two parts, a labour inspection whose
rectification deadline brings it back for the check, a fund audit whose written-opinion
window the sweep closes, and the cases still running today."""

from __future__ import annotations

from datetime import datetime, timedelta

from engine.domain.subject import Subject
from engine.entrypoints.demo.story import (
    FACTORY,
    SI_AGENCY,
    SUPPLIER,
    Story,
    day,
    let_deadline_pass,
)


def small_case_paid_in_parts(s: Story) -> str:
    svc = s.app.cases
    name, address, code = SUPPLIER
    s.later(days=2)
    case = svc.open_case(
        procedure="wage_arrears",
        subject=Subject.create(name, address, code),
        source="举报",
        actor="zhao",
        matter="wage_arrears",
    )
    s.say("赵海峰（监察员）", f"登记举报，案件编号 {case.ref}", f"{name}拖欠8名装修工人工资")
    case = svc.fire(case.ref, "accept", {}, actor="zhao")
    svc.assign(case.ref, ["zhao", "wang"], actor="chen")
    svc.fire(case.ref, "start_investigation", actor="zhao")
    s.later(days=6)
    case = svc.fire(
        case.ref,
        "record_findings",
        {
            "workers": 8,
            "months": 2,
            "claimed": "96000",
            "admitted": "96000",
            "facts": "该公司拖欠8名装修工人两个月工资共计9.6万元，事实清楚，公司无异议。",
        },
        actor="zhao",
    )
    case = svc.fire(case.ref, "order_payment", {}, actor="zhao")
    s.say("赵海峰", "查实欠薪9.6万元，责令限期支付", s.state(case))
    s.later(days=2)
    case = svc.fire(
        case.ref, "record_payment", {"amount": "50000", "paid_on": day(s)}, actor="zhao"
    )
    s.say("赵海峰", "登记第一笔支付5万元", f"尚欠4.6万元。{s.state(case)}")
    s.later(days=3)
    case = svc.fire(
        case.ref, "record_payment", {"amount": "46000", "paid_on": day(s)}, actor="wang"
    )
    s.say("王建国", "登记第二笔支付4.6万元，欠薪全部付清", s.state(case))
    case = svc.fire(case.ref, "close", {"summary": "欠薪9.6万元已分两次全部支付"}, actor="chen")
    s.say("陈志强", "结案", s.state(case))
    return case.ref


def labour_inspection(s: Story) -> str:
    """A complaint about women workers' protection (Ding'an item 14): rectification ordered,
    the deadline passes and the case comes back for the check by itself."""
    svc = s.app.cases
    name, address, code = FACTORY
    case = svc.open_case(
        procedure="labour_inspection",
        subject=Subject.create(name, address, code),
        source="投诉",
        actor="zhao",
        matter="women_workers",
    )
    s.say("赵海峰（监察员）", f"登记投诉，案件编号 {case.ref}", f"{name}安排孕期女职工夜班劳动")
    svc.fire(
        case.ref,
        "accept",
        {
            "source_kind": "complaint",
            "matter": "women_workers",
            "summary": "投诉安排怀孕七个月以上女职工夜班劳动",
        },
        actor="zhao",
    )
    svc.assign(case.ref, ["zhao", "wang"], actor="chen")
    svc.fire(case.ref, "start_investigation", actor="zhao")
    s.later(days=5)
    svc.fire(
        case.ref,
        "record_findings",
        {
            "violations": "安排怀孕七个月以上的女职工夜班劳动",
            "facts": "经查，该厂安排3名怀孕七个月以上的女职工上夜班",
            "basis": "《劳动保障监察条例》第十一条",
            "workers": 3,
        },
        actor="zhao",
    )
    case = svc.fire(
        case.ref,
        "order_rectification",
        {
            "violations": "安排怀孕七个月以上的女职工夜班劳动",
            "basis": "《劳动保障监察条例》第十八条",
            "requirements": "立即停止安排孕期女职工夜班劳动",
        },
        actor="zhao",
    )
    s.say("赵海峰", "查实违法行为，下达限期改正指令书", s.state(case))
    let_deadline_pass(s, case.ref, "rectification", "转入复查")
    s.later(hours=9)
    case = svc.fire(
        case.ref,
        "record_check",
        {"checked_on": day(s), "corrected": True, "notes": "已调整为白班"},
        actor="zhao",
    )
    case = svc.fire(case.ref, "close", {"summary": "已改正"}, actor="chen")
    s.say("陈志强", "复查已改正，结案", s.state(case))
    return case.ref


def fund_audit(s: Story) -> str:
    """Ding'an boundary table item 8: an on-site fund audit; the unit sends no written
    opinion, and when the 10-day window passes the sweep records 'deemed no objection'."""
    svc = s.app.cases
    name, address, code = SI_AGENCY
    case = svc.open_case(
        procedure="fund_audit",
        subject=Subject.create(name, address, code),
        source="年度监督计划",
        actor="wang",
        matter="social_insurance_fund",
    )
    svc.assign(case.ref, ["wang", "li"], actor="chen")
    s.say("王建国", f"按年度计划立项社会保险基金现场监督，案件编号 {case.ref}", s.state(case))
    notice = {
        "scope": "2025年度社会保险基金收支、预算执行情况",
        "materials": "会计凭证、账簿、报表",
        "visit_on": day(s, days=4),
    }
    case = svc.fire(case.ref, "notify_inspection", notice, actor="wang")
    s.say("王建国", "提前3日以上发出监督检查通知书", s.state(case))
    s.later(days=4)
    svc.fire(case.ref, "start_inspection", actor="wang")
    s.later(days=2)
    case = svc.fire(
        case.ref,
        "send_report",
        {
            "findings": "预算执行基本规范，个别待遇审核手续不全",
            "amount": "0",
            "received_by": "吴某",
            "received_on": day(s),
        },
        actor="li",
    )
    s.say("李秀梅", "现场检查结束，监督报告送达被监督单位", s.state(case))
    let_deadline_pass(s, case.ref, "written_opinion", "被监督单位未提出书面意见")
    s.later(hours=9)
    case = svc.fire(
        case.ref,
        "issue_final_report",
        {
            "conclusions": "基金收支管理基本规范",
            "handling": "完善待遇审核手续",
        },
        actor="wang",
    )
    case = svc.fire(case.ref, "close", {"summary": "监督完毕"}, actor="chen")
    s.say("陈志强", "出具监督报告并结案", s.state(case))
    return case.ref


def still_running(s: Story, now: datetime) -> list[str]:
    svc = s.app.cases
    name, address, code = SUPPLIER
    s.at(now - timedelta(days=20))  # past its 5 working days even across a long holiday
    late = svc.open_case(
        procedure="wage_arrears",
        subject=Subject.create(name, address, code),
        source="投诉",
        actor="zhao",
        matter="wage_arrears",
    )
    s.say("赵海峰", f"登记投诉，案件编号 {late.ref}（受理决定尚未作出）", s.state(late))
    name, address, code = FACTORY
    s.at(now - timedelta(days=2))
    running = svc.open_case(
        procedure="labour_inspection",
        subject=Subject.create(name, address, code),
        source="举报",
        actor="wang",
        matter="occupational_health",
    )
    svc.fire(
        running.ref,
        "accept",
        {
            "source_kind": "report",
            "matter": "occupational_health",
            "summary": "举报未组织接触粉尘岗位职工体检",
        },
        actor="wang",
    )
    svc.assign(running.ref, ["wang", "li"], actor="chen")
    running = svc.fire(running.ref, "start_investigation", actor="wang")
    s.say("王建国", f"受理举报并开始调查，案件编号 {running.ref}", s.state(running))
    s.at(now)
    result = s.app.sweeper.sweep()
    s.say(
        "系统（到期处理）",
        f"今天的到期处理：逾期督办 {result.escalated} 件，提醒 {result.reminders} 条",
        f"{late.ref} 受理决定期限已过，已标记逾期并通知大队长",
    )
    return [late.ref, running.ref]
