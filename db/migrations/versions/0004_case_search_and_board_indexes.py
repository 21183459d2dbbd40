"""case search and deadline board: case_assignees, opening-time and open-deadline indexes,
expired deadlines of states left marked as ended late

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_assignees",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("case_id", "user_name"),
    )
    op.create_index("ix_case_assignees_user", "case_assignees", ["user_name", "case_id"])
    op.create_index("ix_cases_opened", "cases", ["opened_at", "id"])
    op.create_index(
        "ix_timers_open_due",
        "timers",
        ["due_at", "id"],
        postgresql_where=sa.text("status IN ('pending', 'expired')"),
        sqlite_where=sa.text("status IN ('pending', 'expired')"),
    )
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("assignees", sa.JSON))
    assignees = sa.table(
        "case_assignees", sa.column("case_id", sa.Integer), sa.column("user_name", sa.String)
    )
    rows = [
        {"case_id": case_id, "user_name": name}
        for case_id, names in conn.execute(sa.select(cases.c.id, cases.c.assignees))
        for name in dict.fromkeys(names or [])
    ]
    if rows:
        conn.execute(sa.insert(assignees), rows)
    # An expired deadline of a state the case has left ended late; the board shows only the
    # deadlines of the states cases are in.
    conn.execute(
        sa.text(
            "UPDATE timers SET status = 'ended_late' WHERE status = 'expired' AND "
            "(state <> (SELECT cases.state FROM cases WHERE cases.id = timers.case_id) OR "
            "(SELECT cases.closed_at FROM cases WHERE cases.id = timers.case_id) IS NOT NULL)"
        )
    )


def downgrade() -> None:
    op.drop_index("ix_timers_open_due", table_name="timers")
    op.drop_index("ix_cases_opened", table_name="cases")
    op.drop_index("ix_case_assignees_user", table_name="case_assignees")
    op.drop_table("case_assignees")
