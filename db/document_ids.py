"""On SQLite a document's rowid is keyed by its case, as an event's and a timer's are
(db/case_keys.py): ``case_id × 2**24 + n``, n = 1, 2, … in the order the case's documents
were issued. The documents table then keeps each case's documents together in rowid order
and needs no index on case_id — one page fewer written per document issued. The repository
supplies the id (`next_id`); PostgreSQL keeps a serial id and ix_documents_case_id.

The documents issued before (migration 0017) keep their serial ids: the history records
each document's id in its issuing event (hash-chained, so never rewritten), and services,
timeline links and URLs name it. They are all below 2**24, under every case's range (the
migration refuses a database with more), and a partial index on case_id holds them alone
(``ix_documents_serial_case_id``, ``WHERE id < 2**24``), which a new document never
enters. The CHECK holds every row to one or the other, and a case's documents are its
rowid range and its serial ones.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.case_keys import CaseKeyed
from db.tables import DOCUMENTS_PER_CASE, DocumentRow

documents_t: sa.Table = DocumentRow.__table__  # type: ignore[attr-defined]
DOCUMENTS = CaseKeyed(documents_t, documents_t.c.id, DOCUMENTS_PER_CASE, "document number")

document_id = DOCUMENTS.id
"""The rowid of a case's ``n``-th document on SQLite."""
_SERIAL = documents_t.c.id < sa.literal_column(str(DOCUMENTS_PER_CASE))
"""A serial id (before 0017), its bound a literal: the partial index's own term, which the
planner needs word for word to use the index."""


def next_id(case_id: sa.ColumnElement[int]) -> sa.ScalarSelect[int]:
    """The id of the case's next document (``case_id``: a bind parameter): after the
    largest in the case's rowid range, a b-tree descent."""
    return (
        sa.select(sa.func.coalesce(sa.func.max(documents_t.c.id), case_id * DOCUMENTS_PER_CASE) + 1)
        .where(DOCUMENTS.of_case(case_id, "sqlite"))
        .scalar_subquery()
    )


def of_case(case_id: sa.ColumnElement[int] | int, dialect: str) -> sa.ColumnElement[bool]:
    """The documents of one case: on SQLite its rowid range, or its serial documents."""
    if dialect != "sqlite":
        return documents_t.c.case_id == case_id
    serial = sa.and_(_SERIAL, documents_t.c.case_id == case_id)
    return sa.or_(DOCUMENTS.of_case(case_id, dialect), serial)


def of_cases_between(lo: int, hi: int, dialect: str) -> sa.ColumnElement[bool]:
    """The documents of the cases with ids ``lo`` to ``hi``: on SQLite one rowid range, or
    their serial documents."""
    if dialect != "sqlite":
        return DOCUMENTS.of_cases_between(lo, hi, dialect)
    c = documents_t.c
    serial = sa.and_(_SERIAL, c.case_id >= lo, c.case_id <= hi)
    return sa.or_(DOCUMENTS.of_cases_between(lo, hi, dialect), serial)
