"""timer pauses and notification outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:28:11.479703
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", db.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", db.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_notifications_pending", ["delivered_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_recipient"), ["recipient"], unique=False)

    with op.batch_alter_table("timers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pauses", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("extensions", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("remind_at", db.tables.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_index("ix_timers_status_due")
    running = "status = 'pending' AND NOT paused"
    for name, column, where in (
        ("ix_timers_running_due", "due_at", running),
        ("ix_timers_running_remind", "remind_at", f"{running} AND remind_at IS NOT NULL"),
    ):
        op.create_index(
            name,
            "timers",
            [column],
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )


def downgrade() -> None:
    op.drop_index("ix_timers_running_remind", table_name="timers")
    op.drop_index("ix_timers_running_due", table_name="timers")
    with op.batch_alter_table("timers", schema=None) as batch_op:
        batch_op.create_index("ix_timers_status_due", ["status", "due_at"], unique=False)
        batch_op.drop_column("remind_at")
        batch_op.drop_column("paused")
        batch_op.drop_column("extensions")
        batch_op.drop_column("pauses")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_recipient"))
        batch_op.drop_index("ix_notifications_pending")
        batch_op.drop_index(batch_op.f("ix_notifications_case_id"))

    op.drop_table("notifications")
