"""A wage-arrears case through its whole life, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.history import verify_chain
from tests.integration.helpers import FINDINGS, advance_to_payment_ordered, open_complaint


def test_full_lifecycle_paid_in_parts(staffed: App, clock: FixedClock) -> None:
    svc = staffed
    case = advance_to_payment_ordered(staffed, clock)
    assert case.state == "payment_ordered"
    assert case.data["findings"]["admitted"] == "1050000.00"

    clock.set(clock.now() + timedelta(days=2))
    case = svc.cases.fire(case.ref, "advise_arbitration", actor="li")
    assert case.state == "payment_ordered"
    case = svc.cases.fire(
        case.ref, "record_payment", {"amount": "600000", "paid_on": "2026-03-14"}, actor="wang"
    )
    assert case.state == "payment_ordered"
    assert case.data["paid_total"] == "600000.00"
    case = svc.cases.fire(
        case.ref, "record_payment", {"amount": "450000", "paid_on": "2026-03-15"}, actor="li"
    )
    assert case.state == "paid"
    case = svc.cases.fire(case.ref, "close", {"summary": "欠薪105万元已全部支付"}, actor="chen")
    assert case.state == "closed"
    assert case.closed_at is not None

    view = svc.queries.get_case(case.ref)
    assert view.allowed == []
    assert view.timers == []  # the payment timer was cancelled when the case left the state
    kinds = [d.kind for d in view.documents]
    assert kinds == ["rectification_order", "arbitration_advice"]
    order = view.documents[0]
    assert order.number == "定人社监令〔2026〕1号"
    assert view.documents[1].number == "定人社监仲告〔2026〕1号"
    assert "壹佰零伍万元整" in order.html
    assert CONTRACTOR_NAME in order.html

    history = svc.queries.history(case.ref)
    assert [e.trigger for e in history] == [
        None,
        "accept",
        None,
        "start_investigation",
        "record_findings",
        "order_payment",
        "advise_arbitration",
        "record_payment",
        "record_payment",
        "close",
    ]
    assert verify_chain(case.ref, history) is None
    order_event = history[5]
    assert order_event.payload["_documents"][0]["sha256"] == order.sha256
    assert svc.queries.verify().broken == []


CONTRACTOR_NAME = "定安县某建筑劳务有限公司"


def test_reloaded_case_continues(staffed: App, clock: FixedClock, db_url: str) -> None:
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", {}, actor="wang")
    staffed.db.dispose()

    # A new process: a fresh bootstrap on the same database picks the case up where it was.
    again = bootstrap(db_url, clock=clock, county="dingan")
    svc = again
    loaded = svc.queries.get_case(case.ref).case
    assert loaded.state == "accepted"
    svc.cases.assign(case.ref, ["wang", "li"], actor="chen")
    svc.cases.fire(case.ref, "start_investigation", actor="li")
    result = svc.cases.fire(case.ref, "record_findings", FINDINGS, actor="wang")
    assert result.state == "findings"
    assert result.version == loaded.version + 3
    assert verify_chain(case.ref, svc.queries.history(case.ref)) is None
    again.db.dispose()


def test_opening_starts_the_intake_timer(staffed: App) -> None:
    case = open_complaint(staffed)
    timers = staffed.queries.get_case(case.ref).timers
    assert [(t.name, t.period_amount, t.period_unit) for t in timers] == [
        ("intake_decision", 5, "working_days")
    ]
    # Opened Monday 2026-03-02: five working days later is Monday 2026-03-09.
    assert timers[0].last_day == "2026-03-09"


def test_rejection_issues_notice_and_ends(staffed: App) -> None:
    case = open_complaint(staffed)
    done = staffed.cases.fire(
        case.ref, "reject", {"ground": "不属于本局管辖，已告知向有管辖权的部门投诉"}, actor="wang"
    )
    assert done.state == "not_accepted"
    view = staffed.queries.get_case(done.ref)
    assert [d.title for d in view.documents] == ["不予受理告知书"]
    assert "不属于本局管辖" in view.documents[0].html
    assert view.timers == []


def test_attachment_content_comes_back_intact(staffed: App) -> None:
    case = open_complaint(staffed)
    photo = b"\x89PNG fake photo of the posted order"
    staffed.cases.add_attachment(case.ref, "张贴照片.png", photo, actor="wang", note="张贴送达")
    [stored] = staffed.queries.get_case(case.ref).attachments
    assert staffed.queries.attachment_content(stored.id) == photo
    last = staffed.queries.history(case.ref)[-1]
    assert last.payload["sha256"] == stored.sha256 and last.payload["size"] == len(photo)
