"""Steps of the wage-arrears worked example, on any app."""

from __future__ import annotations

from datetime import timedelta

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.case import Case
from tests.shared import CONTRACTOR, WAGE_FINDINGS


def complaint(app: App, actor: str = "wang") -> Case:
    return app.cases.open_case(
        procedure="wage_arrears",
        subject=CONTRACTOR,
        source="投诉",
        actor=actor,
        matter="wage_arrears",
    )


def to_payment_ordered(app: App, clock: FixedClock) -> Case:
    case = complaint(app)
    app.cases.fire(case.ref, "accept", {"summary": "符合受理条件"}, actor="wang")
    app.cases.assign(case.ref, ["wang", "li"], actor="chen")
    app.cases.fire(case.ref, "start_investigation", actor="wang")
    clock.set(clock.now() + timedelta(days=10))
    app.cases.fire(case.ref, "record_findings", WAGE_FINDINGS, actor="li")
    return app.cases.fire(case.ref, "order_payment", {}, actor="wang")
