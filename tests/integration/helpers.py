"""Helpers the integration tests share: the Ding'an worked example as a case."""

from __future__ import annotations

from datetime import timedelta

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.case import Case, Subject

CONTRACTOR = Subject.create(
    "定安县某建筑劳务有限公司",
    "海南省定安县定城镇见龙大道某建筑工地",
    "91469021MA5T3XY14R",
)
FINDINGS = {
    "workers": 72,
    "months": 4,
    "claimed": "1200000",
    "admitted": "1050000",
    "disputed": "150000",
    "facts": "该公司承建的某建筑工地72名农民工投诉被拖欠工资120万元；公司承认拖欠105万元，"
    "对其余15万元工资款与农民工存在结算争议。",
}


def open_complaint(app: App, actor: str = "wang") -> Case:
    return app.service.open_case(
        procedure="wage_arrears",
        subject=CONTRACTOR,
        source="投诉",
        actor=actor,
        data={"complainants": 72, "claimed": "1200000"},
        matter="wage_arrears",
    )


def advance_to_payment_ordered(app: App, clock: FixedClock) -> Case:
    svc = app.service
    case = open_complaint(app)
    clock.set(clock.now() + timedelta(days=1))
    svc.fire(case.ref, "accept", {"summary": "72名农民工投诉欠薪，符合受理条件"}, actor="wang")
    svc.assign(case.ref, ["wang", "li"], actor="chen", reason="欠薪案件须两名监察员")
    svc.fire(case.ref, "start_investigation", actor="wang")
    clock.set(clock.now() + timedelta(days=10))
    svc.fire(case.ref, "record_findings", FINDINGS, actor="li")
    return svc.fire(case.ref, "order_payment", {}, actor="wang")
