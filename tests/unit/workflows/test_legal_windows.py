"""Windows counted from the legal event, checked against an oracle that does not use the
engine's calendar: chinesecalendar's working days and the counting rules of 民法典 arts.
201–203 written out here (the event's day not counted; a last day that is not a working
day moves to the next one; months end on the corresponding day or the month's last)."""

from __future__ import annotations

import calendar as gregorian
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import chinese_calendar
import pytest

from engine.deadlines import LOCAL_TZ
from engine.domain.errors import GuardFailed, NotPermitted, PayloadInvalid, WindowNotPassed
from engine.service.read_models import BoardQuery
from tests.unit.workflows._harness import Harness

ONE = timedelta(days=1)


def working(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def roll(day: date) -> date:
    while not working(day):
        day += ONE
    return day


def days_after(event: date, n: int) -> date:
    return roll(event + timedelta(days=n))


def working_days_after(event: date, n: int) -> date:
    day = event
    while n:
        day += ONE
        n -= working(day)
    return day


def months_after(event: date, n: int) -> date:
    index = event.year * 12 + event.month - 1 + n
    year, month = divmod(index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return roll(date(year, month + 1, min(event.day, last)))


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), LOCAL_TZ)


def decided(h: Harness, on: str, fine: str = "20000") -> None:
    """A case whose penalty was decided on ``on`` (the decision waits to be served)."""
    h.case.state = "penalty_decided"
    h.case.data = {
        "accepted_on": on,
        "penalty": {
            "filed_on": on,
            "decision": {"fine": fine, "decided_on": on},
            "paid_total": "0.00",
            "payments": [],
        },
    }


def serve(h: Harness, served_on: str) -> None:
    h.fire("serve_decision", {"served_on": served_on, "method": "direct"}, "wang")


def test_the_fine_and_remedy_windows_run_from_service_not_from_its_recording() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-01")
    h.clock.set(at("2025-04-07"))
    serve(h, "2025-04-02")
    timers = h.timers
    served = date(2025, 4, 2)
    assert timers["fine_payment"].last_day == days_after(served, 15).isoformat() == "2025-04-17"
    assert timers["reconsideration_period"].last_day == days_after(served, 60).isoformat()
    assert timers["lawsuit_period"].last_day == months_after(served, 6).isoformat()
    assert "行政复议法》第二十条" in timers["reconsideration_period"].basis
    assert "行政诉讼法》第四十六条" in timers["lawsuit_period"].basis
    with h.app.context.uow(readonly=True) as uow:
        board = uow.timers.open_deadlines(BoardQuery(case=h.ref), h.now)
    on_board = {e.timer.name for e in board.items}
    assert {"fine_payment", "reconsideration_period", "lawsuit_period"} <= on_board
    assert all(timers[n].reminders == [3, 1] for n in on_board if n != "intake_decision")


def test_a_service_date_in_the_future_or_before_the_decision_is_refused_whole() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-03")
    h.clock.set(at("2025-04-07"))
    with pytest.raises(PayloadInvalid, match="晚于今天") as future:
        serve(h, "2025-04-08")
    assert future.value.code == "PAYLOAD_INVALID"
    with pytest.raises(PayloadInvalid, match="早于处罚决定日期"):
        serve(h, "2025-04-02")
    assert h.case.state == "penalty_decided"
    assert not {"fine_payment", "reconsideration_period", "lawsuit_period"} & set(h.timers)


def test_the_police_reconsideration_window_runs_from_notification() -> None:
    h = Harness("wage_arrears", start=at("2025-06-18"))
    h.case.state = "transferred"
    h.case.data = {
        "transfer_matter": "wage_arrears",
        "referrals": [{"no": 1, "department": "police", "status": "sent", "sent_on": "2025-06-18"}],
    }
    h.clock.set(at("2025-06-22"))
    answer = {"notice_no": "定公不立字〔2025〕3号", "notified_on": "2025-06-20", "reason": "不够"}
    h.fire("police_decline", answer, "wang")
    window = h.timers["reconsideration_window"]
    assert window.last_day == days_after(date(2025, 6, 20), 3).isoformat() == "2025-06-23"


def test_the_arbitration_windows_run_from_application_and_acceptance() -> None:
    h = Harness("arbitration_referral", start=at("2025-05-28"))
    h.clock.set(at("2025-06-03"))
    application = {"applied_on": "2025-05-30", "applicants": 3, "committee": "定安县仲裁委"}
    h.fire("record_application", application, "wang")
    acceptance = h.timers["acceptance"].last_day
    assert acceptance == days_after(date(2025, 5, 30), 5).isoformat() == "2025-06-04"
    h.clock.set(at("2025-06-06"))
    with pytest.raises(PayloadInvalid, match="早于申请仲裁日期"):
        h.fire("record_acceptance", {"decided_on": "2025-05-29"}, "wang")
    h.fire("record_acceptance", {"decided_on": "2025-06-04"}, "wang")
    assert h.timers["award"].last_day == days_after(date(2025, 6, 4), 45).isoformat()


def test_the_investigation_runs_from_acceptance_even_with_one_inspector() -> None:
    h = Harness("wage_arrears", start=at("2025-09-26"))
    h.case.assignees = ["wang"]
    h.fire("accept", {}, "wang")
    expected = working_days_after(date(2025, 9, 26), 60).isoformat()
    assert h.timers["investigation"].last_day == expected
    with h.app.context.uow(readonly=True) as uow:
        board = uow.timers.open_deadlines(BoardQuery(case=h.ref), h.now)
    assert [(e.timer.name, e.timer.last_day) for e in board.items] == [("investigation", expected)]
    # Starting the investigation later keeps the deadline counted from 立案.
    h.case.assignees = ["wang", "li"]
    h.clock.set(at("2025-10-15"))
    h.fire("start_investigation", None, "wang")
    assert h.timers["investigation"].last_day == expected


def test_the_decision_limit_runs_ninety_days_from_acceptance() -> None:
    h = Harness("wage_arrears", start=at("2025-03-03"))
    h.case.state = "administrative_handling"
    h.case.data = {"accepted_on": "2025-03-03"}
    h.clock.set(at("2025-04-20"))
    notice = {
        "facts": "拖欠工资",
        "evidence": "工资台账",
        "basis": "《劳动保障监察条例》第二十六条",
        "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
        "proposed_fine": "20000",
        "hearing_right": True,
    }
    h.fire("issue_penalty_notice", notice, "wang")
    limit = h.timers["decision_limit"]
    assert limit.last_day == days_after(date(2025, 3, 3), 90).isoformat()
    assert "行政处罚法》第六十条" in limit.basis and limit.remind_at is not None
    with h.app.context.uow(readonly=True) as uow:
        board = uow.timers.open_deadlines(BoardQuery(case=h.ref), h.now)
    assert "decision_limit" in {e.timer.name for e in board.items}
    # The limit passes unheeded: the sweep escalates the case to the supervisors.
    h.clock.set(limit.due_at + timedelta(minutes=1))
    assert h.app.sweeper.sweep().escalated >= 1
    assert h.case.overdue is True


def test_the_written_opinion_window_runs_from_receipt_of_the_report() -> None:
    h = Harness("fund_audit", start=at("2025-09-01"))
    h.case.state = "inspecting"
    h.case.data = {"onsite": {"visit_on": "2025-09-05"}}
    h.clock.set(at("2025-09-12"))
    report = {"findings": "违规", "amount": "1000", "received_by": "吴某"}
    with pytest.raises(PayloadInvalid, match="早于现场检查日期"):
        h.fire("send_report", {**report, "received_on": "2025-09-04"}, "wang")
    h.fire("send_report", {**report, "received_on": "2025-09-08"}, "wang")
    period = h.settings.period("written_opinion_period")
    assert period.amount == 10 and str(period.unit) == "days"
    expected = days_after(date(2025, 9, 8), 10).isoformat()
    assert h.timers["written_opinion"].last_day == expected


def test_a_late_sweep_leaves_the_surcharge_and_the_enforcement_window_in_place() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-01")
    h.clock.set(at("2025-04-03"))
    serve(h, "2025-04-02")
    fine_end = days_after(date(2025, 4, 2), 15)
    h.clock.set(at((fine_end + timedelta(days=5)).isoformat()))  # the worker was down
    assert h.app.sweeper.sweep().fired == 1
    first_late_day = fine_end + ONE
    assert h.case.data["penalty"]["overdue_since"] == first_late_day.isoformat()
    # Paid two days late: fine plus 2 × 3 % (行政处罚法第七十二条), accepted in full.
    paid_on = (fine_end + timedelta(days=2)).isoformat()
    h.fire("record_fine_payment", {"amount": "21200.00", "paid_on": paid_on}, "wang")
    assert h.case.state == "penalty_concluded"


def test_a_late_sweep_counts_enforcement_from_the_lapse_of_the_remedies() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-01")
    h.clock.set(at("2025-04-03"))
    serve(h, "2025-04-02")
    lawsuit_end = months_after(date(2025, 4, 2), 6)
    h.clock.set(at((lawsuit_end + timedelta(days=5)).isoformat()))
    h.app.sweeper.sweep()
    assert h.case.state == "awaiting_enforcement"
    assert h.case.data["penalty"]["remedies_lapsed_on"] == lawsuit_end.isoformat()
    expected = months_after(lawsuit_end, 3).isoformat()
    assert h.timers["enforcement_application"].last_day == expected
    # The surcharge ran from the day after the fine deadline, capped at the fine.
    assert (
        h.case.data["penalty"]["overdue_since"]
        == (days_after(date(2025, 4, 2), 15) + ONE).isoformat()
    )
    h.fire("issue_enforcement_reminder", None, "wang")
    assert h.timers["enforcement_application"].last_day == expected  # it runs on
    assert Decimal(h.case.data["penalty"]["owed_at_reminder"]) == Decimal("40000.00")


def test_a_payment_dated_in_the_future_or_before_the_decision_is_refused() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-02")
    h.clock.set(at("2025-04-03"))
    serve(h, "2025-04-03")
    with pytest.raises(GuardFailed, match="晚于今天"):
        h.fire("record_fine_payment", {"amount": "100", "paid_on": "2025-04-04"}, "wang")
    with pytest.raises(GuardFailed, match="早于处罚决定日期"):
        h.fire("record_fine_payment", {"amount": "100", "paid_on": "2025-04-01"}, "wang")


def test_penalty_decisions_are_the_heads_and_collective_when_complex() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    h.case.state = "penalty_deciding"
    h.case.data = {
        "accepted_on": "2025-04-01",
        "penalty": {
            "facts": "拖欠工资",
            "evidence": "工资台账",
            "basis": "《劳动保障监察条例》第二十六条",
            "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
            "hearing_right": False,
            "filed_on": "2025-04-01",
            "proposed_fine": "20000",
            "noticed_on": "2025-04-01",
        },
    }
    h.case.data["penalty"]["legal_review"] = {"passed": True, "complex_or_major": True}
    decision = {"fine": "20000", "reasons": "事实清楚"}
    with pytest.raises(NotPermitted):
        h.fire("decide_penalty", decision, "chen")
    with pytest.raises(GuardFailed, match="第五十七条第二款"):
        h.fire("decide_penalty", decision, "zhou")
    discussed = {
        **decision,
        "discussed_on": "2025-04-01",
        "discussion_participants": "周局长、吴副局长、郑副局长",
        "discussion_conclusion": "同意罚款二万元",
    }
    h.fire("decide_penalty", discussed, "zhou")
    recorded = h.case.data["penalty"]["decision"]
    assert recorded["by"] == "zhou" and recorded["by_title"] == "局长"
    assert recorded["collective_discussion"] == {
        "held_on": "2025-04-01",
        "participants": ["周局长", "吴副局长", "郑副局长"],
        "conclusion": "同意罚款二万元",
    }


def test_a_wage_payment_dated_in_the_future_or_before_the_order_is_refused() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    h.case.state = "payment_ordered"
    h.case.data = {
        "findings": {"admitted": "10000", "disputed": "0"},
        "payment_order": {"ordered_on": "2025-04-01", "amount": "10000.00"},
    }
    h.clock.set(at("2025-04-03"))
    with pytest.raises(GuardFailed, match="晚于今天"):
        h.fire("record_payment", {"amount": "100", "paid_on": "2025-04-04"}, "wang")
    with pytest.raises(GuardFailed, match="早于责令支付日期"):
        h.fire("record_payment", {"amount": "100", "paid_on": "2025-03-31"}, "wang")
    h.fire("record_payment", {"amount": "100", "paid_on": "2025-04-02"}, "wang")
    assert h.case.data["paid_total"] == "100.00"


def test_the_intake_window_runs_from_receipt_of_the_complaint() -> None:
    h = Harness("wage_arrears", start=at("2025-06-05"))
    opened = h.app.cases.open_case(
        procedure="wage_arrears",
        subject=h.case.subject,
        source="投诉",
        actor="wang",
        data={"received_on": "2025-06-03"},
    )
    with h.app.context.uow(readonly=True) as uow:
        [timer] = uow.timers.for_case(opened.ref)
    assert timer.last_day == working_days_after(date(2025, 6, 3), 5).isoformat()
    with pytest.raises(PayloadInvalid, match="晚于今天"):
        h.app.cases.open_case(
            procedure="wage_arrears",
            subject=h.case.subject,
            source="投诉",
            actor="wang",
            data={"received_on": "2025-06-06"},
        )
    with h.app.context.uow(readonly=True) as uow:
        assert uow.cases.count() == 2  # the refused registration wrote nothing


def test_a_window_recorded_late_skips_the_reminders_already_gone() -> None:
    h = Harness("wage_arrears", start=at("2025-04-01"))
    decided(h, "2025-04-01")
    h.clock.set(at("2025-04-15"))
    serve(h, "2025-04-02")  # the fine window ends 04-17 (Thursday)
    fine = h.timers["fine_payment"]
    assert fine.last_day == "2025-04-17"
    # 3 working days before (04-14) is gone; 1 working day before (04-16) is still due.
    one_before = working_days_after(date(2025, 4, 15), 1)
    assert fine.remind_at == datetime.combine(one_before, time(8), LOCAL_TZ)
    h.clock.set(datetime.combine(one_before, time(9), LOCAL_TZ))
    h.app.sweeper.sweep()
    assert h.timers["fine_payment"].reminders_sent == [1]


def test_the_hearing_request_window_runs_from_receipt_of_the_notice() -> None:
    h = Harness("wage_arrears", start=at("2025-03-03"))
    h.case.state = "administrative_handling"
    h.case.data = {"accepted_on": "2025-03-03"}
    notice = {
        "facts": "拖欠工资",
        "evidence": "工资台账",
        "basis": "《劳动保障监察条例》第二十六条",
        "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
        "proposed_fine": "20000",
        "hearing_right": True,
    }
    h.fire("issue_penalty_notice", notice, "wang")  # Monday 03-03
    limit = h.timers["decision_limit"].last_day
    h.clock.set(at("2025-03-07"))
    with pytest.raises(PayloadInvalid, match="早于事先告知日期"):
        h.fire("record_notice_service", {"served_on": "2025-03-02", "method": "post"}, "wang")
    h.fire("record_notice_service", {"served_on": "2025-03-06", "method": "post"}, "wang")
    window = h.timers["hearing_request"]
    assert window.last_day == working_days_after(date(2025, 3, 6), 5).isoformat()
    assert h.timers["decision_limit"].last_day == limit  # still from 立案
    # Five working days from the issue (03-10) are not the party's: no lapse then.
    h.clock.set(at("2025-03-11"))
    with pytest.raises(WindowNotPassed):
        h.fire("notice_period_lapsed", None, "system")


def test_without_the_notices_receipt_the_lapse_escalates_instead_of_moving_on() -> None:
    h = Harness("wage_arrears", start=at("2025-03-03"))
    h.case.state = "administrative_handling"
    h.case.data = {"accepted_on": "2025-03-03"}
    notice = {
        "facts": "拖欠工资",
        "evidence": "工资台账",
        "basis": "《劳动保障监察条例》第二十六条",
        "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
        "proposed_fine": "20000",
        "hearing_right": True,
    }
    h.fire("issue_penalty_notice", notice, "wang")
    h.clock.set(h.timers["hearing_request"].due_at + timedelta(hours=1))
    result = h.app.sweeper.sweep()
    assert result.failed == 1 and h.case.state == "penalty_noticed" and h.case.overdue
    assert "尚未登记送达" in h.last_event.reason
