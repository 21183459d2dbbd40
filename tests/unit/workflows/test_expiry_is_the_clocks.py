"""Expiry is the clock's alone: every trigger that records "the window passed" (every
trigger a timer fires on expiry, in every procedure) is refused before the window's end —
to every role, and to the system user too — and the system user may fire it once the
window has ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.deadlines import LOCAL_TZ
from engine.domain.errors import CaseflowError, NotPermitted, WindowNotPassed
from engine.domain.roles import Role
from engine.domain.timer_start import start_timer
from tests.unit.workflows._harness import ROLES, Harness, compiled
from workflows.registry import PROCEDURES

EXPIRIES = [
    (decl.id, state.name, timer.name)
    for decl in PROCEDURES
    for state in decl.states
    for timer in state.timers
    if timer.on_expiry is not None
]


def test_the_windows_that_lapse_are_all_covered() -> None:
    triggers = {compiled(p).states[s].timers for p, s, _ in EXPIRIES}
    names = {t.on_expiry for timers in triggers for t in timers if t.on_expiry}
    assert {
        "payment_deadline_passed",
        "deemed_no_objection",
        "fine_deadline_passed",
        "reconsideration_period_lapsed",
        "remedy_periods_lapsed",
        "notice_period_lapsed",
        "rectification_deadline_passed",
        "reconsideration_window_lapsed",
    } <= names


def in_window(procedure: str, state: str, timer_name: str) -> tuple[Harness, str]:
    """A case in ``state`` whose window ``timer_name`` has just started."""
    h = Harness(procedure)
    proc = h.compiled
    timer = next(t for t in proc.states[state].timers if t.name == timer_name)
    h.case.state = state
    with h.app.context.uow() as uow:
        calendar = h.app.context.calendar(uow)
        request = start_timer(timer, state, h.now, calendar, h.settings)
        uow.timers.start(h.case, request, None)
        uow.commit()
    assert timer.on_expiry is not None
    return h, timer.on_expiry


@pytest.mark.parametrize(("procedure", "state", "timer"), EXPIRIES)
def test_refused_before_the_end_to_every_role_and_the_system(
    procedure: str, state: str, timer: str
) -> None:
    h, trigger = in_window(procedure, state, timer)
    assert h.compiled.triggers[trigger][0].roles == frozenset({Role.SYSTEM})
    window = h.timers[timer]
    last_minute = window.due_at - timedelta(minutes=1)
    for moment in (h.now, last_minute):
        h.clock.set(moment)
        for user, role in ROLES.items():
            expected = WindowNotPassed if role is Role.SYSTEM else NotPermitted
            with pytest.raises(expected):
                h.fire(trigger, None, user, "届满")
    assert h.case.state == state
    # From the window's end on, the system user is no longer refused for the window.
    h.clock.set(window.due_at)
    try:
        h.fire(trigger, None, "system", "届满")
    except WindowNotPassed:
        pytest.fail(f"{trigger} still refused at {window.due_at.astimezone(LOCAL_TZ)}")
    except CaseflowError:
        pass  # a guard of the artificial case may refuse; the window no longer does


def test_refused_where_no_window_runs() -> None:
    h = Harness("wage_arrears")
    h.case.state = "payment_ordered"  # no timer was started for it
    with pytest.raises(WindowNotPassed, match="尚未开始计算"):
        h.fire("payment_deadline_passed", None, "system", "届满")
