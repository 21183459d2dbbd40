"""Rows whose SQLite rowid is keyed by their case: ``case_id × per_case + n``, n = 1, 2, …
(the events, db/event_ids.py; the timers, db/timer_ids.py). Such a table keeps each case's
rows together in rowid order and needs no index on case_id; a CHECK constraint holds every
row to the encoding, and a case's rows are a rowid range. PostgreSQL keeps serial ids and
reads them by case_id.
"""

from __future__ import annotations

import sqlalchemy as sa


class CaseKeyed:
    """The rowid encoding of one table (``then``: its order within a case on PostgreSQL)."""

    def __init__(self, table: sa.Table, then: sa.Column[int], per_case: int, what: str) -> None:
        self.table, self.then, self.per_case, self.what = table, then, per_case, what

    def id(self, case_id: int, n: int) -> int:
        """The rowid of a case's ``n``-th row on SQLite."""
        if not 0 < n < self.per_case:
            raise ValueError(f"{self.what} out of range: {n}")
        return case_id * self.per_case + n

    def range_sql(self, case_id: str) -> str:
        """The case's rowid range as SQL (``case_id``: an SQL expression)."""
        first = f"({case_id}) * {self.per_case}"
        return f"id > {first} AND id < {first} + {self.per_case}"

    def of_case(self, case_id: sa.ColumnElement[int] | int, dialect: str) -> sa.ColumnElement[bool]:
        """The rows of one case (``case_id``: a value or a column); on SQLite its rowid
        range, alone (the CHECK makes it the same rows; a case_id term beside it would let
        the planner build an automatic index on case_id and sort, where it has no
        statistics)."""
        c = self.table.c
        if dialect != "sqlite":
            return c.case_id == case_id
        first = case_id * self.per_case
        return sa.and_(c.id > first, c.id < first + self.per_case)

    def of_cases_between(self, lo: int, hi: int, dialect: str) -> sa.ColumnElement[bool]:
        """The rows of the cases with ids ``lo`` to ``hi``; on SQLite one rowid range."""
        c = self.table.c
        if dialect != "sqlite":
            return sa.and_(c.case_id >= lo, c.case_id <= hi)
        return sa.and_(c.id > lo * self.per_case, c.id < (hi + 1) * self.per_case)

    def in_key_order(self, dialect: str) -> tuple[sa.ColumnElement[int], ...]:
        """Case order, then the case's own: on SQLite the rowid's, which needs no sort."""
        if dialect == "sqlite":
            return (self.table.c.id,)
        return (self.table.c.case_id, self.then)
