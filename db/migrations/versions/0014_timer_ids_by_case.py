"""SQLite: fewer pages written per command, again. ``case_entries`` WITHOUT ROWID (its
primary key (case_id, key, seq) is the table: its own key index goes); each timer's id
keyed by its case, ``case_id × 2**24 + n`` (n = 1, 2, … in the order the case's timers
were started), held to it by a CHECK, so a case's timers are a rowid range and
``ix_timers_case_id`` goes (db/timer_ids.py). The existing timers are renumbered in
(case_id, id) order; nothing else stores a timer's id (no table refers to timers, the
history records the timers an event starts by name). The step's trigger, which writes
the timers, is made anew to match. PostgreSQL is left as it is.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 01:10:00
"""

from __future__ import annotations

from alembic import op

from db import case_steps
from db.tables import TIMER_ID_CHECK, TIMERS_PER_CASE

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ENTRIES = (
    "CREATE TABLE case_entries_new (\n"
    "\tcase_id INTEGER NOT NULL, \n"
    '\t"key" VARCHAR(32) NOT NULL, \n'
    "\tseq INTEGER NOT NULL, \n"
    "\titem JSON NOT NULL, \n"
    '\tPRIMARY KEY (case_id, "key", seq), \n'
    "\tFOREIGN KEY(case_id) REFERENCES cases (id)\n"
    "){}"
)

TIMER_COLUMNS = (
    "name",
    "label",
    "state",
    "on_expiry",
    "basis",
    "period_amount",
    "period_unit",
    "started_at",
    "due_at",
    "last_day",
    "provisional",
    "status",
    "reminders",
    "reminders_sent",
    "closed_at",
    "pauses",
    "extensions",
    "paused",
    "remind_at",
)
TIMERS = (
    "CREATE TABLE timers_new (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tname VARCHAR(64) NOT NULL, \n"
    "\tlabel VARCHAR(200) NOT NULL, \n"
    "\tstate VARCHAR(64) NOT NULL, \n"
    "\ton_expiry VARCHAR(64), \n"
    "\tbasis VARCHAR(500) NOT NULL, \n"
    "\tperiod_amount INTEGER NOT NULL, \n"
    "\tperiod_unit VARCHAR(16) NOT NULL, \n"
    "\tstarted_at DATETIME NOT NULL, \n"
    "\tdue_at DATETIME NOT NULL, \n"
    "\tlast_day VARCHAR(10) NOT NULL, \n"
    "\tprovisional BOOLEAN NOT NULL, \n"
    "\tstatus VARCHAR(16) NOT NULL, \n"
    "\treminders JSON NOT NULL, \n"
    "\treminders_sent JSON NOT NULL, \n"
    "\tclosed_at DATETIME, \n"
    "\tpauses JSON DEFAULT '[]' NOT NULL, \n"
    "\textensions JSON DEFAULT '[]' NOT NULL, \n"
    "\tpaused BOOLEAN DEFAULT 0 NOT NULL, \n"
    "\tremind_at DATETIME, \n"
    "\tPRIMARY KEY (id), \n"
    "{}"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id)\n"
    ")"
)
CHECK = f"\tCONSTRAINT ck_timers_id_in_case CHECK ({TIMER_ID_CHECK}), \n"
INDEXES = (
    "CREATE INDEX ix_timers_running_due ON timers (due_at) WHERE status = 'pending' AND NOT paused",
    "CREATE INDEX ix_timers_running_remind ON timers (remind_at)"
    " WHERE status = 'pending' AND NOT paused AND remind_at IS NOT NULL",
    "CREATE INDEX ix_timers_held_due ON timers (due_at, id)"
    " WHERE status = 'expired' OR (status = 'pending' AND paused)",
)
"""The timers' indexes on SQLite (db/tables.py), but ix_timers_case_id."""
CASE_INDEX = "CREATE INDEX ix_timers_case_id ON timers (case_id)"


def _rebuild_entries(without_rowid: bool) -> None:
    op.execute(ENTRIES.format(" WITHOUT ROWID" if without_rowid else ""))
    op.execute(
        'INSERT INTO case_entries_new (case_id, "key", seq, item) '
        'SELECT case_id, "key", seq, item FROM case_entries ORDER BY case_id, "key", seq'
    )
    op.execute("DROP TABLE case_entries")
    op.execute("ALTER TABLE case_entries_new RENAME TO case_entries")


def _rebuild_timers(keyed: bool) -> None:
    """The timers into a new table: keyed, ids case_id × 2**24 + n in (case_id, id) order;
    else ids 1, 2, … in id order (which keeps each case's timers in the order they were
    started) and ix_timers_case_id back. The step's trigger is made anew to match."""
    if keyed:
        ids = f"case_id * {TIMERS_PER_CASE} + row_number() OVER (PARTITION BY case_id ORDER BY id)"
    else:
        ids = "row_number() OVER (ORDER BY id)"
    columns = "case_id, " + ", ".join(f'"{c}"' for c in TIMER_COLUMNS)
    op.execute(TIMERS.format(CHECK if keyed else ""))
    op.execute(
        f"INSERT INTO timers_new (id, {columns}) SELECT {ids}, {columns} FROM timers ORDER BY 1"
    )
    op.execute("DROP TABLE timers")
    op.execute("ALTER TABLE timers_new RENAME TO timers")
    for statement in (*INDEXES, *(() if keyed else (CASE_INDEX,))):
        op.execute(statement)


def _step_trigger(timer_ids: bool) -> None:
    for statement in case_steps.sqlite_ddl(event_ids=True, entries=True, timer_ids=timer_ids):
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL keeps its serial timer ids and ix_timers_case_id
    for statement in case_steps.SQLITE_DROP:
        op.execute(statement)
    _rebuild_entries(without_rowid=True)
    _rebuild_timers(keyed=True)
    _step_trigger(timer_ids=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in case_steps.SQLITE_DROP:
        op.execute(statement)
    _rebuild_timers(keyed=False)
    _rebuild_entries(without_rowid=False)
    _step_trigger(timer_ids=False)
