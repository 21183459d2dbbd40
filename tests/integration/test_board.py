"""The supervisors' deadline board and daily digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from typer.testing import CliRunner

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.entrypoints.cli import app as cli_app
from engine.service.read_models import BoardQuery
from tests.integration.helpers import open_complaint


def _three_cases(app: App, clock: FixedClock) -> tuple[str, str, str]:
    svc = app
    clock.set(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))  # Mon 03-02: intake due 03-09
    late = open_complaint(app).ref
    clock.set(datetime(2026, 3, 9, 1, 30, tzinfo=UTC))  # Mon 03-09: intake due 03-16
    soon = open_complaint(app, actor="zhao").ref
    investigating = open_complaint(app).ref
    svc.cases.fire(investigating, "accept", {}, actor="wang")
    svc.cases.assign(investigating, ["wang", "li"], actor="chen")
    svc.cases.fire(investigating, "start_investigation", actor="li")  # 60 working days
    clock.set(datetime(2026, 3, 10, 16, 30, tzinfo=UTC))  # Wed 03-11 00:30 in Beijing
    svc.sweeper.sweep()  # escalates the first intake deadline
    return late, soon, investigating


def test_board_orders_overdue_first_and_counts_in_the_rules_unit(
    staffed: App, clock: FixedClock
) -> None:
    late, soon, investigating = _three_cases(staffed, clock)
    rows = staffed.board.all_rows()
    assert [(r.case_ref, r.timer) for r in rows] == [
        (late, "intake_decision"),
        (soon, "intake_decision"),
        (investigating, "investigation"),
    ]
    first, second, third = rows
    assert first.overdue and first.days_left < 0 and "逾期" in first.left_text
    # On Wed 03-11, 03-12/13/16 are the working days left before the 03-16 deadline.
    assert (second.days_left, second.left_text) == (3, "剩 3 个工作日")
    assert third.rule.label_zh == "60个工作日" and not third.overdue

    assert [r.case_ref for r in staffed.board.all_rows(BoardQuery(inspector="zhao"))] == [soon]
    within = staffed.board.all_rows(BoardQuery(due_within_days=7))
    assert [r.case_ref for r in within] == [late, soon]
    none = staffed.board.all_rows(BoardQuery(procedure="fund_audit"))
    assert none == []


def test_digest_once_per_supervisor_per_day(staffed: App, clock: FixedClock, db_url: str) -> None:
    late, soon, _ = _three_cases(staffed, clock)
    assert staffed.board.send_daily_digest() == 1
    assert staffed.board.send_daily_digest() == 0  # same day: not again
    with staffed.context.uow(readonly=True) as uow:
        [digest] = uow.notifications.list(kind="digest")
    assert digest.recipient == "chen"
    assert "逾期 1 件" in digest.subject and late in digest.body and soon in digest.body

    runner = CliRunner()
    out = runner.invoke(cli_app, ["--db", db_url, "deadlines", "--json", "--inspector", "wang"])
    data = json.loads(out.stdout)
    assert data[0]["case"] == late and data[0]["overdue"] is True
    text = runner.invoke(cli_app, ["--db", db_url, "notifications", "--user", "chen"])
    assert "期限日报" in text.stdout and "逾期督办" in text.stdout
