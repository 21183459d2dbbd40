"""Calendars and years: an imported arrangement keeps the provisional flag its file
declares; a document states which of its deadlines rest on a provisional year (暂定); case
and document numbers take the bureau's local year (Asia/Shanghai), not UTC's."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.bootstrap import App
from tests.unit.workflows._harness import Harness
from tests.unit.workflows._payloads import example
from workflows.procedures.wage_arrears.payloads import Findings

PROVISIONAL_2027 = """
[[year]]
year = 2027
source = "2027年放假安排（征求意见稿）"
provisional = true
holidays = [ { name = "春节", from = 2027-02-05, to = 2027-02-13 } ]
makeup_workdays = [2027-02-20]
"""


def ordered_at(start: datetime) -> Harness:
    """A wage-arrears case ordered to pay at ``start`` (its 限期改正指令书 issued)."""
    h = Harness("wage_arrears", start=start)
    h.case.state = "investigating"
    h.fire("record_findings", example(Findings, h.today), "wang")
    h.fire("order_payment", {}, "wang")
    return h


def test_a_provisional_file_stays_provisional(app: App) -> None:
    result = app.calendar.import_arrangements(PROVISIONAL_2027, actor="admin")
    assert result.years == [2027]
    view = app.calendar.show_year(2027)
    assert view.kind == "imported" and view.provisional is True
    calendar = app.context.current_calendar()
    assert calendar.is_provisional(datetime(2027, 2, 10).date())


def test_a_document_names_the_deadlines_resting_on_a_provisional_year() -> None:
    # 2026-12-28: the payment window runs into 2027, whose arrangement is not published.
    h = ordered_at(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))
    timer = h.timers["payment_deadline"]
    assert timer.last_day.startswith("2027-") and timer.provisional
    [order] = [d for d in h.issued if d.kind == "rectification_order"]
    assert order.data["provisional_deadlines"] == ["payment_deadline"]
    assert order.data["running_deadlines"]["payment_deadline"] == timer.last_day


def test_a_document_within_a_published_year_has_no_provisional_deadline() -> None:
    h = ordered_at(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    [order] = [d for d in h.issued if d.kind == "rectification_order"]
    assert order.data["provisional_deadlines"] == []


def test_numbers_take_the_local_year() -> None:
    # 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Beijing.
    h = ordered_at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert h.ref.startswith("WA2027-")
    [order] = [d for d in h.issued if d.kind == "rectification_order"]
    assert "〔2027〕" in order.number
