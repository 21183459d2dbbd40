"""The demo's machinery: a story told on a simulated clock, step by step, and the people and
parties it involves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console
from rich.text import Text

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case

DEMO_STAFF = [
    # login name, role, unit, full name, 执法证号 (the certificate the documents print), title
    ("admin", "admin", "县人社局办公室", "吴小燕", "", ""),
    ("wang", "inspector", "县劳动保障监察大队", "王建国", "46902520170031", ""),
    ("li", "inspector", "县劳动保障监察大队", "李秀梅", "46902520190047", ""),
    ("zhao", "inspector", "县劳动保障监察大队", "赵海峰", "46902520210052", ""),
    ("chen", "supervisor", "县劳动保障监察大队", "陈志强", "46902520120008", "大队长"),
    ("sun", "legal", "县人社局法规股", "孙丽", "46902520150019", "法规股股长"),
    ("zhou", "head", "县人社局", "周明", "46902520100002", "局长"),
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
        self.out.print(
            Text.assemble(
                (f"{self.step:>2}.", "bold cyan"),
                " ",
                (when, "dim"),
                " ",
                (who, "bold"),
                f" {what}",
            )
        )
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
    for name, role, unit, display, cert_no, title in DEMO_STAFF:
        if name not in existing:
            app.users.add_user(
                name, role, unit, display, actor="admin", cert_no=cert_no, title=title
            )
            added.append(name)
    return added


def let_deadline_pass(s: Story, ref: str, timer_name: str, what: str) -> None:
    """Move the clock past a deadline and run the sweep, as the worker would every minute."""
    [timer] = [t for t in s.app.queries.get_case(ref).timers if t.name == timer_name]
    s.at(timer.due_at + timedelta(minutes=1))
    result = s.app.sweeper.sweep()
    s.say(
        "系统（到期处理）",
        f"{timer.label}（{timer.last_day} 24:00）届满：{what}；自动办理 {result.fired} 件",
        s.state(s.app.queries.get_case(ref).case),
    )


def day(s: Story, days: int = 0) -> str:
    return (s.clock.now().astimezone(LOCAL_TZ).date() + timedelta(days=days)).isoformat()
