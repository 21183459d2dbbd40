"""Substring search over party and complainant names, served by an index on both stores.

PostgreSQL: ``ILIKE '%…%'`` on the columns, which the pg_trgm GIN indexes of migration 0006
serve. SQLite: the FTS5 trigram table ``cases_fts`` (external content: the cases table itself,
kept current by triggers; no per-row token counts, ``columnsize=0``, as nothing ranks the
matches: one b-tree less written per new case) matched for three characters or more;
shorter text (a two-character name such as 张三) scans, as a trigram index cannot serve it.
"""

from __future__ import annotations

import sqlalchemy as sa

FTS_TABLE = "cases_fts"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(subject_name, complainant, "
    "content='cases', content_rowid='id', tokenize='trigram', columnsize=0)",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    f"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, subject_name, complainant) "
    "VALUES (new.id, new.subject_name, new.complainant); END",
    f"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject_name, complainant) "
    "VALUES ('delete', old.id, old.subject_name, old.complainant); END",
    # Commands rewrite the case row; only a change of the names touches the index.
    f"CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject_name, complainant ON cases "
    "WHEN old.subject_name IS NOT new.subject_name OR old.complainant IS NOT new.complainant "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject_name, complainant) "
    "VALUES ('delete', old.id, old.subject_name, old.complainant); "
    f"INSERT INTO {FTS_TABLE}(rowid, subject_name, complainant) "
    "VALUES (new.id, new.subject_name, new.complainant); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS cases_fts_update",
    "DROP TRIGGER IF EXISTS cases_fts_delete",
    "DROP TRIGGER IF EXISTS cases_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
TRIGRAM = 3


def is_index_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables (SQLite), which the table models do not declare."""
    return bool(name) and (name == FTS_TABLE or str(name).startswith(FTS_TABLE + "_"))


def name_contains(cases: sa.Table, text: str, dialect: str) -> sa.ColumnElement[bool]:
    """The case's party or complainant name contains ``text`` (``dialect``: the store's)."""
    if dialect == "sqlite" and len(text) >= TRIGRAM:
        # The text as one FTS5 phrase (double quotes doubled), over both columns. Plain `IN`
        # on the rowid: SQLite then looks the matches up by primary key.
        phrase = '"' + text.replace('"', '""') + '"'
        matching = sa.text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query")
        return cases.c.id.in_(
            matching.bindparams(fts_query="{subject_name complainant}: " + phrase)
        )
    # Case-insensitive for Latin letters on both stores (PostgreSQL: ILIKE, which the
    # trigram indexes serve; FTS5's trigram tokenizer folds case too).
    return sa.or_(
        cases.c.subject_name.icontains(text, autoescape=True),
        cases.c.complainant.icontains(text, autoescape=True),
    )
