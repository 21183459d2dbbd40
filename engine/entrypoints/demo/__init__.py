"""`caseflow demo`: a realistic story on the configured database, printed step by step.

The main story is the Ding'an boundary table's worked example (matter 15): 72 migrant
workers on a construction site complain of 1,200,000 yuan unpaid wages; the contractor
admits 1,050,000 and disputes 150,000. A simulated clock moves the stories through their
weeks; they end in the present with cases still running, for the deadline board.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.text import Text

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.entrypoints.demo.others import (
    fund_audit,
    labour_inspection,
    small_case_paid_in_parts,
    still_running,
)
from engine.entrypoints.demo.story import DEMO_STAFF, Story, ensure_staff
from engine.entrypoints.demo.wage_arrears import wage_case

__all__ = ["DEMO_STAFF", "demo_passwords", "run_demo"]

DEMO_PASSWORD_SUFFIX = "2026demo"


def demo_passwords(app: App) -> list[tuple[str, str, str]]:
    """Give each demo user a password (their name and a fixed suffix: a demo, not a
    bureau) so the web app can be tried at once; returns (name, password, who)."""
    accounts = []
    for name, _role, _unit, display, *_ in DEMO_STAFF:
        password = f"{name}{DEMO_PASSWORD_SUFFIX}"
        app.users.reset_password(name, actor="admin", password=password, must_change=False)
        user = app.users.get(name)
        accounts.append((name, password, f"{display} · {user.role.label}"))
    return accounts


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
    out.print(
        Text.assemble((app.county.bureau_name, "bold"), " — 农民工工资拖欠案件演示（模拟时钟）")
    )
    if added:
        out.print(f"已创建演示用户：{'、'.join(added)}")
    refs = [
        wage_case(story),
        small_case_paid_in_parts(story),
        labour_inspection(story),
        fund_audit(story),
    ]
    if now is not None and now > clock.now():
        refs += still_running(story, now)
    out.print()
    out.print(Text.assemble(("演示完成。", "bold green"), "可以继续查看："))
    for ref in refs:
        out.print(f"  caseflow show {ref}      caseflow history {ref}")
    out.print("  caseflow list            caseflow verify            caseflow deadlines")
    return refs
