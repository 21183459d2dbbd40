"""case_steps: on SQLite, a command's case compare-and-set and its event in one statement
(a view with an INSTEAD OF trigger, db/case_steps.py); PostgreSQL uses a writable CTE and
needs nothing here

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

from alembic import op

from db.case_steps import SQLITE_DROP, sqlite_ddl

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in sqlite_ddl(
            event_ids=False, entries=False, timer_ids=False
        ):  # ids assigned by SQLite until 0012
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
