"""SQLite reads the sweep's reminders from the running timers' due index, up to the bound
of engine/domain/timers.py (reminded_due_by): it claims exactly what the reminders' own
index (kept on PostgreSQL) gave — the same rows in the same order — for timers around the
Spring Festival, National Day and their 调休 make-up days, with any reminders, some sent,
extended, paused or closed. Migration 0016 drops that index on SQLite and brings it back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from db.migrate import alembic_config
from db.timers import _CLAIM, SqlTimerRepository, _claim_query, timers_t
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ, Deadline, LayeredCalendar, Pause, Period, Unit
from engine.deadlines.arithmetic import working_days_before
from engine.deadlines.calendars import DayKind
from engine.domain.case import Case
from engine.domain.decision import TimerRequest
from engine.domain.timers import (
    RunningTimer,
    next_reminder,
    reminded_due_by,
    reminder_horizon,
)
from engine.service.timer_effects import save_running
from tests.integration.helpers import open_complaint

CALENDAR = LayeredCalendar({})
Spec = dict[str, Any]
OLD = _claim_query(timers_t.c.remind_at, postgres=False)
"""The claim as it read the reminders' own index: no bound on the due time."""

HOLIDAYS = [
    date(2025, 1, 26),  # a 调休 Sunday before the Spring Festival of 2025
    date(2025, 2, 4),
    date(2025, 2, 8),  # its make-up Saturday
    date(2025, 9, 28),  # National Day's make-up Sunday
    date(2025, 10, 8),
    date(2026, 2, 14),  # the Spring Festival of 2026, its make-up Saturday
    date(2026, 2, 23),
    date(2026, 2, 28),
    date(2026, 4, 30),
    date(2026, 12, 31),
    date(2027, 2, 6),  # the Spring Festival of 2027 (statutory, provisional)
]
"""Days in the thick of holiday arrangements, to start timers and to sweep around."""


TIMES = st.one_of(
    st.sampled_from([time(0), time(7, 59, 59), time(8), time(8, 0, 1), time(23, 59, 59)]),
    st.times(),
)


def _instant(anchor: date, low: int, high: int) -> st.SearchStrategy[datetime]:
    return st.builds(
        lambda off, t: datetime.combine(anchor + timedelta(days=off), t, LOCAL_TZ),
        st.integers(low, high),
        TIMES,
    )


PERIODS = st.one_of(
    st.builds(Period, st.integers(1, 30), st.just(Unit.WORKING_DAYS)),
    st.builds(Period, st.integers(1, 45), st.just(Unit.DAYS)),
    st.builds(Period, st.integers(1, 2), st.just(Unit.MONTHS)),
    st.builds(Period, st.integers(1, 240), st.just(Unit.HOURS)),
)


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[list[Spec], datetime, int]:
    """Timers started in the 60 days before a day among holidays, and a sweep in the 40
    days around it (so that many of them have reminders due, or just not yet), each
    reminding at most ``most`` working days before its last day (as the registry's)."""
    anchor = draw(st.sampled_from(HOLIDAYS))
    most = draw(st.integers(0, 12))
    spec = st.fixed_dictionaries(
        {
            "started": _instant(anchor, -60, 0),
            "recorded_late": st.sampled_from([0, 0, 0, 1, 3, 10]),
            "period": PERIODS,
            "reminders": st.lists(st.integers(0, most), min_size=1, max_size=4, unique=True)
            | st.just([]),
            "sent": st.sampled_from([0, 0, 0, 1, 2, 4]),
            "extension": st.none() | st.none() | PERIODS,
            "pause": st.none()
            | st.none()
            | st.tuples(st.integers(0, 20), st.none() | st.integers(0, 10)),
            "closed": st.sampled_from([False, False, False, True]),
        }
    )
    timers = draw(st.lists(spec, min_size=5, max_size=25))
    return timers, draw(_instant(anchor, -10, 30)), most


Claims = list[list[tuple[int, datetime]]]


def _claims(
    conn: sa.Connection, query: sa.Select[Any], now: datetime, due: datetime, k: int
) -> Claims:
    """Every claim a sweep makes at ``now``, ``k`` at a time, continuing from the last."""
    pages: Claims = []
    after: tuple[datetime, int] | None = None
    while True:
        since, after_id = after or (datetime(1970, 1, 1, tzinfo=LOCAL_TZ), 0)
        params = {"b_now": now, "b_limit": k, "b_since": since, "b_after": after_id, "b_due": due}
        page = [(r.id, r.remind_at) for r in conn.execute(query, params)]
        if not page:
            return pages
        pages.append(page)
        after = (page[-1][1], page[-1][0])


class _Uow:
    def __init__(self, timers: SqlTimerRepository) -> None:
        self.timers = timers


def _start(conn: sa.Connection, case: Case, spec: Spec, most: int) -> None:
    """One timer as the engine writes it: started (its reminders scheduled from the day
    the start was recorded), maybe extended or paused and resumed (save_running), maybe
    some reminders sent (as the sweep records them), maybe closed."""
    timers = SqlTimerRepository(conn)
    started: datetime = spec["started"]
    reminders = tuple(spec["reminders"])
    assert all(n <= most for n in reminders)
    recorded = started + timedelta(days=spec["recorded_late"])
    rt = RunningTimer(spec["period"], started)
    deadline = rt.deadline(CALENDAR)
    request = TimerRequest(
        name="t",
        label="期限",
        state=case.state,
        on_expiry=None,
        period=spec["period"],
        basis="测试",
        started_at=started,
        deadline=deadline,
        reminders=reminders,
        recorded_at=recorded,
    )
    not_before = recorded.astimezone(LOCAL_TZ).date()
    nxt = next_reminder(deadline, reminders, (), started, CALENDAR, not_before)
    timers.start(case, request, nxt[1] if nxt else None)
    timers.flush()
    timer = max(timers.for_case(case.ref), key=lambda t: t.id)
    pauses: list[Pause] = []
    if spec["pause"] is not None:
        begin = started.astimezone(LOCAL_TZ).date() + timedelta(days=spec["pause"][0])
        end = None if spec["pause"][1] is None else begin + timedelta(days=spec["pause"][1])
        pauses.append(Pause(begin, end))
    extensions = [spec["extension"]] if spec["extension"] is not None else []
    if pauses or extensions:
        paused = bool(pauses) and pauses[0].end is None
        save_running(_Uow(timers), timer, pauses, extensions, paused, CALENDAR, not_before)  # type: ignore[arg-type]
        timer = max(timers.for_case(case.ref), key=lambda t: t.id)
    for _ in range(spec["sent"]):  # the sweep's reminders, one by one (sweep.py, _remind)
        if timer.remind_at is None:
            break
        deadline = RunningTimer(timer.rule, started, tuple(pauses), tuple(extensions)).deadline(
            CALENDAR
        )
        scheduled = timer.remind_at.astimezone(LOCAL_TZ).date()
        now = next_reminder(deadline, reminders, timer.reminders_sent, started, CALENDAR, scheduled)
        if now is None:
            break
        sent = [*timer.reminders_sent, now[0]]
        after = next_reminder(deadline, reminders, sent, started, CALENDAR, scheduled)
        timers.reminder_sent(timer.id, sent, after[1] if after else None)
        timer = max(timers.for_case(case.ref), key=lambda t: t.id)
    if spec["closed"]:
        conn.execute(
            sa.update(timers_t)
            .where(timers_t.c.id == timer.id)
            .values(status="fired", remind_at=None)
        )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=_scenario(), k=st.sampled_from([1, 2, 3, 100]))
def test_the_due_bounded_claim_is_the_reminder_index_claim(
    staffed: App, scenario: tuple[list[Spec], datetime, int], k: int
) -> None:
    """Random timers, a random sweep time: the claims, page by page, are the same as
    without the bound (what the reminders' index gave), and every timer to remind is due
    by the bound — by its horizon, even, the bound without its margin for a stale calendar."""
    timers, now, most = scenario
    case = open_complaint(staffed)
    due = reminded_due_by(now, most, CALENDAR)
    horizon = reminder_horizon(now, most, CALENDAR)
    with staffed.db.connect() as conn, conn.begin() as tx:
        conn.execute(sa.delete(timers_t))  # the case's own: only those drawn here
        for spec in timers:
            _start(conn, case, spec, most)
        new = _claims(conn, _CLAIM["remind_at", False], now, due, k)
        assert new == _claims(conn, OLD, now, due, k)
        to_remind = sa.select(timers_t.c.due_at).where(
            timers_t.c.status == "pending",
            timers_t.c.paused.is_(False),
            timers_t.c.remind_at <= now,
        )
        slack = [(horizon - d).total_seconds() for d in conn.execute(to_remind).scalars()]
        assert all(s >= 0 for s in slack)
        if slack:  # look for timers to remind as close to the bound as can be
            target(-min(slack), label="least slack below the bound")
        tx.rollback()


def test_the_bound_counts_working_days_across_the_spring_festival() -> None:
    """From the last working day before the Spring Festival of 2026 (Fri 13 Feb; Sat 14
    Feb is its make-up working day, 15–23 Feb off): 3 + 1 working days reach Wed 25 Feb."""
    now = datetime(2026, 2, 13, 9, 0, tzinfo=LOCAL_TZ)
    assert reminder_horizon(now, 3, CALENDAR) == datetime(2026, 2, 26, tzinfo=LOCAL_TZ)
    assert reminder_horizon(now, 0, CALENDAR) == datetime(2026, 2, 14, tzinfo=LOCAL_TZ)
    holiday = datetime(2026, 2, 16, 23, 0, tzinfo=LOCAL_TZ)  # a day off: the next count
    assert reminder_horizon(holiday, 1, CALENDAR) == datetime(2026, 2, 26, tzinfo=LOCAL_TZ)
    # the sweep reads ten days further: a worker's calendar may be older than a reminder's
    assert reminded_due_by(now, 3, CALENDAR) == datetime(2026, 3, 8, tzinfo=LOCAL_TZ)


def test_the_registry_knows_the_most_days_any_timer_reminds(staffed: App) -> None:
    registry = staffed.context.registry
    declared = {
        n for c in registry.all() for s in c.decl.states for t in s.timers for n in t.reminders
    }
    assert registry.most_reminder_days == max(declared) >= 3


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_reads_the_reminders_from_the_due_index(staffed: App) -> None:
    """The reminder claim is a range of ix_timers_running_due, not a scan of the timers;
    the reminders' own index is gone."""
    now = staffed.clock.now()
    params = (now, now, now, now, 0, 100, 0)
    sql = str(_CLAIM["remind_at", False].compile(staffed.db))
    with staffed.db.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        plan = "\n".join(
            str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("timers")}
    assert "SEARCH timers USING INDEX ix_timers_running_due (due_at<?)" in plan, plan
    assert "SCAN timers" not in plan, plan
    assert "ix_timers_running_remind" not in indexes


def test_migration_0016_downgrades_and_upgrades_again(staffed: App) -> None:
    """0016 is reversible: at 0015 SQLite has the reminders' index again, at the head it
    has not; PostgreSQL keeps it throughout."""
    open_complaint(staffed)
    sqlite = staffed.db.dialect.name == "sqlite"
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
        assert "ix_timers_running_remind" in {
            i["name"] for i in sa.inspect(conn).get_indexes("timers")
        }
        command.upgrade(cfg, "head")
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("timers")}
        assert ("ix_timers_running_remind" in indexes) is not sqlite
        assert "ix_timers_running_due" in indexes


class _MoreDaysOff:
    """A calendar imported since a worker read its own: a week more off (a holiday moved
    into what the worker still counts as working days)."""

    def __init__(self, base: Any, off: set[date]) -> None:
        self.base, self.off = base, off

    def day_kind(self, d: date, /) -> DayKind:
        return DayKind.HOLIDAY if d in self.off else self.base.day_kind(d)

    def is_provisional(self, d: date, /) -> bool:
        return bool(self.base.is_provisional(d))


def test_a_worker_with_an_older_calendar_still_reads_the_reminders_due() -> None:
    """Reminder times from the newer calendar, the bound from the older: every reminder
    due by the sweep is on a timer due by the bound (CALENDAR_MARGIN)."""
    off = {date(2027, 5, 3) + timedelta(days=i) for i in range(7)}
    newer = _MoreDaysOff(CALENDAR, off)
    days = [date(2027, 4, 20) + timedelta(days=i) for i in range(40)]
    checked = 0
    for today in days:
        now = datetime.combine(today, time(23, 0), LOCAL_TZ)
        bound = reminded_due_by(now, 3, CALENDAR)  # the worker's older calendar
        for last in days:
            deadline = Deadline(last, datetime.combine(last, time.min, LOCAL_TZ), False, False)
            for n in (3, 1):
                if (
                    newer.day_kind(last).is_working
                    and working_days_before(deadline, n, newer) <= today <= last
                ):
                    checked += 1
                    assert deadline.ends_at + timedelta(days=1) <= bound, (today, last, n)
        assert reminder_horizon(now, 3, CALENDAR) < bound
    assert checked > 50
