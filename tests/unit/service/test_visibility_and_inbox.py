"""Who sees which cases, and what each person's inbox holds."""

from __future__ import annotations

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.errors import CaseNotFound
from engine.service.read_models import BoardQuery, CaseQuery
from tests.fakes import FakeStore
from tests.unit.service._flows import complaint, to_payment_ordered


@pytest.fixture
def other_unit(app: App) -> App:
    app.users.add_user("qian", "inspector", "县社会保险基金监督股", "钱监察", actor="admin")
    app.users.add_user("feng", "supervisor", "县社会保险基金监督股", "冯股长", actor="admin")
    return app


def _sees(app: App, name: str, ref: str) -> bool:
    viewer = app.users.get(name)
    try:
        app.queries.visible_case(viewer, ref)
    except CaseNotFound as exc:
        assert exc.message == f"案件不存在或无权查看：{ref}"
        return False
    return True


def test_each_role_sees_its_own(other_unit: App) -> None:
    app = other_unit
    ref = complaint(app).ref  # wang's, of the inspection brigade
    assert _sees(app, "wang", ref) and _sees(app, "li", ref)  # li: same unit
    assert _sees(app, "chen", ref) and _sees(app, "zhou", ref)
    assert not _sees(app, "qian", ref) and not _sees(app, "feng", ref)
    assert not _sees(app, "sun", ref) and not _sees(app, "admin", ref)
    app.cases.assign(ref, ["qian"], actor="chen")  # an inspector of another unit, assigned
    assert _sees(app, "qian", ref)


def test_search_and_board_show_only_what_one_may_see(other_unit: App) -> None:
    app = other_unit
    complaint(app)
    complaint(app)
    for name, expected in [("chen", 2), ("zhou", 2), ("feng", 0), ("qian", 0), ("sun", 0)]:
        scope = app.queries.scope_of(app.users.get(name))
        assert app.queries.search(CaseQuery(scope=scope)).total == expected, name
        assert app.board.rows(BoardQuery(scope=scope)).total == expected, name


def test_legal_reviewers_see_cases_waiting_for_review(app: App, clock: FixedClock) -> None:
    ref = complaint(app).ref
    sun = app.users.get("sun")
    assert not _sees(app, "sun", ref)
    store = app.context.uow
    assert isinstance(store, FakeStore)
    store.state.cases[ref].procedure = "labour_inspection"  # a penalty waiting for review
    store.state.cases[ref].state = "legal_review"
    assert _sees(app, "sun", ref)
    scope = app.queries.scope_of(sun)
    assert app.queries.search(CaseQuery(scope=scope)).total == 1


def test_the_inbox_lists_my_cases_overdue_first_and_what_waits_for_me(
    app: App, clock: FixedClock
) -> None:
    ordered = to_payment_ordered(app, clock).ref
    fresh = complaint(app).ref
    inbox = app.inbox.for_user(app.users.get("wang"))
    assert [r.case.summary.ref for r in inbox.mine] == [fresh, ordered]
    assert inbox.mine[0].deadline is not None
    assert inbox.mine[0].deadline.timer == "intake_decision"
    assert app.inbox.for_user(app.users.get("chen")).waiting == []
    app.cases.fire(ordered, "record_payment", {"amount": "1050000", "paid_on": "2026-03-12"},
                   actor="wang")  # fmt: skip
    waiting = app.inbox.for_user(app.users.get("chen")).waiting
    assert [c.summary.ref for c in waiting] == [ordered]  # paid: the supervisor closes it
