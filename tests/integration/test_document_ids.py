"""SQLite: a document's id is keyed by its case (db/document_ids.py, migration 0017), so a
case's documents are a rowid range and no index on documents.case_id is written; the
documents issued before keep their serial ids (their events record them) behind a partial
index. Every read of a case's documents is a range or that index, never a scan."""

from __future__ import annotations

import zlib
from datetime import timedelta
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from db import repositories
from db.deflate import DATA, HTML, PLAIN_ZLIB
from db.document_ids import document_id, documents_t
from db.migrate import alembic_config
from db.repositories import SqlDocumentRepository
from db.tables import DOCUMENTS_PER_CASE
from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.service.document_ports import DocumentFormat
from tests.integration.helpers import FINDINGS, advance_to_payment_ordered, open_complaint

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
REJECTION = {"ground": "投诉人已就同一事项申请劳动争议仲裁，仲裁院已受理。"}


def _reject(app: App) -> int:
    """A complaint not accepted: its case's id (one document issued)."""
    case = open_complaint(app)
    app.cases.fire(case.ref, "reject", REJECTION, actor="wang")
    assert case.id is not None
    return case.id


def _ids(app: App, case_id: int | None = None) -> list[int]:
    q = sa.select(documents_t.c.id).order_by(documents_t.c.id)
    if case_id is not None:
        q = q.where(documents_t.c.case_id == case_id)
    with app.db.connect() as conn:
        return list(conn.execute(q).scalars())


def _plan(conn: sa.Connection, sql: str, params: object = ()) -> str:
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()  # type: ignore[arg-type]
    return "\n".join(str(r[-1]) for r in rows)


def _ddl(conn: sa.Connection) -> dict[str, str]:
    return dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())


def test_each_cases_documents_are_numbered_in_the_order_they_were_issued(
    staffed: App, clock: FixedClock
) -> None:
    first = advance_to_payment_ordered(staffed, clock)
    other = _reject(staffed)
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    [order] = staffed.queries.get_case(first.ref).documents
    record = {"document": order.id, "recipient": "某公司", "method": "direct", "signed_by": "陈某"}
    staffed.cases.record_service(first.ref, {**record, "served_on": today}, actor="wang")
    assert first.id is not None
    assert _ids(staffed, first.id) == [document_id(first.id, n) for n in (1, 2)]
    assert _ids(staffed, other) == [document_id(other, 1)]
    kinds = [n.document.kind for n in staffed.documents.notices(first.ref)]
    assert kinds == ["rectification_order", "delivery_receipt"]
    assert max(_ids(staffed)) < 2**53  # exact in JSON and JavaScript
    assert staffed.integrity.verify().ok


def test_sqlite_refuses_a_document_whose_id_is_not_keyed_by_its_case(staffed: App) -> None:
    """A row written without the encoded id (SQLite would pick the next free rowid, in the
    later case's range) or with another case's is refused by the CHECK."""
    case, later = _reject(staffed), _reject(staffed)
    with staffed.db.connect() as conn:
        row = dict(
            conn.execute(sa.select(documents_t).where(documents_t.c.case_id == case)).one()._mapping
        )
        for bad in (None, document_id(later, 2), case * DOCUMENTS_PER_CASE):
            with pytest.raises(IntegrityError, match="ck_documents_id_in_case"):
                conn.execute(sa.insert(documents_t), [{**row, "id": bad, "number": "x"}])
            conn.rollback()
    with pytest.raises(ValueError):
        document_id(case, DOCUMENTS_PER_CASE)


def test_the_reads_of_a_cases_documents_search_its_rowid_range(staffed: App) -> None:
    """No read of documents by case scans the table (there is no case_id index on SQLite):
    the case's notices, the next id as a document is issued, verify's batches: the rowid
    range, and the partial index of the serial documents beside it."""
    _reject(staffed)
    recorded: list[tuple[str, object]] = []

    def record(*args: object) -> None:
        recorded.append((str(args[2]), args[3]))

    sa.event.listen(staffed.db, "before_cursor_execute", record)
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "reject", REJECTION, actor="wang")
    staffed.documents.notices(case.ref)
    assert staffed.integrity.verify().ok
    sa.event.remove(staffed.db, "before_cursor_execute", record)
    by_case = [
        (sql, params)
        for sql, params in recorded
        if "FROM documents" in sql and "documents.id = " not in sql
    ]
    assert [sql.split()[0] for sql, _ in by_case] == ["INSERT", "SELECT", "SELECT"]
    with staffed.db.connect() as conn:
        plans = [_plan(conn, sql, params) for sql, params in by_case]
    for plan in plans:
        assert "SCAN documents" not in plan and "ix_documents_case_id" not in plan, plan
        assert "documents USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan, plan
    for plan in plans[1:]:
        assert "USING INDEX ix_documents_serial_case_id" in plan, plan


def _json(data: object) -> str:
    return orjson.dumps(data).decode("utf-8")


Snapshot = tuple[list[tuple[int, str, str, str, str, dict[str, Any]]], list[Any]]


def _snapshot(app: App) -> Snapshot:
    """Every document as read (id, case, number, hash, HTML, data) and every file."""
    with app.db.connect() as conn:
        docs = SqlDocumentRepository(conn)
        ids = conn.execute(sa.select(documents_t.c.id).order_by(documents_t.c.id)).scalars()
        read = [docs.get(i) for i in ids]
        files = conn.exec_driver_sql(
            "SELECT id, document_id, format, sha256, size, content FROM document_files"
        ).all()
    return [(d.id, d.case_ref, d.number, d.sha256, d.html, d.data) for d in read if d], list(files)


def test_migration_0017_keeps_every_document_its_id_both_ways(
    staffed: App, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents issued at 0015 (serial ids, their HTML plain zlib, their data JSON text),
    a service of one and its PDF: at the head every id, value and file is as it was, the
    case's later documents are keyed by it after them, verify passes; back at 0015 the
    values are stored as 0015 reads them and ix_documents_case_id is back; up again, and
    the documents written since are deflated with the dictionaries."""
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
    serial = repositories._INSERT_DOCUMENT["postgresql"]  # SQLite picks the id, as at 0015
    monkeypatch.setitem(repositories._INSERT_DOCUMENT, "sqlite", serial)
    case = advance_to_payment_ordered(staffed, clock)
    rejected = _reject(staffed)
    [order] = staffed.queries.get_case(case.ref).documents
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    service = {
        "document": order.id,
        "recipient": "某公司",
        "method": "direct",
        "served_on": today,
        "signed_by": "陈某",
    }
    staffed.cases.record_service(case.ref, service, actor="wang")
    assert _ids(staffed) == [1, 2, 3]
    assert staffed.documents.store(order.id, "pdf")
    issued = _snapshot(staffed)[0]
    texts = {d[0]: d[4] for d in issued}
    with staffed.db.begin() as conn:  # as 0015 stored them
        for doc_id, _case, _number, _sha, html, data in issued:
            conn.exec_driver_sql(
                "UPDATE documents SET html = ?, data = ? WHERE id = ?",
                (zlib.compress(html.encode("utf-8"), 6), _json(data), doc_id),
            )
    before = _snapshot(staffed)
    assert staffed.integrity.verify().ok
    monkeypatch.undo()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        ddl = _ddl(conn)
        assert "ck_documents_id_in_case" in ddl["documents"]
        assert "ix_documents_case_id" not in ddl and "ix_documents_serial_case_id" in ddl
    assert _snapshot(staffed) == before
    assert staffed.integrity.verify().ok
    assert staffed.documents.render(order.id, "html").document.html == texts[order.id]
    clock.set(clock.now() + timedelta(days=1))
    staffed.cases.record_service(case.ref, service, actor="wang")
    assert case.id is not None
    keyed = document_id(case.id, 1)
    assert _ids(staffed, case.id) == [1, 3, keyed]
    assert _ids(staffed, rejected) == [2]
    assert [n.document.id for n in staffed.documents.notices(case.ref)] == [1, 3, keyed]
    assert staffed.integrity.verify().ok
    after = _snapshot(staffed)
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
        ddl = _ddl(conn)
        assert "ck_documents_id_in_case" not in ddl["documents"]
        assert "ix_documents_case_id" in ddl and "ix_documents_serial_case_id" not in ddl
        for data, html in conn.exec_driver_sql("SELECT data, html FROM documents"):
            assert isinstance(data, str) and isinstance(html, bytes) and html[0] == PLAIN_ZLIB
    assert _snapshot(staffed) == after
    assert staffed.integrity.verify().ok
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert _snapshot(staffed) == after
    staffed.cases.record_service(case.ref, service, actor="wang")
    with staffed.db.connect() as conn:
        data, html = conn.exec_driver_sql(
            "SELECT data, html FROM documents WHERE id = ?", (document_id(case.id, 2),)
        ).one()
    assert data[0] == DATA and html[0] == HTML
    assert staffed.integrity.verify().ok


def test_migration_0017_refuses_a_document_numbered_into_another_cases_range(
    staffed: App,
) -> None:
    """After a downgrade SQLite numbers a new document after the largest id, inside the
    last case's range: if it is another case's, the upgrade refuses (it keeps every id)."""
    first, last = _reject(staffed), _reject(staffed)
    cfg = alembic_config()
    with staffed.db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
        conn.exec_driver_sql(
            "INSERT INTO documents (case_id, kind, title, number, template, data, html,"
            " sha256, issued_at, issued_by) SELECT ?, kind, title, 'x', template, data, html,"
            " sha256, issued_at, issued_by FROM documents WHERE case_id = ?",
            (first, last),
        )
        with pytest.raises(RuntimeError, match=f"{document_id(last, 2)}"):
            command.upgrade(cfg, "head")


def test_documents_waiting_for_their_files_come_in_the_order_issued(
    staffed: App, clock: FixedClock
) -> None:
    """On SQLite a document's id is keyed by its case: the older case's notice, issued
    later, has the smaller id; the files are still made oldest notice first."""
    older = open_complaint(staffed)
    newer = advance_to_payment_ordered(staffed, clock)  # its order issued first
    clock.set(clock.now() + timedelta(days=1))
    staffed.cases.fire(older.ref, "accept", {"summary": "受理"}, actor="wang")
    staffed.cases.assign(older.ref, ["wang", "li"], actor="chen")
    staffed.cases.fire(older.ref, "start_investigation", actor="wang")
    staffed.cases.fire(older.ref, "record_findings", FINDINGS, actor="li")
    staffed.cases.fire(older.ref, "order_payment", {}, actor="wang")
    [first] = staffed.queries.get_case(newer.ref).documents
    [second] = staffed.queries.get_case(older.ref).documents
    with staffed.context.uow(readonly=True) as uow:
        waiting = uow.files.pending(DocumentFormat.PDF, 10)
    assert waiting.index(first.id) < waiting.index(second.id)
