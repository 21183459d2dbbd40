"""Persistence: SQLModel tables, SQL repositories and unit of work, Alembic migrations."""
