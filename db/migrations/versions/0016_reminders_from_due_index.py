"""SQLite: the sweep reads the reminders from the running timers' due index, up to a bound
(db/timers.py), so the reminders' own index goes: two pages fewer written by each command
that starts or ends a deadline. PostgreSQL keeps it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

REMIND_INDEX = (
    "CREATE INDEX ix_timers_running_remind ON timers (remind_at)"
    " WHERE status = 'pending' AND NOT paused AND remind_at IS NOT NULL"
)
"""The index as 0002 (and, on SQLite, 0014) created it."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX ix_timers_running_remind")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(REMIND_INDEX)
