"""Substring search over party and complainant names, served by an index on both stores.

PostgreSQL: ``ILIKE '%…%'`` on the columns, which the pg_trgm GIN indexes of migration 0006
serve. SQLite: the FTS5 trigram table ``cases_fts`` (external content: the cases table itself,
kept current by triggers; no per-row token counts, ``columnsize=0``, as nothing ranks the
matches: one b-tree less written per new case) matched for three characters or more;
shorter text (a two-character name such as 张三) scans, as a trigram index cannot serve it.

Since migration 0015 new cases are indexed in batches (`BATCHED_DDL`): indexing one case's
names wrote three or four pages (the FTS5 segment, its structure record, its index) in the
command that opened it. A one-row table, ``cases_fts_indexed``, holds the mark: every case
with an id at or below it is in the index; the cases above it — fewer than `FTS_BATCH` — are
the tail, which the search scans by rowid range (`name_contains`). The insert of the case
that takes the tail to `FTS_BATCH` indexes the whole tail in one FTS5 insert and moves the
mark, inside the same statement and transaction; a name change or a delete touches the index
only for a case the index holds.
"""

from __future__ import annotations

from typing import Any

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
FTS_BATCH = 64
"""New cases indexed together: the tail the search scans stays under this many rows."""
MARK = f"{FTS_TABLE}_indexed"
"""One row: ``up_to``, the highest case id the FTS5 index is complete up to."""
_UP_TO = f"(SELECT up_to FROM {MARK})"
INDEX_TAIL = (
    f"INSERT INTO {FTS_TABLE}(rowid, subject_name, complainant) "
    f"SELECT id, subject_name, complainant FROM cases WHERE id > {_UP_TO}"
)
"""The cases above the mark into the index (the mark itself left where it is)."""
_NEW_ROW = (
    f"INSERT INTO {FTS_TABLE}(rowid, subject_name, complainant) "
    "VALUES (new.id, new.subject_name, new.complainant)"
)
_OLD_ROW = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject_name, complainant) "
    "VALUES ('delete', old.id, old.subject_name, old.complainant)"
)
BATCHED_DROP = (
    "DROP TRIGGER IF EXISTS cases_fts_update",
    "DROP TRIGGER IF EXISTS cases_fts_delete",
    "DROP TRIGGER IF EXISTS cases_fts_insert",
    "DROP TRIGGER IF EXISTS cases_fts_batch",
    f"DROP TABLE IF EXISTS {MARK}",
)
BATCHED_DDL = (
    f"CREATE TABLE {MARK} (id INTEGER PRIMARY KEY CHECK (id = 1), up_to INTEGER NOT NULL)",
    f"INSERT INTO {MARK} (id, up_to) VALUES (1, 0)",
    # One trigger, its steps in this order (not several triggers, whose firing order SQLite
    # does not promise): a case at or below the mark (an id SQLite gave again after a
    # delete) goes in at once; the case that takes the tail to a batch indexes the tail,
    # itself included, and moves the mark.
    f"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, subject_name, complainant) "
    f"SELECT new.id, new.subject_name, new.complainant WHERE new.id <= {_UP_TO}; "
    f"{INDEX_TAIL} AND new.id >= {_UP_TO} + {FTS_BATCH} ORDER BY id; "
    f"UPDATE {MARK} SET up_to = (SELECT max(id) FROM cases) "
    f"WHERE new.id >= up_to + {FTS_BATCH}; END",
    f"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases WHEN old.id <= {_UP_TO} "
    f"BEGIN {_OLD_ROW}; END",
    f"CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject_name, complainant ON cases "
    "WHEN (old.subject_name IS NOT new.subject_name OR old.complainant IS NOT new.complainant)"
    f" AND old.id <= {_UP_TO} BEGIN {_OLD_ROW}; {_NEW_ROW}; END",
)
"""Migration 0015: the index complete up to the mark, the tail above it indexed in batches
(the FTS5 table itself as `SQLITE_DDL` made it). The mark starts at 0; the migration sets
it to the last case's id after the index is complete."""


FOLD = "cf_fold"
"""The name under which `register_fold` gives SQLite the function `fold`."""


def fold(value: object) -> object:
    """A name case-folded as FTS5's trigram tokenizer folds it (Unicode lower case: Latin,
    full-width Ｌａｔｉｎ, Greek, Cyrillic …); SQLite's own lower() folds only A–Z."""
    return value.lower() if isinstance(value, str) else value


def register_fold(dbapi_conn: Any) -> None:
    """Make `fold` the SQL function ``cf_fold`` of a sqlite3 connection."""
    dbapi_conn.create_function(FOLD, 1, fold, deterministic=True)


def is_index_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables (SQLite), which the table models do not declare."""
    return bool(name) and (name == FTS_TABLE or str(name).startswith(FTS_TABLE + "_"))


def name_contains(cases: sa.Table, text: str, dialect: str) -> sa.ColumnElement[bool]:
    """The case's party or complainant name contains ``text`` (``dialect``: the store's)."""
    if dialect == "sqlite" and len(text) >= TRIGRAM:
        # The text as one FTS5 phrase (double quotes doubled), over both columns, and the
        # tail not yet indexed scanned by its rowid range. Plain `IN` on the rowid: SQLite
        # then looks the matches up by primary key.
        # The tail's names folded as the trigram tokenizer folds them (`fold`, registered on
        # every connection by db/engine.py), so both find the same cases.
        phrase = '"' + text.replace('"', '""') + '"'
        matching = sa.text(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query UNION ALL "
            f"SELECT fts_tail.id FROM cases AS fts_tail WHERE fts_tail.id > {_UP_TO} AND "
            f"(instr({FOLD}(fts_tail.subject_name), :fts_folded) > 0 "
            f"OR instr({FOLD}(fts_tail.complainant), :fts_folded) > 0)"
        )
        return cases.c.id.in_(
            matching.bindparams(
                fts_query="{subject_name complainant}: " + phrase, fts_folded=fold(text)
            )
        )
    # Case-insensitive for Latin letters on both stores (PostgreSQL: ILIKE, which the
    # trigram indexes serve; FTS5's trigram tokenizer folds case too).
    return sa.or_(
        cases.c.subject_name.icontains(text, autoescape=True),
        cases.c.complainant.icontains(text, autoescape=True),
    )
