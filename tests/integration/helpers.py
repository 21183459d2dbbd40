"""Helpers the integration tests share: the Ding'an worked example as a case."""

from __future__ import annotations

from datetime import timedelta

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.case import Case
from tests.shared import CONTRACTOR, WAGE_FINDINGS

FINDINGS = WAGE_FINDINGS


def open_complaint(app: App, actor: str = "wang") -> Case:
    return app.cases.open_case(
        procedure="wage_arrears",
        subject=CONTRACTOR,
        source="投诉",
        actor=actor,
        data={"complainants": 72, "claimed": "1200000"},
        matter="wage_arrears",
    )


def advance_to_payment_ordered(app: App, clock: FixedClock) -> Case:
    svc = app
    case = open_complaint(app)
    clock.set(clock.now() + timedelta(days=1))
    svc.cases.fire(
        case.ref, "accept", {"summary": "72名农民工投诉欠薪，符合受理条件"}, actor="wang"
    )
    svc.cases.assign(case.ref, ["wang", "li"], actor="chen", reason="欠薪案件须两名监察员")
    svc.cases.fire(case.ref, "start_investigation", actor="wang")
    clock.set(clock.now() + timedelta(days=10))
    svc.cases.fire(case.ref, "record_findings", FINDINGS, actor="li")
    return svc.cases.fire(case.ref, "order_payment", {}, actor="wang")
