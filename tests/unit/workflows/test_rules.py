"""The rules the procedures enforce, one by one, on in-memory cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from engine.domain.errors import GuardFailed, PayloadInvalid
from tests.unit.workflows._harness import Harness
from tests.unit.workflows._payloads import example
from tests.unit.workflows.tours import Step, Tour, run
from workflows.blocks.penalty.payloads import HearingNotice, PenaltyNotice, late_surcharge


def walk(procedure: str, tour: Tour) -> Harness:
    """The harness after the tour's last step."""
    steps = list(run(procedure, tour))
    return steps[-1][0]


@pytest.mark.parametrize(
    ("fine", "days", "surcharge"),
    [("1000", 0, "0.00"), ("1000", 1, "30.00"), ("1000", 20, "600.00"), ("1000", 34, "1000.00")],
)
def test_late_surcharge_is_three_percent_a_day_at_most_the_fine(
    fine: str, days: int, surcharge: str
) -> None:
    assert late_surcharge(Decimal(fine), days) == Decimal(surcharge)


def test_the_sweep_starts_the_surcharge_and_the_payment_includes_it() -> None:
    h = walk(
        "medical_institutions",
        [
            "start_check",
            *(Step("record_check_step", {"step": s}) for s in ("materials", "records", "onsite")),
            "record_violations",
            Step("issue_penalty_notice", {"proposed_fine": "10000"}),
            "record_notice_service",
            Step("notice_period_lapsed", days=8),
            "complete_legal_review",
            Step("decide_penalty", {"fine": "10000"}),
            "serve_decision",
            Step("fine_deadline_passed", days=16),
        ],
    )
    assert h.case.data["penalty"]["overdue_since"] == h.today.isoformat()
    h.advance(2)  # the first late day and two more: 3 days × 3 % of 10,000
    paid_on = h.today.isoformat()
    with pytest.raises(GuardFailed, match=r"超过应缴的10900\.00元"):
        h.fire("record_fine_payment", {"amount": "11000", "paid_on": paid_on}, "wang")
    h.fire("record_fine_payment", {"amount": "10000", "paid_on": paid_on}, "wang")
    assert h.case.state == "decision_served"  # 900 yuan of surcharge still owed
    h.fire("record_fine_payment", {"amount": "900", "paid_on": paid_on}, "wang")
    assert h.case.state == "penalty_concluded"
    assert h.case.data["penalty"]["result"] == "executed"


def test_no_heavier_penalty_after_the_party_was_heard() -> None:
    h = walk(
        "medical_institutions",
        [
            "start_check",
            *(Step("record_check_step", {"step": s}) for s in ("materials", "records", "onsite")),
            "record_violations",
            Step("issue_penalty_notice", {"proposed_fine": "10000"}),
            "waive_rights",
            "complete_legal_review",
        ],
    )
    with pytest.raises(GuardFailed, match="第四十五条第二款"):
        h.fire("decide_penalty", {"fine": "20000", "reasons": "加重"}, "zhou")


def test_hearing_is_notified_seven_working_days_ahead_by_someone_else() -> None:
    h = Harness("wage_arrears")
    h.case.state = "hearing_requested"
    asked = {"requested_on": h.today.isoformat()}
    h.case.data = {
        "penalty": {
            "hearing_right": True,
            "hearing_request": asked,
            "filed_on": h.today.isoformat(),
        }
    }
    near = example(HearingNotice, h.today, hearing_on=(h.today + timedelta(days=5)).isoformat())
    with pytest.raises(GuardFailed, match="不足七个工作日"):
        h.fire("schedule_hearing", near, "wang")
    with pytest.raises(GuardFailed, match="不能主持听证"):
        h.fire("schedule_hearing", example(HearingNotice, h.today, host="li"), "wang")
    h.fire("schedule_hearing", example(HearingNotice, h.today), "wang")
    assert h.case.state == "hearing_scheduled"


def test_a_hearing_needs_the_right_to_one() -> None:
    h = Harness("wage_arrears")
    h.case.state = "penalty_noticed"
    h.case.data = {"penalty": example(PenaltyNotice, h.today, hearing_right=False)}
    with pytest.raises(GuardFailed, match="第六十三条"):
        h.fire("request_hearing", {"requested_on": h.today.isoformat()}, "wang")


def test_four_eyes_the_opener_may_not_approve() -> None:
    h = Harness("wage_arrears")
    h.case.opened_by = "zhou"
    h.case.state = "investigating"
    with pytest.raises(GuardFailed, match="回避"):
        h.fire("extend_investigation", {}, "zhou", "复杂")


def test_extension_only_before_the_investigation_runs_out() -> None:
    h = walk("wage_arrears", ["accept", "start_investigation"])
    h.advance(100)
    with pytest.raises(GuardFailed, match=r"调查期限已于.*届满"):
        h.fire("extend_investigation", {}, "zhou", "复杂")


def test_transfer_needs_the_threshold_and_the_order_served() -> None:
    small = {"workers": 1, "months": 1, "claimed": "3000", "admitted": "3000", "disputed": "0"}
    h = walk(
        "wage_arrears",
        [
            "accept",
            "start_investigation",
            Step("record_findings", small),
            "order_payment",
            Step("payment_deadline_passed", days=8),
        ],
    )
    assert h.case.data["criminal_threshold"]["met"] is False
    with pytest.raises(GuardFailed, match="未达到移送标准"):
        h.fire("propose_transfer", example_transfer(), "wang")
    h.fire("handle_administratively", None, "wang")
    assert h.case.state == "administrative_handling"


def test_a_met_threshold_forbids_administrative_handling_instead() -> None:
    h = walk("wage_arrears", [*WA_TO_UNPAID])
    assert h.case.data["criminal_threshold"]["met"] is True
    with pytest.raises(GuardFailed, match="不得以行政处罚代替移送"):
        h.fire("handle_administratively", None, "wang")


WA_TO_UNPAID: Tour = [
    "accept",
    "start_investigation",
    "record_findings",
    "order_payment",
    Step("payment_deadline_passed", days=8),
]


def example_transfer() -> dict[str, str]:
    return {"offence": "拒不支付劳动报酬罪", "facts": "逾期不支付", "evidence": "笔录"}


def test_transfer_needs_the_order_served() -> None:
    h = walk("wage_arrears", WA_TO_UNPAID)
    with pytest.raises(GuardFailed, match="责令支付文书尚未送达"):
        h.fire("propose_transfer", example_transfer(), "wang")


def test_posting_needs_photo_or_video() -> None:
    h = walk("wage_arrears", WA_TO_UNPAID[:4])
    bad = {"served_on": h.today.isoformat(), "method": "posting", "place": "门口", "evidence": []}
    with pytest.raises(PayloadInvalid, match="拍照或录像"):
        h.fire("record_order_service", bad, "wang")


def test_referrals_follow_the_boundary_table() -> None:
    h = walk("wage_arrears", WA_TO_UNPAID)
    with pytest.raises(GuardFailed, match="不能移送"):
        h.fire("refer", {"department": "tax", "facts": "x"}, "wang")
    with pytest.raises(GuardFailed, match="propose_transfer"):
        h.fire("refer", {"department": "police", "facts": "x"}, "wang")
    h.fire("refer", {"department": "housing_construction", "facts": "逾期未改正"}, "wang")
    [referral] = h.case.data["referrals"][-1:]
    assert (referral["name"], referral["kind"], referral["status"]) == (
        "县住房和城乡建设局",
        "administrative",
        "sent",
    )
    with pytest.raises(GuardFailed, match="没有向"):
        h.fire(
            "record_referral_answer",
            {"department": "court", "answer": "x", "answered_on": "2026-04-01"},
            "wang",
        )


@pytest.mark.parametrize(
    ("matter", "message"),
    [("no_such_matter", "没有事项"), ("death_gratuity", "不由劳动保障监察程序办理")],
)
def test_labour_inspection_takes_only_its_matters(matter: str, message: str) -> None:
    h = Harness("labour_inspection")
    with pytest.raises(GuardFailed, match=message):
        h.fire("accept", {"source_kind": "report", "matter": matter}, "wang")


def test_fund_audit_visit_is_notified_three_days_ahead() -> None:
    h = Harness("fund_audit")
    early = {"visit_on": (h.today + timedelta(days=2)).isoformat(), "scope": "x", "materials": "y"}
    with pytest.raises(GuardFailed, match="3日前"):
        h.fire("notify_inspection", early, "wang")
    h.fire(
        "notify_inspection",
        {**early, "visit_on": (h.today + timedelta(days=3)).isoformat()},
        "wang",
    )
    with pytest.raises(GuardFailed, match="不能提前进场"):
        h.fire("start_inspection", None, "wang")
