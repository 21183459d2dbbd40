"""The sweep, the deadline board, the calendar import and verification on the in-memory
store: exactly once, overdue first, provisional deadlines recomputed, tampering found."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.errors import InvalidInput, NotPermitted
from engine.domain.timers import TimerStatus
from engine.service.read_models import BoardQuery, CaseQuery
from tests.fakes import FakeStore
from tests.unit.service._flows import complaint, to_payment_ordered


def _store(app: App) -> FakeStore:
    store = app.context.uow
    assert isinstance(store, FakeStore)
    return store


def test_the_sweep_fires_a_due_timer_once_as_the_system(app: App, clock: FixedClock) -> None:
    case = to_payment_ordered(app, clock)
    [timer] = app.queries.get_case(case.ref).timers
    clock.set(timer.due_at - timedelta(minutes=1))
    assert app.sweeper.sweep().fired == 0
    clock.set(timer.due_at + timedelta(minutes=1))
    assert app.sweeper.sweep().fired == 1
    assert app.sweeper.sweep().total == 0
    view = app.queries.get_case(case.ref)
    assert view.case.state == "unpaid" and view.timers == []
    last = app.queries.history(case.ref)[-1]
    assert (last.actor, last.trigger) == ("system", "payment_deadline_passed")
    fired = [t for t in _store(app).state.timers.values() if t.name == "payment_deadline"]
    assert [t.status for t in fired] == [TimerStatus.FIRED]
    assert {n.kind for n in app.notifications.list()} >= {"timer_fired"}


def test_reminders_then_escalation_of_an_intake_window(app: App, clock: FixedClock) -> None:
    case = complaint(app)  # Monday 2026-03-02; 5 working days → 03-09
    clock.set(datetime(2026, 3, 4, 0, 30, tzinfo=UTC))
    assert app.sweeper.sweep().reminders == 1
    clock.set(datetime(2026, 3, 9, 16, 1, tzinfo=UTC))  # 03-10 00:01 Beijing
    result = app.sweeper.sweep()
    assert result.escalated == 1 and result.reminders == 0
    kinds = [str(e.kind) for e in app.queries.history(case.ref)]
    assert kinds == ["opened", "reminder", "overdue"]
    assert {n.recipient for n in app.notifications.list(kind="overdue")} == {"chen", "wang"}
    assert app.queries.get_case(case.ref).case.overdue


def test_board_overdue_first_then_running_then_paused(app: App, clock: FixedClock) -> None:
    late = complaint(app).ref
    clock.set(clock.now() + timedelta(days=3))
    paused = to_payment_ordered(app, clock).ref
    soon = complaint(app, actor="zhao").ref
    app.cases.fire(paused, "advise_arbitration", actor="li")
    clock.set(datetime(2026, 3, 10, 16, 30, tzinfo=UTC))
    app.sweeper.sweep()
    rows = app.board.all_rows()
    refs = [r.case_ref for r in rows if r.procedure == "wage_arrears"]
    assert refs[0] == late and rows[0].overdue
    assert app.board.rows(BoardQuery(per_page=1)).total == len(rows)
    assert [r.case_ref for r in app.board.all_rows(BoardQuery(inspector="zhao"))] == [soon]
    page2 = app.board.rows(BoardQuery(page=2, per_page=1))
    assert page2.items[0].case_ref == rows[1].case_ref
    with pytest.raises(InvalidInput):
        app.board.rows(BoardQuery(page=0))


def test_search_filters_and_paginates(app: App, clock: FixedClock) -> None:
    refs = []
    for _ in range(5):
        refs.append(complaint(app).ref)
        clock.set(clock.now() + timedelta(hours=1))
    first = app.queries.search(CaseQuery(per_page=2))
    assert [c.summary.ref for c in first.items] == [refs[4], refs[3]]
    assert (first.total, first.pages, first.has_next) == (5, 3, True)
    assert app.queries.search(CaseQuery(text=refs[2])).items[0].summary.ref == refs[2]
    assert app.queries.search(CaseQuery(text="建筑劳务")).total == 5
    assert app.queries.search(CaseQuery(text="91469021MA5T3XY14R")).total == 5
    assert app.queries.search(CaseQuery(inspector="li")).total == 0
    assert app.queries.search(CaseQuery(state="registered", open_only=True)).total == 5
    listing = first.items[0]
    assert (listing.procedure_title, listing.state_label) == (
        "农民工工资拖欠案件查处",
        "投诉已登记",
    )
    with pytest.raises(InvalidInput):
        app.queries.search(CaseQuery(per_page=10_000))


def test_verify_finds_an_edited_event(app: App) -> None:
    case = complaint(app)
    app.cases.add_note(case.ref, "原始备注", actor="wang")
    assert app.queries.verify().broken == []
    history = _store(app).state.history[case.ref]
    history[1] = replace(history[1], payload={"text": "改过的备注"})
    [broken] = app.queries.verify().broken
    assert (broken.case_ref, broken.seq) == (case.ref, 2)


CALENDAR = """
[[year]]
year = 2026
source = "测试用安排"
holidays = [ { name = "测试假", from = 2026-03-03, to = 2026-03-04 } ]
"""


def test_calendar_import_is_the_admins_and_invalidates_the_cache(app: App) -> None:
    with pytest.raises(NotPermitted, match="导入放假安排"):
        app.calendar.import_arrangements(CALENDAR, actor="chen")
    before = app.context.current_calendar()
    result = app.calendar.import_arrangements(CALENDAR, actor="admin")
    assert result.years == [2026] and result.replaced == []
    assert app.context.current_calendar() is not before
    assert app.calendar.show_year(2026).kind == "imported"


def test_one_failing_timer_is_undone_alone_and_the_batch_commits_once(
    app: App, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = [to_payment_ordered(app, clock).ref for _ in range(3)]
    due = max(t.due_at for r in refs for t in app.queries.get_case(r).timers)
    clock.set(due + timedelta(minutes=1))
    real = app.cases.fire_in

    def fire_in(uow, case, *args, **kw):  # type: ignore[no-untyped-def]
        if case.ref == refs[1]:
            raise InvalidInput("测试", "无法自动办理")
        return real(uow, case, *args, **kw)

    monkeypatch.setattr(app.cases, "fire_in", fire_in)
    commits = _store(app).commits
    result = app.sweeper.sweep(batch=10)
    assert (result.fired, result.failed) == (2, 1)
    assert _store(app).commits == commits + 1  # one batch, one commit
    states = [app.queries.get_case(r).case for r in refs]
    assert [c.state for c in states] == ["unpaid", "payment_ordered", "unpaid"]
    assert [c.overdue for c in states] == [False, True, False]  # escalated instead
    failed = [t for t in _store(app).state.timers.values() if t.case_id == states[1].id]
    assert [t.status for t in failed if t.name == "payment_deadline"] == [TimerStatus.EXPIRED]
    assert app.sweeper.sweep().total == 0
