"""What many tests share, defined once: the bureau's staff, the clock's starting point, and
the Ding'an worked example (boundary table item 15) — the contractor and the findings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine.bootstrap import App
from engine.domain.subject import Subject

START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # Monday 2026-03-02 09:30 in Beijing

STAFF = [
    # login name, role, unit, full name, 执法证号, title
    ("admin", "admin", "县人社局办公室", "吴小燕", "", ""),
    ("wang", "inspector", "县劳动保障监察大队", "王建国", "46902520170031", ""),
    ("li", "inspector", "县劳动保障监察大队", "李秀梅", "46902520190047", ""),
    ("zhao", "inspector", "县劳动保障监察大队", "赵海峰", "46902520210052", ""),
    ("chen", "supervisor", "县劳动保障监察大队", "陈志强", "46902520120008", "大队长"),
    ("sun", "legal", "县人社局法规股", "孙丽", "46902520150019", "法规股股长"),
    ("zhou", "head", "县人社局", "周明", "46902520100002", "局长"),
]

CONTRACTOR = Subject.create(
    "定安县某建筑劳务有限公司", "海南省定安县定城镇见龙大道某建筑工地项目部", "91469021MA5T3XY14R"
)
"""The construction contractor of the Ding'an worked example."""

WAGE_FINDINGS: dict[str, Any] = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "你单位承建的定安县某建筑工地72名农民工投诉被拖欠2025年10月至2026年1月共4个月的"
    "工资120万元。经调查，你单位承认拖欠农民工工资105万元，对其余15万元工资款与农民工存在结算争议。",
}
"""72 workers claim 1.2 million yuan; the contractor admits 1.05 million, 150,000 disputed."""


def add_staff(app: App) -> None:
    for name, role, unit, display, cert_no, title in STAFF:
        app.users.add_user(name, role, unit, display, actor="admin", cert_no=cert_no, title=title)
