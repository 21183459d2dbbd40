"""On SQLite a timer's rowid is keyed by its case, as an event's is (db/case_keys.py):
``case_id × 2**24 + n``, n = 1, 2, … in the order the case's timers were started. The
timers table then keeps each case's timers together in rowid order and needs no index on
case_id — one page fewer written per timer started. A CHECK constraint holds every row to
the encoding (a row inserted without it is refused), and a case's timers are a rowid
range. Every writer supplies the id (`next_id_sql`, `next_id`); PostgreSQL keeps a serial
id and ix_timers_case_id.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.case_keys import CaseKeyed
from db.tables import TIMERS_PER_CASE, CaseRow, TimerRow

cases_t: sa.Table = CaseRow.__table__  # type: ignore[attr-defined]
timers_t: sa.Table = TimerRow.__table__  # type: ignore[attr-defined]
SELECTIVE = 0.001
"""What `joined_to_cases` tells SQLite's planner of each bound of a case's rowid range."""
TIMERS = CaseKeyed(timers_t, timers_t.c.id, TIMERS_PER_CASE, "timer number")

timer_id = TIMERS.id
"""The rowid of a case's ``n``-th timer on SQLite."""
of_case = TIMERS.of_case
of_cases_between = TIMERS.of_cases_between
in_case_order = TIMERS.in_key_order
"""(case, start) order."""


def next_id_sql(case_id: str, k: str = "1") -> str:
    """SQL for the id of the case's ``k``-th timer after those it has (``case_id``, ``k``:
    SQL expressions): the largest id in the case's rowid range, a b-tree descent. A
    multi-row INSERT that reads its own table is materialised before it writes, so every
    row of one statement sees the same largest id: each adds its own ``k``."""
    first = f"({case_id}) * {TIMERS_PER_CASE}"
    largest = f"SELECT coalesce(max(id), {first}) FROM timers WHERE {TIMERS.range_sql(case_id)}"
    return f"({largest}) + ({k})"


def next_id(case_id: sa.ColumnElement[int]) -> sa.ScalarSelect[int]:
    """The id of the case's next timer (``case_id``: a bind parameter), as Core."""
    return (
        sa.select(sa.func.coalesce(sa.func.max(timers_t.c.id), case_id * TIMERS_PER_CASE) + 1)
        .where(TIMERS.of_case(case_id, "sqlite"))
        .scalar_subquery()
    )


def joined_to_cases(dialect: str) -> sa.ColumnElement[bool]:
    """A timer joined to its case row, either way round: on SQLite also by the case's
    rowid range, each bound marked as selective (``likelihood``: without it the planner
    takes a rowid range for a sixteenth of the table and scans the timers instead of
    going from a unit's cases to their timers)."""
    on = cases_t.c.id == timers_t.c.case_id
    if dialect != "sqlite":
        return on
    per_case = sa.literal(TIMERS_PER_CASE, literal_execute=True)
    first, end = cases_t.c.id * per_case, (cases_t.c.id + 1) * per_case
    bounds = (timers_t.c.id > first, timers_t.c.id < end)
    likely = sa.literal(SELECTIVE, literal_execute=True)
    return sa.and_(on, *(sa.func.likelihood(b, likely) for b in bounds))
