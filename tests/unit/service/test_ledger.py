"""The 台账 rows and statistics on the in-memory services: the figures of a case as it
recorded them, the deadlines met or missed, a fine and its payment, the period and the
reader's view."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.errors import InvalidInput
from tests.fakes import FakeStore
from tests.unit.service._flows import complaint, to_payment_ordered
from tests.unit.workflows._harness import fake_app

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def clock() -> FixedClock:
    from tests.shared import START

    return FixedClock(START)


@pytest.fixture
def app(clock: FixedClock) -> App:
    return fake_app("dingan", clock)


def test_a_wage_case_in_the_ledger(app: App, clock: FixedClock) -> None:
    ref = to_payment_ordered(app, clock).ref
    clock.set(clock.now() + timedelta(days=1))  # paid the next day (never a future date)
    payment = {"amount": "50000", "paid_on": "2026-03-13", "evidence": "转账凭证"}
    app.cases.fire(ref, "record_payment", payment, actor="wang")
    complaint(app)  # a second case, just registered
    ledger = app.ledger.ledger(*YEAR)
    row = next(r for r in ledger.rows if r.ref == ref)
    assert (row.claimed, row.admitted, row.ordered) == (
        Decimal("1200000.00"),
        Decimal("1050000.00"),
        Decimal("1050000.00"),
    )
    assert row.paid == Decimal("50000.00") and row.outstanding == Decimal("1000000.00")
    assert row.workers == 72 and row.payments == [(date(2026, 3, 13), Decimal("50000.00"))]
    assert row.steps["受理立案"] == date(2026, 3, 2)
    assert row.documents and all(number for _, number in row.documents)
    assert {d.status for d in row.deadlines} >= {"按期", "进行中"}
    stats = ledger.statistics
    assert stats.opened["2026-03", "农民工工资拖欠案件查处"] == 2
    assert stats.recovered["2026-03"] == Decimal("50000.00") and stats.workers["2026-03"] == 72


def test_a_fine_and_a_missed_deadline_count(app: App, clock: FixedClock) -> None:
    ref = complaint(app).ref
    clock.set(clock.now() + timedelta(days=30))
    app.sweeper.sweep()  # the intake decision window passes: escalated, overdue
    store = app.context.uow
    assert isinstance(store, FakeStore)
    penalty = {"decision": {"fine": "20000", "decided_on": "2026-04-01"}, "paid_total": "5000"}
    store.state.cases[ref].data["penalty"] = penalty
    ledger = app.ledger.ledger(*YEAR)
    [row] = ledger.rows
    assert row.deadlines_missed == 1 and row.overdue
    assert (row.fine, row.fine_paid) == (Decimal("20000.00"), Decimal("5000.00"))
    stats = ledger.statistics
    assert stats.overdue[row.unit] == 1 and stats.missed[row.unit] == 1
    assert stats.fines["2026-04"] == Decimal("20000.00")
    assert stats.fines_paid["2026-04"] == Decimal("5000.00")


def test_the_period_and_the_view(app: App) -> None:
    ref = complaint(app).ref  # registered on 2 March 2026
    assert app.ledger.ledger(date(2026, 2, 1), date(2026, 2, 28)).rows == []  # not yet
    april = app.ledger.ledger(date(2026, 4, 1), date(2026, 4, 30))
    assert [r.ref for r in april.rows] == [ref]  # still being handled in April (在办)
    assert not april.statistics.opened  # but not registered in April
    store = app.context.uow
    assert isinstance(store, FakeStore)
    store.state.cases[ref].closed_at = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)
    assert app.ledger.ledger(date(2026, 4, 1), date(2026, 4, 30)).rows == []  # closed before
    with pytest.raises(InvalidInput):
        app.ledger.ledger(date(2026, 4, 1), date(2026, 3, 1))
    with pytest.raises(InvalidInput):
        app.ledger.ledger(date(2020, 1, 1), date(2026, 3, 1))
    outsider = app.users.add_user("qian", "supervisor", "县社会保险基金监督股", actor="admin")
    scope = app.queries.scope_of(outsider)
    assert app.ledger.ledger(*YEAR, scope).rows == []
    assert len(app.ledger.ledger(*YEAR).rows) == 1


def test_the_workbook_is_formatted(app: App, clock: FixedClock) -> None:
    to_payment_ordered(app, clock)
    book = load_workbook(io.BytesIO(app.ledger.workbook(app.ledger.ledger(*YEAR))))
    assert book.sheetnames == ["统计", "农民工工资拖欠案件查处"]
    ws = book["农民工工资拖欠案件查处"]
    header = [c.value for c in ws[1]]
    assert header[:6] == [
        "案件编号",
        "当事人",
        "统一社会信用代码",
        "案件来源",
        "承办单位",
        "登记日期",
    ]
    assert "受理立案" in header and header[-1] == "办理结果"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert ws.column_dimensions["B"].width == 30
    claimed = ws.cell(2, header.index("主张金额（元）") + 1)
    assert claimed.value == 1200000.0 and claimed.number_format == "#,##0.00"
    assert ws.cell(2, header.index("受理立案") + 1).is_date
