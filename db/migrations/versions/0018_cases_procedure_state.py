"""One index for a case's procedure and state (ix_cases_procedure_state) instead of one
each: opening a case writes one index entry for both, not two (a WAL page fewer per case
on SQLite); the search by state alone reads it once per procedure with the state.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 04:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_procedure_state", "cases", ["procedure", "state"])
    op.drop_index("ix_cases_procedure", table_name="cases")
    op.drop_index("ix_cases_state", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_procedure", "cases", ["procedure"])
    op.drop_index("ix_cases_procedure_state", table_name="cases")
