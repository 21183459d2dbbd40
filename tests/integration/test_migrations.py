"""The Alembic migrations build exactly the schema the SQLModel tables declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.engine import make_engine
from db.name_search import is_index_table
from db.tables import METADATA, POSTGRES_ONLY_INDEXES


def test_migrations_match_the_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    postgres = engine.dialect.name == "postgresql"

    def include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        if kind == "table" and is_index_table(name):
            return False  # SQLite's FTS5 name index and its shadow tables
        return postgres or not (kind == "index" and name in POSTGRES_ONLY_INDEXES)

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        diff = compare_metadata(context, METADATA)
    engine.dispose()
    assert diff == []
