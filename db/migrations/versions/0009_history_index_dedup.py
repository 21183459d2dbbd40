"""drop ix_history_case_id: the unique constraint uq_history_case_seq (case_id, seq)
already serves every lookup by case, so each event paid for a second index entry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index("ix_history_case_id")


def downgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index("ix_history_case_id", ["case_id"], unique=False)
