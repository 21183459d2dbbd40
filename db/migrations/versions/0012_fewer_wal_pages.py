"""SQLite: fewer pages written per command. The deadline board's open-deadline index
replaced by one of the held deadlines only (expired, or paused), which a running deadline's
start and end leave alone; case_assignees a WITHOUT ROWID table (its primary key is the
table: one b-tree less per assignee); the FTS5 name index without its per-row size table
(columnsize=0: nothing ranks by length); each event's id its (case, seq) key,
``case_id × 2**24 + seq``, held to it by a CHECK, so the primary key replaces the unique
(case_id, seq) index (db/event_ids.py). PostgreSQL is left as it is.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db import case_steps
from db.name_search import SQLITE_DDL, SQLITE_DROP
from db.tables import EVENTS_PER_CASE

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

HELD = "status = 'expired' OR (status = 'pending' AND paused)"
OPEN = "status IN ('pending', 'expired')"

FTS_0006 = (
    "CREATE VIRTUAL TABLE cases_fts USING fts5(subject_name, complainant, "
    "content='cases', content_rowid='id', tokenize='trigram')"
)
"""The FTS5 table as migration 0006 created it (for the downgrade)."""

ASSIGNEES = (
    "CREATE TABLE case_assignees_new (\n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tuser_name VARCHAR(64) NOT NULL, \n"
    "\tPRIMARY KEY (case_id, user_name), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id)\n"
    "){}"
)


def _rebuild_assignees(without_rowid: bool) -> None:
    op.execute(ASSIGNEES.format(" WITHOUT ROWID" if without_rowid else ""))
    op.execute(
        "INSERT INTO case_assignees_new (case_id, user_name) "
        "SELECT case_id, user_name FROM case_assignees"
    )
    op.execute("DROP TABLE case_assignees")
    op.execute("ALTER TABLE case_assignees_new RENAME TO case_assignees")
    op.execute("CREATE INDEX ix_case_assignees_user ON case_assignees (user_name, case_id)")


HISTORY_COLUMNS = (
    "\tcase_id INTEGER NOT NULL, \n"
    "\tseq INTEGER NOT NULL, \n"
    "\tat DATETIME NOT NULL, \n"
    "\tactor VARCHAR(64) NOT NULL, \n"
    "\tkind VARCHAR(32) NOT NULL, \n"
    '\t"trigger" VARCHAR(64), \n'
    "\tfrom_state VARCHAR(64), \n"
    "\tto_state VARCHAR(64), \n"
    "\tpayload JSON NOT NULL, \n"
    "\treason VARCHAR NOT NULL, \n"
    "\tprev_hash VARCHAR(64) NOT NULL, \n"
    "\thash VARCHAR(64) NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
)
HISTORY_0001 = (
    "CREATE TABLE history_new (\n\tid INTEGER NOT NULL, \n"
    + HISTORY_COLUMNS
    + "\tFOREIGN KEY(case_id) REFERENCES cases (id), \n"
    "\tCONSTRAINT uq_history_case_seq UNIQUE (case_id, seq)\n)"
)
HISTORY_KEYED = (
    "CREATE TABLE history_new (\n\tid INTEGER NOT NULL, \n"
    + HISTORY_COLUMNS
    + f"\tCONSTRAINT ck_history_id_is_case_seq CHECK (id = case_id * {EVENTS_PER_CASE} + seq"
    f" AND seq BETWEEN 1 AND {EVENTS_PER_CASE - 1}), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id)\n)"
)
REST = (
    'case_id, seq, at, actor, kind, "trigger", from_state, to_state, payload, reason, '
    "prev_hash, hash"
)


def _rebuild_history(keyed: bool) -> None:
    """The events into a new table: keyed, with ids case_id × 2**24 + seq; else with ids
    in the order the events were written (as SQLite assigned them before), and the unique
    (case_id, seq) back. The step's trigger, which writes them, is made anew to match."""
    for statement in case_steps.SQLITE_DROP:
        op.execute(statement)
    op.execute(HISTORY_KEYED if keyed else HISTORY_0001)
    ids = f"case_id * {EVENTS_PER_CASE} + seq" if keyed else "row_number() OVER (ORDER BY at, id)"
    op.execute(f"INSERT INTO history_new (id, {REST}) SELECT {ids}, {REST} FROM history")
    op.execute("DROP TABLE history")
    op.execute("ALTER TABLE history_new RENAME TO history")
    for statement in case_steps.sqlite_ddl(event_ids=keyed, entries=False, timer_ids=False):
        op.execute(statement)


def _rebuild_fts(create: str) -> None:
    for statement in SQLITE_DROP:
        op.execute(statement)
    op.execute(create)
    for statement in SQLITE_DDL[1:]:  # the rebuild and the triggers
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL keeps its indexes (its board reads ix_timers_open_due)
    op.create_index("ix_timers_held_due", "timers", ["due_at", "id"], sqlite_where=sa.text(HELD))
    op.drop_index("ix_timers_open_due", table_name="timers")
    _rebuild_assignees(without_rowid=True)
    _rebuild_fts(SQLITE_DDL[0])
    _rebuild_history(keyed=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild_history(keyed=False)
    _rebuild_fts(FTS_0006)
    _rebuild_assignees(without_rowid=False)
    op.create_index("ix_timers_open_due", "timers", ["due_at", "id"], sqlite_where=sa.text(OPEN))
    op.drop_index("ix_timers_held_due", table_name="timers")
