"""On SQLite an event's rowid is its key: ``case_id × 2**24 + seq``. The history table then
keeps each case's events together in rowid order and needs no second b-tree for the
unique (case_id, seq) — one page fewer written per event. A CHECK constraint holds every
row to the encoding (a row inserted without it is refused), so the primary key refuses a
second event with a case's sequence number exactly as the unique constraint did, and a
case's events are a rowid range. PostgreSQL keeps a serial id and the unique constraint.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.tables import EVENTS_PER_CASE, HistoryRow

history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]


def event_id(case_id: int, seq: int) -> int:
    """The rowid of a case's event on SQLite."""
    if not 0 < seq < EVENTS_PER_CASE:
        raise ValueError(f"event sequence number out of range: {seq}")
    return case_id * EVENTS_PER_CASE + seq


def of_case(case_id: sa.ColumnElement[int] | int, dialect: str) -> sa.ColumnElement[bool]:
    """The events of one case (``case_id``: a value or a column); on SQLite its rowid range,
    alone (the CHECK makes it the same rows; a case_id term beside it would let the planner
    build an automatic index on case_id and sort, where it has no statistics)."""
    if dialect != "sqlite":
        return history_t.c.case_id == case_id
    first = case_id * EVENTS_PER_CASE
    return sa.and_(history_t.c.id > first, history_t.c.id < first + EVENTS_PER_CASE)


def of_cases_between(lo: int, hi: int, dialect: str) -> sa.ColumnElement[bool]:
    """The events of the cases with ids ``lo`` to ``hi``; on SQLite one rowid range."""
    if dialect != "sqlite":
        return sa.and_(history_t.c.case_id >= lo, history_t.c.case_id <= hi)
    return sa.and_(
        history_t.c.id > lo * EVENTS_PER_CASE, history_t.c.id < (hi + 1) * EVENTS_PER_CASE
    )


def in_key_order(dialect: str) -> tuple[sa.ColumnElement[int], ...]:
    """(case, seq) order: on SQLite the rowid's, which needs no sort."""
    if dialect == "sqlite":
        return (history_t.c.id,)
    return (history_t.c.case_id, history_t.c.seq)
