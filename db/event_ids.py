"""On SQLite an event's rowid is its key: ``case_id × 2**24 + seq`` (db/case_keys.py). The
history table then keeps each case's events together in rowid order and needs no second
b-tree for the unique (case_id, seq) — one page fewer written per event. A CHECK constraint
holds every row to the encoding (a row inserted without it is refused), so the primary key
refuses a second event with a case's sequence number exactly as the unique constraint did,
and a case's events are a rowid range. PostgreSQL keeps a serial id and the unique
constraint.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.case_keys import CaseKeyed
from db.tables import EVENTS_PER_CASE, HistoryRow

history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]
EVENTS = CaseKeyed(history_t, history_t.c.seq, EVENTS_PER_CASE, "event sequence number")

event_id = EVENTS.id
"""The rowid of a case's event (its sequence number) on SQLite."""
of_case = EVENTS.of_case
of_cases_between = EVENTS.of_cases_between
in_key_order = EVENTS.in_key_order
"""(case, seq) order."""
