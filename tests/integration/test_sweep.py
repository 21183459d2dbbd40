"""Timers as rows: the sweep fires due timers exactly once, as the system user; reminders
come before a deadline; a passed bureau deadline escalates to the supervisor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from engine.adapters.clock import FixedClock, SystemClock
from engine.bootstrap import App, bootstrap
from engine.deadlines import Pause, Period, Unit, compute_deadline
from engine.domain.errors import GuardFailed, NotPermitted
from tests.integration.helpers import FINDINGS, open_complaint
from tests.shared import START, add_staff


def test_payment_deadline_passes_and_sweep_alone_moves_case_to_unpaid(db_url: str) -> None:
    with freeze_time("2026-03-02 01:30:00") as frozen:
        app = bootstrap(db_url, clock=SystemClock(), county="dingan")
        add_staff(app)
        svc = app
        case = open_complaint(app)
        svc.cases.fire(case.ref, "accept", {}, actor="wang")
        svc.cases.assign(case.ref, ["wang", "li"], actor="chen")
        svc.cases.fire(case.ref, "start_investigation", actor="wang")
        frozen.tick(timedelta(days=9))
        svc.cases.fire(case.ref, "record_findings", FINDINGS, actor="li")
        svc.cases.fire(case.ref, "order_payment", {}, actor="wang")
        [timer] = svc.queries.get_case(case.ref).timers
        assert timer.name == "payment_deadline"
        sweeper = svc.sweeper

        frozen.move_to(timer.due_at - timedelta(minutes=1))
        assert sweeper.sweep().fired == 0
        assert svc.queries.get_case(case.ref).case.state == "payment_ordered"

        frozen.move_to(timer.due_at + timedelta(minutes=1))
        assert sweeper.sweep().fired == 1
        assert svc.queries.get_case(case.ref).case.state == "unpaid"
        last = svc.queries.history(case.ref)[-1]
        assert (last.actor, last.trigger, last.to_state) == (
            "system",
            "payment_deadline_passed",
            "unpaid",
        )
        assert "限期支付期限" in last.reason
        assert sweeper.sweep().total == 0  # exactly once: nothing left to fire
        assert svc.queries.get_case(case.ref).timers == []
        assert svc.queries.verify().broken == []
        app.db.dispose()


def test_intake_deadline_escalates_to_supervisor(staffed: App, clock: FixedClock) -> None:
    case = open_complaint(staffed)  # Monday 2026-03-02; 5 working days → 2026-03-09
    sweeper = staffed.sweeper
    # 3 working days before the last day (Wednesday 03-04, 08:00) a reminder is due.
    clock.set(datetime(2026, 3, 4, 0, 30, tzinfo=UTC))
    assert sweeper.sweep().reminders == 1
    clock.set(datetime(2026, 3, 6, 0, 30, tzinfo=UTC))  # Friday: 1 working day before
    assert sweeper.sweep().reminders == 1
    clock.set(datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # 03-09 23:00 Beijing: not yet
    assert sweeper.sweep().total == 0
    clock.set(datetime(2026, 3, 9, 16, 1, tzinfo=UTC))  # 03-10 00:01 Beijing
    result = sweeper.sweep()
    assert result.escalated == 1
    view = staffed.queries.get_case(case.ref)
    assert view.case.overdue is True and view.case.state == "registered"
    kinds = [str(e.kind) for e in staffed.queries.history(case.ref)]
    assert kinds == ["opened", "reminder", "reminder", "overdue"]
    with staffed.context.uow(readonly=True) as uow:
        overdue = uow.notifications.list(kind="overdue")
    assert {n.recipient for n in overdue} == {"chen", "wang"}
    # Acting on the case clears the overdue mark.
    done = staffed.cases.fire(case.ref, "accept", {}, actor="wang")
    assert done.overdue is False


def test_extension_and_pause_shift_the_investigation_deadline(
    staffed: App, clock: FixedClock
) -> None:
    svc = staffed
    case = open_complaint(staffed)
    svc.cases.fire(case.ref, "accept", {}, actor="wang")
    svc.cases.assign(case.ref, ["wang", "li"], actor="chen")
    clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tuesday 2026-03-03 10:00 Beijing
    [accepted] = svc.queries.get_case(case.ref).timers
    svc.cases.fire(case.ref, "start_investigation", actor="wang")
    [inv] = svc.queries.get_case(case.ref).timers
    cal = svc.context.current_calendar()
    # 60 working days from 立案 (Monday 03-02), not from the start of the investigation.
    expected = compute_deadline(START, Period(60, Unit.WORKING_DAYS), cal)
    assert inv.last_day == accepted.last_day == expected.last_day.isoformat() == "2026-05-28"

    # The head (负责人) approves one extension of 30 working days (条例 art.17).
    with pytest.raises(NotPermitted):
        svc.cases.fire(case.ref, "extend_investigation", {}, actor="chen", reason="复杂")
    svc.cases.fire(
        case.ref,
        "extend_investigation",
        {"approved_by_note": "同意"},
        actor="zhou",
        reason="涉及72名劳动者，需调取两年工资台账",
    )
    [inv] = svc.queries.get_case(case.ref).timers
    assert inv.last_day == "2026-07-10"  # 30 working days on, skipping Dragon Boat 06-19
    [doc] = svc.queries.get_case(case.ref).documents
    assert doc.title == "案件延期审批表" and "2026年7月10日" in doc.html
    with pytest.raises(GuardFailed, match="最多可延长 1 次"):
        svc.cases.fire(case.ref, "extend_investigation", {}, actor="zhou", reason="再延")
    with pytest.raises(NotPermitted):
        svc.cases.fire(case.ref, "extend_investigation", {}, actor="wang", reason="自己批准")

    # The employer absconds: the clock is suspended for 10 days (2026-03-10 .. 03-20).
    clock.set(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    svc.cases.fire(case.ref, "suspend", {}, actor="chen", reason="用人单位负责人逃匿，无法调查")
    [inv] = svc.queries.get_case(case.ref).timers
    assert inv.paused is True
    clock.set(datetime(2026, 7, 20, 2, 0, tzinfo=UTC))
    assert svc.sweeper.sweep().escalated == 0  # a paused timer never fires
    svc.cases.fire(case.ref, "resume", {}, actor="chen", reason="已找到负责人")
    [inv] = svc.queries.get_case(case.ref).timers
    # Paused from 03-10 to 07-20 (exclusive): the 90 working days resume counting from
    # 07-20 with the 5 working days used before the pause (03-03..03-09).
    rt = compute_deadline(
        START,
        Period(60, Unit.WORKING_DAYS),
        cal,
        pauses=(Pause(date(2026, 3, 10), date(2026, 7, 20)),),
        extensions=(Period(30, Unit.WORKING_DAYS),),
    )
    assert inv.last_day == rt.last_day.isoformat() and not inv.paused
    assert date.fromisoformat(inv.last_day) > date(2026, 7, 10)
    events = [
        e
        for e in svc.queries.history(case.ref)
        if e.trigger in {"extend_investigation", "suspend", "resume"}
    ]
    assert [(e.actor, e.payload.get("_clock")) for e in events] == [
        ("zhou", {"extend": "investigation", "by": {"amount": 30, "unit": "working_days"}}),
        ("chen", {"pause": True}),
        ("chen", {"resume": True}),
    ]
    assert all(e.reason for e in events)
