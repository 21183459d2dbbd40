"""The deadline board's page in SQL (SqlTimerRepository.open_deadlines): the open timers,
counted by group (overdue, running, paused) and read a group's slice at a time in due order.
On PostgreSQL from the partial index ix_timers_open_due; on SQLite from two, the running
timers (the sweep's ix_timers_running_due) and the held ones (ix_timers_held_due), merged:
starting or ending a running deadline then writes no index of the board's own."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db import timer_ids
from db.case_search import assigned_to, case_conditions
from db.cases import SUMMARY_COLUMNS, summary_from_row
from db.tables import CaseRow, TimerRow
from db.timer_rows import timer_from_row
from engine.service.read_models import BoardEntry, BoardQuery, CaseQuery, Page

cases_t = CaseRow.__table__  # type: ignore[attr-defined]
timers_t = TimerRow.__table__  # type: ignore[attr-defined]

RUNNING = sa.text("timers.status = 'pending' AND NOT timers.paused")
"""The sweep's partial indexes' predicate (db/timers.py), written the same way."""

OPEN = sa.text("timers.status IN ('pending', 'expired')")
"""The timers the deadline board shows (PostgreSQL's partial index ix_timers_open_due,
literally); SQLite reads them as RUNNING and HELD, each from its partial index."""

HELD = sa.text("(timers.status = 'expired' OR (timers.status = 'pending' AND timers.paused))")
"""Open timers that do not run: expired and escalated, or paused (with RUNNING: OPEN, each in
one of the two). SQLite's partial index ix_timers_held_due's predicate, literally."""


def board_conditions(query: BoardQuery, dialect: str) -> list[sa.ColumnElement[bool]]:
    """Conditions on the deadlines' cases (they need the join to cases)."""
    return case_conditions(
        CaseQuery(procedure=query.procedure, unit=query.unit, scope=query.scope), dialect
    )


def _case_id(ref: str) -> sa.ScalarSelect[int]:
    return sa.select(cases_t.c.id).where(cases_t.c.ref == ref).scalar_subquery()


def _board_groups(now: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    """The board's groups in order: overdue, running, paused."""
    return (
        timers_t.c.due_at <= now,
        sa.and_(timers_t.c.due_at > now, timers_t.c.paused.is_(False)),
        sa.and_(timers_t.c.due_at > now, timers_t.c.paused.is_(True)),
    )


def board_page(conn: sa.Connection, query: BoardQuery, now: datetime) -> Page[BoardEntry]:
    """One aggregate counts each group; each group's slice of the page is then read in
    due order from the open-deadline index (PostgreSQL) or as the merge of its running
    and its held timers, each read from its partial index up to the slice's end
    (SQLite), so a page costs a few index steps, not a sort of every open deadline."""
    on_cases = board_conditions(query, conn.dialect.name)
    where: list[Any] = [*on_cases]
    if query.inspector:
        where.append(assigned_to(query.inspector, timers_t.c.case_id))
    if query.case:  # on SQLite the case's rowid range (db/timer_ids.py)
        where.append(timer_ids.of_case(_case_id(query.case), conn.dialect.name))
    if query.due_from:
        where.append(timers_t.c.last_day >= query.due_from.isoformat())
    if query.due_to:
        where.append(timers_t.c.last_day <= query.due_to.isoformat())
    if query.due_within_days is not None:
        where.append(timers_t.c.due_at <= now + timedelta(days=query.due_within_days))
    joined = timers_t.join(cases_t, timer_ids.joined_to_cases(conn.dialect.name))
    counted = joined if on_cases else timers_t  # no case filter: the timers alone count
    groups = _board_groups(now)
    counts = conn.execute(
        sa.select(*(sa.func.count().filter(g) for g in groups))
        .select_from(counted)
        .where(OPEN, *where)
    ).one()
    entries: list[BoardEntry] = []
    skip, want = query.offset, query.per_page
    for condition, count in zip(groups, counts, strict=True):
        if want <= 0:
            break
        if skip >= count:
            skip -= count
            continue
        got = _slice(conn, joined, counted, [*where, condition], skip, want)
        entries += got
        skip, want = 0, want - len(got)
    return Page(entries, int(sum(counts)), query.page, query.per_page)


def _slice(
    conn: sa.Connection, joined: sa.Join, source: Any, where: list[Any], skip: int, want: int
) -> list[BoardEntry]:
    """The open timers matching ``where`` from ``skip``, at most ``want``, in (due, id)
    order. SQLite: the keys of the first ``skip + want`` running and held ones, each read
    in order from its partial index (``source``: the timers, joined to their cases if
    ``where`` asks about them), merged; then the rows of the slice's keys only."""
    columns = [timers_t, cases_t.c.ref, *(c.label(f"c_{c.name}") for c in SUMMARY_COLUMNS)]
    if conn.dialect.name == "postgresql":  # one partial index holds them all (ix_timers_open_due)
        rows = conn.execute(
            sa.select(*columns)
            .select_from(joined)
            .where(OPEN, *where)
            .order_by(timers_t.c.due_at, timers_t.c.id)
            .offset(skip)
            .limit(want)
        ).mappings()
        return [BoardEntry(timer_from_row(r), summary_from_row(r, "c_")) for r in rows]
    arms = [  # the keys only: the rows past the slice are not built
        sa.select(timers_t.c.due_at, timers_t.c.id)
        .select_from(source)
        .where(predicate, *where)
        .order_by(timers_t.c.due_at, timers_t.c.id)
        .limit(skip + want)
        .subquery()
        for predicate in (RUNNING, HELD)
    ]
    merged = sa.union_all(*(sa.select(arm) for arm in arms)).subquery()
    page = sa.select(merged.c.id).order_by(merged.c.due_at, merged.c.id).offset(skip).limit(want)
    rows = conn.execute(
        sa.select(*columns)
        .select_from(joined)
        .where(timers_t.c.id.in_(page))
        .order_by(timers_t.c.due_at, timers_t.c.id)
    ).mappings()
    return [BoardEntry(timer_from_row(r), summary_from_row(r, "c_")) for r in rows]
