"""the user-administration log: append-only, hash-chained; one baseline entry per existing
user, so `verify` has the users' roles to compare with from the start

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:40:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.tables
from engine.domain.history import GENESIS
from engine.domain.integrity import UserLogEntry, credential_digest

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    log = op.create_table(
        "user_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", db.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("credential", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq"),
    )
    op.create_index("ix_user_log_user_name", "user_log", ["user_name"])
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("role", sa.String()),
        sa.column("unit", sa.String()),
        sa.column("active", sa.Boolean()),
        sa.column("password_hash", sa.String()),
    )
    rows = op.get_bind().execute(sa.select(users).order_by(users.c.id)).mappings().all()
    now = datetime.now(UTC)
    prev, entries = GENESIS, []
    for seq, r in enumerate(rows, start=1):
        entry = UserLogEntry(
            seq=seq,
            at=now,
            actor="",
            user_name=r["name"],
            action="baseline",
            role=r["role"],
            unit=r["unit"],
            active=bool(r["active"]),
            credential=credential_digest(r["password_hash"] or ""),
            prev_hash=prev,
        ).sealed()
        prev = entry.hash
        entries.append(
            {
                "seq": entry.seq,
                "at": entry.at,
                "actor": entry.actor,
                "user_name": entry.user_name,
                "action": entry.action,
                "role": entry.role,
                "unit": entry.unit,
                "active": entry.active,
                "credential": entry.credential,
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            }
        )
    if entries:
        op.bulk_insert(log, entries)


def downgrade() -> None:
    op.drop_index("ix_user_log_user_name", table_name="user_log")
    op.drop_table("user_log")
