"""SQLite: new cases indexed for the name search in batches of `FTS_BATCH`, not one by one
(db/name_search.py): the FTS5 index complete up to a mark, the tail above it scanned by the
search. PostgreSQL is left as it is.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 01:30:00
"""

from __future__ import annotations

from alembic import op

from db.name_search import BATCHED_DDL, BATCHED_DROP, INDEX_TAIL, MARK, SQLITE_DDL, SQLITE_DROP

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SQLITE_DROP[:3]:  # the per-row triggers; the index stays complete
        op.execute(statement)
    for statement in BATCHED_DDL:
        op.execute(statement)
    op.execute(f"UPDATE {MARK} SET up_to = coalesce((SELECT max(id) FROM cases), 0)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The tail into the index, so that it is complete again for the per-row triggers.
    op.execute(f"{INDEX_TAIL} ORDER BY id")
    for statement in BATCHED_DROP:
        op.execute(statement)
    for statement in SQLITE_DDL[2:]:  # the per-row triggers (no rebuild: it is complete)
        op.execute(statement)
