"""Alembic environment: runs on the connection `caseflow init` hands in, or on the URL."""

from __future__ import annotations

from alembic import context

from db.engine import database_url, make_engine
from db.tables import METADATA

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(database_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=METADATA, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
