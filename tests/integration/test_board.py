"""The supervisors' deadline board and daily digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from typer.testing import CliRunner

from db import board, timers
from db.cases import cases_t
from db.timers import timers_t
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


def test_board_merges_running_and_held_deadlines_in_due_order(
    staffed: App, clock: FixedClock
) -> None:
    """The board reads running deadlines and held ones (expired, paused) from two partial
    indexes and merges them: every group in due order, pages cut across both."""
    clock.set(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    refs = [open_complaint(staffed).ref for _ in range(7)]
    now = clock.now()
    layout = [  # status, paused, due in days from now
        ("pending", False, -2),  # overdue, not yet swept
        ("expired", False, -3),
        ("pending", True, 5),
        ("pending", False, 1),
        ("expired", False, -1),
        ("pending", True, -4),  # paused after its deadline passed: in the overdue group
        ("cancelled", False, -5),  # ended: not on the board
    ]
    with staffed.db.begin() as conn:
        for ref, (status, paused, days) in zip(refs, layout, strict=True):
            case_id = conn.execute(sa.select(cases_t.c.id).where(cases_t.c.ref == ref)).scalar()
            conn.execute(
                sa.update(timers_t)
                .where(timers_t.c.case_id == case_id)
                .values(status=status, paused=paused, due_at=now + timedelta(days=days))
            )
    expected = [refs[i] for i in (5, 1, 0, 4, 3, 2)]
    assert [r.case_ref for r in staffed.board.all_rows()] == expected
    for per_page in (1, 2, 4):
        pages = [
            staffed.board.rows(BoardQuery(page=page, per_page=per_page))
            for page in range(1, 7 // per_page + 2)
        ]
        assert {p.total for p in pages} == {6}
        assert [r.case_ref for p in pages for r in p.items] == expected
    assert [r.case_ref for r in staffed.board.all_rows(BoardQuery(due_within_days=0))] == (
        expected[:4]
    )


def test_the_board_reads_running_timers_by_the_sweeps_predicate() -> None:
    """The board's running range is the sweep's partial index: the same predicate text."""
    assert board.RUNNING.text == timers.RUNNING.text
