"""case_assignees keyed by (user, case): the primary key answers both "cases of inspector
X" and "is X assigned to this case", so ix_case_assignees_user goes. On SQLite (WITHOUT
ROWID) an assignee is then one b-tree entry, not two: a WAL page less on opening a case and
on assigning one. PostgreSQL keeps an index by case for its foreign key.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 04:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_TABLE = (
    "CREATE TABLE case_assignees_new (\n"
    "\t{first} NOT NULL, \n"
    "\t{second} NOT NULL, \n"
    "\tPRIMARY KEY ({key}), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id)\n"
    ") WITHOUT ROWID"
)
_CASE, _USER = "case_id INTEGER", "user_name VARCHAR(64)"


def _rebuild(by_user: bool) -> None:
    """SQLite cannot change a primary key: the table made anew, its rows copied."""
    columns = (_USER, _CASE) if by_user else (_CASE, _USER)
    key = "user_name, case_id" if by_user else "case_id, user_name"
    op.execute(_TABLE.format(first=columns[0], second=columns[1], key=key))
    op.execute(
        "INSERT INTO case_assignees_new (case_id, user_name) "
        "SELECT case_id, user_name FROM case_assignees"
    )
    op.execute("DROP TABLE case_assignees")
    op.execute("ALTER TABLE case_assignees_new RENAME TO case_assignees")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(by_user=True)  # the old table's index goes with it
        return
    op.create_index("ix_case_assignees_case_id", "case_assignees", ["case_id"])
    op.drop_constraint("case_assignees_pkey", "case_assignees", type_="primary")
    op.create_primary_key("case_assignees_pkey", "case_assignees", ["user_name", "case_id"])
    op.drop_index("ix_case_assignees_user", table_name="case_assignees")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(by_user=False)
        op.execute("CREATE INDEX ix_case_assignees_user ON case_assignees (user_name, case_id)")
        return
    op.create_index("ix_case_assignees_user", "case_assignees", ["user_name", "case_id"])
    op.drop_constraint("case_assignees_pkey", "case_assignees", type_="primary")
    op.create_primary_key("case_assignees_pkey", "case_assignees", ["case_id", "user_name"])
    op.drop_index("ix_case_assignees_case_id", table_name="case_assignees")
