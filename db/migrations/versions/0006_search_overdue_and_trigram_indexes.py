"""case search: a partial index of overdue cases; trigram indexes for the substring search
of party and complainant names (PostgreSQL: pg_trgm GIN; SQLite: an FTS5 trigram table)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.name_search import SQLITE_DDL, SQLITE_DROP

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TRIGRAM = {"ix_cases_subject_trgm": "subject_name", "ix_cases_complainant_trgm": "complainant"}


def upgrade() -> None:
    op.create_index(
        "ix_cases_overdue",
        "cases",
        ["opened_at", "id"],
        sqlite_where=sa.text("overdue IS 1"),
        postgresql_where=sa.text("overdue IS true"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DDL:  # FTS5 trigram table over the names (db/name_search.py)
            op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAM.items():
            op.create_index(
                name,
                "cases",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM:
            op.drop_index(name, table_name="cases")
    op.drop_index("ix_cases_overdue", table_name="cases")
