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
from engine.domain.case import Case, Subject
from engine.service.sweep import Sweeper

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
        view = self.app.service.get_case(case.ref)
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
    existing = {u.name for u in app.service.users()}
    added = []
    for name, role, unit, display in DEMO_STAFF:
        if name not in existing:
            app.service.add_user(name, role, unit, display, actor="admin")
            added.append(name)
    return added


def run_demo(app: App, out: Console, start: datetime) -> list[str]:
    """Run the story; returns the refs of the cases it made."""
    clock = app.service.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("the demo runs on a FixedClock")
    story = Story(app, clock, out)
    story.at(start)
    added = ensure_staff(app)
    out.print(f"[bold]{app.county.bureau_name}[/] — 农民工工资拖欠案件演示（模拟时钟）")
    if added:
        out.print(f"已创建演示用户：{'、'.join(added)}")
    refs = [_wage_case(story), _small_case_paid_in_parts(story)]
    out.print()
    out.print("[bold green]演示完成。[/]可以继续查看：")
    for ref in refs:
        out.print(f"  caseflow show {ref}      caseflow history {ref}")
    out.print("  caseflow list            caseflow verify")
    return refs


def _wage_case(s: Story) -> str:
    svc = s.app.service
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
    case = svc.assign(case.ref, ["wang", "li"], actor="chen", reason="欠薪案件须两名监察员承办")
    s.say("陈志强（大队长）", "指派王建国、李秀梅承办")
    case = svc.fire(case.ref, "start_investigation", actor="wang")
    s.say("王建国", "开始调查（询问承包人、调取考勤和工资表）", s.state(case))
    s.later(days=12)
    findings: dict[str, Any] = {
        "workers": 72,
        "months": 4,
        "claimed": "1200000",
        "admitted": "1050000",
        "disputed": "150000",
        "facts": "该公司承建的某住宅项目工地72名农民工投诉被拖欠工资120万元。经调查，该公司承认拖欠"
        "农民工工资105万元，对其余15万元工资款与农民工存在结算争议。",
    }
    case = svc.fire(case.ref, "record_findings", findings, actor="li")
    s.say("李秀梅（监察员）", "调查终结：查实拖欠105万元，争议15万元", s.state(case))
    s.later(hours=3)
    case = svc.fire(case.ref, "order_payment", {}, actor="wang")
    s.say("王建国", "下达限期改正指令书，责令限期支付105万元", s.state(case))
    case = svc.fire(case.ref, "advise_arbitration", actor="li")
    s.say("李秀梅", "告知农民工就争议的15万元申请劳动争议仲裁", s.state(case))
    _after_payment_deadline(s, case)
    return case.ref


def _after_payment_deadline(s: Story, case: Case) -> None:
    """The contractor neither pays nor appears; the deadline passes and the sweep alone
    moves the case on."""
    svc = s.app.service
    view = svc.get_case(case.ref)
    [timer] = [t for t in view.timers if t.name == "payment_deadline"]
    s.at(timer.due_at + timedelta(minutes=1))
    result = Sweeper(svc).sweep()
    case = svc.get_case(case.ref).case
    s.say(
        "系统（到期处理）",
        f"限期（{timer.last_day} 24:00）届满，承包人未支付也未出面，自动办理 {result.fired} 件",
        s.state(case),
    )
    s.later(hours=9)
    case = svc.fire(
        case.ref, "close", {"summary": "逾期未支付，依法移送公安机关（另案办理）"}, actor="chen"
    )
    s.say("陈志强", "结案", s.state(case))


def _small_case_paid_in_parts(s: Story) -> str:
    svc = s.app.service
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


def _d(s: Story) -> str:
    return s.clock.now().astimezone(LOCAL_TZ).date().isoformat()
