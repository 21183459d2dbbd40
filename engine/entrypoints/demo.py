"""`caseflow demo`: a realistic story on the configured database, printed step by step.

The story is the Ding'an boundary table's worked example (matter 15): 72 migrant workers on
a construction site complain of 1,200,000 yuan unpaid wages; the contractor admits
1,050,000 and disputes 150,000. A simulated clock moves the story through its weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.subject import Subject

DEMO_STAFF = [
    ("admin", "admin", "县人社局办公室", "系统管理员"),
    ("wang", "inspector", "县劳动保障监察大队", "王建国"),
    ("li", "inspector", "县劳动保障监察大队", "李秀梅"),
    ("zhao", "inspector", "县劳动保障监察大队", "赵海峰"),
    ("chen", "supervisor", "县劳动保障监察大队", "陈志强（大队长）"),
    ("sun", "legal", "县人社局法规股", "孙丽（法制审核）"),
    ("zhou", "head", "县人社局", "周明（局长）"),
]

CONTRACTOR = (
    "定安县某建筑劳务有限公司",
    "海南省定安县定城镇见龙大道某住宅项目工地",
    "91469021MA5T3XY14R",
)
SUPPLIER = ("定安县某装饰工程有限公司", "海南省定安县定城镇塔岭路18号", "91469021MA5RC0QX1W")
FACTORY = ("定安县某制衣厂", "海南省定安县塔岭工业园", "91431123MA4L2N8K3Y")
SI_AGENCY = ("定安县社会保险事业局", "海南省定安县定城镇人民路1号", "12469021MB12345676")
WAGE_FINDINGS: dict[str, Any] = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "你单位承建的某住宅项目工地72名农民工投诉被拖欠2025年10月至2026年1月共4个月的工资"
    "120万元。经调查，你单位承认拖欠农民工工资105万元，对其余15万元工资款与农民工存在结算争议。",
}


@dataclass
class Story:
    app: App
    clock: FixedClock
    out: Console
    step: int = 0

    def at(self, when: datetime) -> None:
        self.clock.set(when)

    def later(self, **delta: float) -> None:
        self.clock.set(self.clock.now() + timedelta(**delta))

    def say(self, who: str, what: str, detail: str = "") -> None:
        self.step += 1
        when = self.clock.now().astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        self.out.print(f"[bold cyan]{self.step:>2}.[/] [dim]{when}[/] [bold]{who}[/] {what}")
        if detail:
            self.out.print(f"     {detail}")

    def state(self, case: Case) -> str:
        view = self.app.queries.get_case(case.ref)
        timers = "；".join(
            f"{t.label}至 {t.last_day}" + ("（暂定）" if t.provisional else "") for t in view.timers
        )
        docs = view.documents
        parts = [f"状态：{view.state_label}"]
        if timers:
            parts.append(f"期限：{timers}")
        if docs:
            parts.append(f"最新文书：{docs[-1].title} {docs[-1].number}")
        return "  ".join(parts)


def ensure_staff(app: App) -> list[str]:
    existing = {u.name for u in app.users.users()}
    added = []
    for name, role, unit, display in DEMO_STAFF:
        if name not in existing:
            app.users.add_user(name, role, unit, display, actor="admin")
            added.append(name)
    return added


def run_demo(app: App, out: Console, start: datetime, now: datetime | None = None) -> list[str]:
    """Run the story from `start`; returns the refs of the cases it made. With `now` (the real
    time), it ends by opening cases that are still running then, so the deadline board has
    something to show: one whose intake window has already passed, one under investigation."""
    clock = app.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("the demo runs on a FixedClock")
    story = Story(app, clock, out)
    story.at(start)
    added = ensure_staff(app)
    out.print(f"[bold]{app.county.bureau_name}[/] — 农民工工资拖欠案件演示（模拟时钟）")
    if added:
        out.print(f"已创建演示用户：{'、'.join(added)}")
    refs = [
        _wage_case(story),
        _small_case_paid_in_parts(story),
        _labour_inspection(story),
        _fund_audit(story),
    ]
    if now is not None and now > clock.now():
        refs += _still_running(story, now)
    out.print()
    out.print("[bold green]演示完成。[/]可以继续查看：")
    for ref in refs:
        out.print(f"  caseflow show {ref}      caseflow history {ref}")
    out.print("  caseflow list            caseflow verify            caseflow deadlines")
    return refs


def _still_running(s: Story, now: datetime) -> list[str]:
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


def _wage_case(s: Story) -> str:
    """Ding'an boundary table item 15, end to end: ordered to pay, the contractor neither
    pays nor appears, the deadline passes by itself, the case goes to the police."""
    svc = s.app.cases
    name, address, code = CONTRACTOR
    case = svc.open_case(
        procedure="wage_arrears",
        subject=Subject.create(name, address, code),
        source="投诉",
        actor="wang",
        data={"complainants": 72, "claimed": "1200000", "project": "某住宅项目"},
        matter="wage_arrears",
    )
    s.say(
        "王建国（监察员）",
        f"登记投诉，案件编号 {case.ref}",
        f"72名农民工投诉{name}拖欠工资120万元。{s.state(case)}",
    )
    s.later(days=1, hours=2)
    case = svc.fire(
        case.ref,
        "accept",
        {"summary": "72名农民工集体投诉欠薪，属本局管辖，予以立案"},
        actor="wang",
    )
    s.say("王建国", "受理立案", s.state(case))
    s.later(hours=1)
    svc.assign(case.ref, ["wang", "li"], actor="chen", reason="欠薪案件须两名监察员承办")
    s.say("陈志强（大队长）", "指派王建国、李秀梅承办（执法须两名监察员）")
    case = svc.fire(case.ref, "start_investigation", actor="wang")
    s.say("王建国", "开始调查", s.state(case))
    notice = {
        "person": "陈某",
        "capacity": "承包人",
        "attend_on": _d(s, days=3),
        "place": "定安县劳动保障监察大队",
        "matters": "拖欠农民工工资情况，携带工程施工合同、考勤记录和工资支付台账",
    }
    case = svc.fire(case.ref, "issue_inquiry_notice", notice, actor="wang")
    s.say("王建国", "向承包人发出询问通知书", s.state(case))
    s.later(days=12)
    case = svc.fire(case.ref, "record_findings", WAGE_FINDINGS, actor="li")
    s.say("李秀梅（监察员）", "调查终结：查实拖欠105万元，争议15万元", s.state(case))
    s.later(hours=3)
    case = svc.fire(case.ref, "order_payment", {"note": ""}, actor="wang")
    s.say("王建国", "下达限期改正指令书，责令限期支付105万元", s.state(case))
    case = svc.fire(case.ref, "advise_arbitration", actor="li")
    s.say(
        "李秀梅",
        "告知农民工就争议的15万元申请劳动争议仲裁（另立仲裁转介案件跟踪期限）",
        s.state(case),
    )
    s.later(days=1)
    svc.add_attachment(
        case.ref,
        "项目部张贴指令书.jpg",
        b"photo of the posted order",
        actor="wang",
        note="承包人逃匿，张贴送达",
    )
    [photo] = s.app.queries.get_case(case.ref).attachments
    case = svc.fire(
        case.ref,
        "record_order_service",
        {
            "served_on": _d(s),
            "method": "posting",
            "absconded": True,
            "place": "项目部和承包人住所门口",
            "evidence": [{"name": photo.name, "sha256": photo.sha256, "kind": "photo"}],
        },
        actor="wang",
    )
    s.say("王建国", "承包人逃匿，指令书在项目部张贴送达并拍照留证", s.state(case))
    _let_deadline_pass(s, case.ref, "payment_deadline", "承包人未支付也未出面")
    data = s.app.queries.get_case(case.ref).case.data
    s.say(
        "系统",
        "自动核对拒不支付劳动报酬罪的数额标准",
        (data.get("criminal_threshold") or {}).get("reason", ""),
    )
    s.later(hours=2)
    case = svc.fire(
        case.ref,
        "propose_transfer",
        {
            "offence": "拒不支付劳动报酬罪",
            "facts": "承包人拖欠72名农民工工资105万元，经责令支付逾期仍不支付，且逃匿不出面",
            "evidence": "调查报告、询问笔录、工资支付台账、张贴送达照片",
        },
        actor="li",
    )
    s.say("李秀梅", "提出涉嫌犯罪案件移送报告", s.state(case))
    s.later(days=1)
    case = svc.fire(case.ref, "approve_transfer", {"opinion": "同意移送"}, actor="zhou")
    s.say("周明（局长）", "批准移送（3日内作出决定）", s.state(case))
    s.later(hours=3)
    case = svc.fire(case.ref, "transfer_to_police", actor="wang")
    s.say("王建国", "制作涉嫌犯罪案件移送书，24小时内移送县公安局", s.state(case))
    s.later(days=2)
    case = svc.fire(
        case.ref,
        "police_accept",
        {"notice_no": "定公（经）立字〔2026〕12号", "notified_on": _d(s)},
        actor="wang",
    )
    case = svc.fire(
        case.ref,
        "hand_over_materials",
        {"materials": "工资支付台账原件、询问笔录、张贴送达照片"},
        actor="wang",
    )
    s.say("王建国", "公安机关立案，移交全部材料", s.state(case))
    s.later(days=1)
    case = svc.fire(case.ref, "close", {"summary": "已移送公安机关立案侦查"}, actor="chen")
    s.say("陈志强", "结案", s.state(case))
    return case.ref


def _fund_audit(s: Story) -> str:
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
        "visit_on": _d(s, days=4),
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
        },
        actor="li",
    )
    s.say("李秀梅", "现场检查结束，监督报告送达被监督单位", s.state(case))
    _let_deadline_pass(s, case.ref, "written_opinion", "被监督单位未提出书面意见")
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


def _labour_inspection(s: Story) -> str:
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
    _let_deadline_pass(s, case.ref, "rectification", "转入复查")
    s.later(hours=9)
    case = svc.fire(
        case.ref,
        "record_check",
        {"checked_on": _d(s), "corrected": True, "notes": "已调整为白班"},
        actor="zhao",
    )
    case = svc.fire(case.ref, "close", {"summary": "已改正"}, actor="chen")
    s.say("陈志强", "复查已改正，结案", s.state(case))
    return case.ref


def _let_deadline_pass(s: Story, ref: str, timer_name: str, what: str) -> None:
    """Move the clock past a deadline and run the sweep, as the worker would every minute."""
    [timer] = [t for t in s.app.queries.get_case(ref).timers if t.name == timer_name]
    s.at(timer.due_at + timedelta(minutes=1))
    result = s.app.sweeper.sweep()
    s.say(
        "系统（到期处理）",
        f"{timer.label}（{timer.last_day} 24:00）届满：{what}；自动办理 {result.fired} 件",
        s.state(s.app.queries.get_case(ref).case),
    )


def _small_case_paid_in_parts(s: Story) -> str:
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
    case = svc.fire(case.ref, "record_payment", {"amount": "50000", "paid_on": _d(s)}, actor="zhao")
    s.say("赵海峰", "登记第一笔支付5万元", f"尚欠4.6万元。{s.state(case)}")
    s.later(days=3)
    case = svc.fire(case.ref, "record_payment", {"amount": "46000", "paid_on": _d(s)}, actor="wang")
    s.say("王建国", "登记第二笔支付4.6万元，欠薪全部付清", s.state(case))
    case = svc.fire(case.ref, "close", {"summary": "欠薪9.6万元已分两次全部支付"}, actor="chen")
    s.say("陈志强", "结案", s.state(case))
    return case.ref


def _d(s: Story, days: int = 0) -> str:
    return (s.clock.now().astimezone(LOCAL_TZ).date() + timedelta(days=days)).isoformat()
