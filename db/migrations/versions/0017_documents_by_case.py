"""SQLite: documents keyed by their case and deflated with dictionaries. A new document's
id is ``case_id × 2**24 + n`` (db/document_ids.py), held to it by a CHECK, so a case's
documents are a rowid range and ``ix_documents_case_id`` goes. The documents already
issued keep their ids — the history records each one's id in its issuing event, which the
hash chain seals, and services, timeline links and URLs name it — and a partial index
holds them alone (``ix_documents_serial_case_id``, ``WHERE id < 2**24``); the upgrade
refuses a database with a document that is neither (2**24 documents issued before, or,
after a downgrade, one SQLite numbered into another case's range). Their stored HTML and
data stay as they are (a plain zlib stream and JSON text still read back, db/deflate.py).
The table is rebuilt for the CHECK; document_files, which refers to it, is set aside
meanwhile (foreign keys are on).

The downgrade rebuilds the table without the CHECK, with ix_documents_case_id back, and
stores each document's HTML and data as 0015 reads them (plain zlib, JSON text); the ids
stay, as every id is valid there. PostgreSQL is left as it is.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 04:00:00
"""

from __future__ import annotations

import zlib

import sqlalchemy as sa
from alembic import op

from db.deflate import inflate
from db.tables import DOCUMENT_ID_CHECK, DOCUMENTS_PER_CASE, SERIAL_DOCUMENT

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = "id, case_id, kind, title, number, template, data, html, sha256, issued_at, issued_by"
DOCUMENTS = (
    "CREATE TABLE documents_new (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tkind VARCHAR(64) NOT NULL, \n"
    "\ttitle VARCHAR(200) NOT NULL, \n"
    "\tnumber VARCHAR(100) NOT NULL, \n"
    "\ttemplate VARCHAR(200) NOT NULL, \n"
    "\tdata JSON NOT NULL, \n"
    "\thtml TEXT NOT NULL, \n"
    "\tsha256 VARCHAR(64) NOT NULL, \n"
    "\tissued_at DATETIME NOT NULL, \n"
    "\tissued_by VARCHAR(64) NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "{}"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id), \n"
    "\tUNIQUE (number)\n"
    ")"
)
CHECK = f"\tCONSTRAINT ck_documents_id_in_case CHECK ({DOCUMENT_ID_CHECK}), \n"
SERIAL_INDEX = (
    f"CREATE INDEX ix_documents_serial_case_id ON documents (case_id) WHERE {SERIAL_DOCUMENT}"
)
CASE_INDEX = "CREATE INDEX ix_documents_case_id ON documents (case_id)"


def _rebuild_documents(keyed: bool) -> None:
    """The documents into a new table, ids and values as they are; document_files, which
    refers to it, emptied into a temporary table meanwhile and filled again."""
    op.execute("CREATE TEMP TABLE document_files_0017 AS SELECT * FROM document_files")
    op.execute("DELETE FROM document_files")
    op.execute(DOCUMENTS.format(CHECK if keyed else ""))
    op.execute(f"INSERT INTO documents_new ({COLUMNS}) SELECT {COLUMNS} FROM documents ORDER BY id")
    op.execute("DROP TABLE documents")
    op.execute("ALTER TABLE documents_new RENAME TO documents")
    op.execute(SERIAL_INDEX if keyed else CASE_INDEX)
    op.execute("INSERT INTO document_files SELECT * FROM document_files_0017 ORDER BY id")
    op.execute("DROP TABLE document_files_0017")


def _stored_as_before() -> None:
    """Each document's HTML as a plain zlib stream and its data as JSON text, as 0015
    reads them (a value already so is left alone)."""
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, data, html FROM documents").all()
    for doc_id, data, html in rows:
        if not isinstance(data, bytes) and not (isinstance(html, bytes) and html[0] != 0x78):
            continue
        if isinstance(data, bytes):
            data = inflate(data).decode("utf-8")
        if isinstance(html, bytes) and html[0] != 0x78:
            html = zlib.compress(inflate(html), 6)
        conn.execute(
            sa.text("UPDATE documents SET data = :data, html = :html WHERE id = :id"),
            {"data": data, "html": html, "id": doc_id},
        )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL keeps its serial document ids and ix_documents_case_id
    outside = conn.exec_driver_sql(
        f"SELECT id FROM documents WHERE NOT ({DOCUMENT_ID_CHECK}) ORDER BY id LIMIT 5"
    ).scalars()
    if found := list(outside):
        raise RuntimeError(
            f"documents {found} have ids neither below {DOCUMENTS_PER_CASE} nor in their"
            " case's range: 0017 keeps every document's id (its history records it)"
        )
    _rebuild_documents(keyed=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild_documents(keyed=False)
    _stored_as_before()
