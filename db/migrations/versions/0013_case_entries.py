"""a case's growing lists (its services and payments) as rows of their own: the case row
keeps a count, ``{"$entries": n}`` (engine/domain/entries.py)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 19:00:00
"""

from __future__ import annotations

import orjson
import sqlalchemy as sa
import sqlmodel
from alembic import op

from db import case_steps
from engine.domain.entries import COUNT, ENTRY_KEYS

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_cases = sa.table("cases", sa.column("id", sa.Integer()), sa.column("data", sa.JSON()))
_entries = sa.table(
    "case_entries",
    sa.column("case_id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("item", sa.JSON()),
)


def _data(value: object) -> dict:
    if isinstance(value, (str, bytes)):
        value = orjson.loads(value)
    return dict(value or {})  # type: ignore[call-overload]


def _step_trigger(entries: bool) -> None:
    """SQLite: the step's view and trigger made anew, inserting the entry rows or not."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in case_steps.SQLITE_DROP:
        op.execute(statement)
    for statement in case_steps.sqlite_ddl(event_ids=True, entries=entries, timer_ids=False):
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "case_entries",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("case_id", "key", "seq"),
    )
    bind = op.get_bind()
    for case_id, raw in bind.execute(sa.select(_cases.c.id, _cases.c.data)).all():
        data = _data(raw)
        moved = {k: v for k, v in data.items() if k in ENTRY_KEYS and isinstance(v, list)}
        if not moved:
            continue
        rows = [
            {"case_id": case_id, "key": k, "seq": i, "item": item}
            for k, items in moved.items()
            for i, item in enumerate(items)
        ]
        if rows:
            bind.execute(sa.insert(_entries), rows)
        data.update({k: {COUNT: len(v)} for k, v in moved.items()})
        bind.execute(sa.update(_cases).where(_cases.c.id == case_id).values(data=data))
    _step_trigger(entries=True)


def downgrade() -> None:
    _step_trigger(entries=False)
    bind = op.get_bind()
    items: dict[int, dict[str, list]] = {}
    rows = bind.execute(
        sa.select(_entries).order_by(_entries.c.case_id, _entries.c.key, _entries.c.seq)
    ).mappings()
    for r in rows:
        items.setdefault(r["case_id"], {}).setdefault(r["key"], []).append(_data(r["item"]))
    for case_id, lists in items.items():
        raw = bind.execute(sa.select(_cases.c.data).where(_cases.c.id == case_id)).scalar_one()
        data = {**_data(raw), **lists}
        bind.execute(sa.update(_cases).where(_cases.c.id == case_id).values(data=data))
    op.drop_table("case_entries")
