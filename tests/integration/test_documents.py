"""Notice documents end to end, on SQLite and PostgreSQL: every stored document re-renders
to its issued bytes; HTML, Word and PDF of stored documents; the worker's PDF job, also with
two workers at once; tampering refused; numbers unique and gap-free under parallel issuers
and after a rolled-back command; the `notices` and `notice` CLI commands."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from db.deflate import HTML, deflate
from db.tables import DocumentRow
from engine.adapters.clock import FixedClock
from engine.adapters.notices import JinjaNoticeRenderer
from engine.bootstrap import App, bootstrap
from engine.domain.errors import CaseNotFound
from engine.entrypoints.cli import app as cli_app
from engine.service.document_ports import DocumentFormat
from engine.service.documents import (
    DocumentIntegrityError,
    DocumentNotFound,
    DocumentNotReady,
    DocumentService,
    UnsupportedFormat,
)
from engine.service.issuing import keep_used
from engine.service.ports import TemplateFields
from tests.integration.helpers import advance_to_payment_ordered, open_complaint
from tests.unit.notices._support import GOLDEN_DIR, docx_text, pdf_text, stem

runner = CliRunner()
documents_t = DocumentRow.__table__  # type: ignore[attr-defined]
REJECTION = {"ground": "投诉人已就同一事项申请劳动争议仲裁，仲裁院已受理。"}


def issue_all(app: App, clock: FixedClock) -> list[str]:
    """Cases holding the wage-arrears documents: payment order, arbitration advice, and a
    complaint not accepted."""
    case = advance_to_payment_ordered(app, clock)
    clock.set(clock.now() + timedelta(days=1))
    app.cases.fire(case.ref, "advise_arbitration", actor="li")
    rejected = open_complaint(app)
    app.cases.fire(rejected.ref, "reject", REJECTION, actor="wang")
    return [case.ref, rejected.ref]


def issue_one(app: App) -> int:
    """One complaint not accepted: one document. Returns its id."""
    case = open_complaint(app)
    app.cases.fire(case.ref, "reject", REJECTION, actor="wang")
    return app.documents.notices(case.ref)[0].document.id


def all_document_ids(app: App) -> list[int]:
    with app.db.connect() as conn:
        return list(conn.execute(sa.select(documents_t.c.id).order_by(documents_t.c.id)).scalars())


def test_every_stored_document_re_renders_to_its_issued_bytes(
    staffed: App, clock: FixedClock
) -> None:
    refs = issue_all(staffed, clock)
    docs = staffed.documents
    ids = all_document_ids(staffed)
    assert len(ids) >= 3
    for doc_id in ids:
        check = docs.check(doc_id)
        assert check.same, f"{check.document.number} re-renders differently"
    assert all(c.same for ref in refs for c in docs.check_case(ref))


def test_stored_data_has_the_shape_of_the_golden_inputs(staffed: App, clock: FixedClock) -> None:
    """Golden inputs are what the service stores, so the golden tests test real documents."""
    issue_all(staffed, clock)
    docs = staffed.documents
    for doc_id in all_document_ids(staffed):
        doc = docs.document(doc_id)
        golden = json.loads((GOLDEN_DIR / f"{stem(doc.template)}.json").read_text("utf-8"))
        # A document stores the part of the data its templates read (issuing.keep_used):
        # the golden input cut down the same way has the stored data's shape.
        fields = staffed.documents.renderer.fields(doc.template)
        expected = keep_used(golden, fields)
        assert set(doc.data) == set(expected), doc.template
        for part in ("bureau", "case", "party"):
            if part in expected:
                assert set(doc.data[part]) == set(expected[part]), f"{doc.template}: {part}"


def test_a_case_notices_in_every_format(staffed: App, clock: FixedClock) -> None:
    ref = issue_all(staffed, clock)[0]
    docs = staffed.documents
    listing = docs.notices(ref)
    assert [n.document.kind for n in listing] == ["rectification_order", "arbitration_advice"]
    order = listing[0].document
    html = docs.render(order.id, "html")
    assert html.content == order.html.encode("utf-8") and html.sha256 == order.sha256
    word = docs.render(order.id, DocumentFormat.DOCX)
    assert "壹佰零伍万元整" in docx_text(word.content) and not word.stored
    pdf = docs.render(order.id, "PDF")
    assert pdf.content.startswith(b"%PDF-") and not pdf.stored
    text = pdf_text(pdf.content)
    assert order.number in text and "2026年3月20日" in text and "壹佰零伍万元整" in text
    with pytest.raises(CaseNotFound):
        docs.notices("WA2026-9999")


def test_the_worker_renders_each_pdf_once(staffed: App, clock: FixedClock) -> None:
    issue_all(staffed, clock)
    docs = staffed.documents
    ids = all_document_ids(staffed)
    with pytest.raises(DocumentNotReady) as not_ready:
        docs.render(ids[0], "pdf", render_missing=False)
    assert not_ready.value.code == "DOCUMENT_NOT_READY"
    clock.set(clock.now() + timedelta(hours=1))
    assert docs.render_pending(limit=1) == 1
    assert docs.render_pending(limit=50) == len(ids) - 1
    assert docs.render_pending() == 0
    for doc_id in ids:
        doc = docs.document(doc_id)
        listing = {n.document.id: n for n in docs.notices(doc.case_ref)}[doc_id]
        info = listing.file(DocumentFormat.PDF)
        assert info is not None
        assert info.source_sha256 == doc.sha256 and info.rendered_at == clock.now()
        assert info.renderer.startswith("WeasyPrint")
        stored = docs.render(doc_id, "pdf", render_missing=False)
        assert stored.stored and stored.sha256 == info.sha256 and len(stored.content) == info.size
        assert doc.number in pdf_text(stored.content)
    assert docs.store(ids[0], "pdf") is False


def test_two_workers_store_each_pdf_exactly_once(
    staffed: App, db_url: str, clock: FixedClock
) -> None:
    issue_all(staffed, clock)
    issue_all(staffed, clock)
    ids = all_document_ids(staffed)
    workers = [bootstrap(db_url, clock=clock, county="dingan") for _ in range(2)]
    counts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(workers))

    def work(app: App) -> None:
        service = app.documents
        barrier.wait()
        try:
            counts.append(service.render_pending(limit=100))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert sum(counts) == len(ids)
    with staffed.db.connect() as conn:
        rows = conn.execute(sa.text("select document_id, format from document_files")).all()
    assert sorted(rows) == sorted((i, "pdf") for i in ids)
    for w in workers:
        w.close()


def test_a_tampered_document_is_not_handed_out(staffed: App) -> None:
    doc_id = issue_one(staffed)
    issue_one(staffed)
    docs = staffed.documents
    original = docs.document(doc_id).html
    assert "决定不予受理" in original
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(documents_t)
            .where(documents_t.c.id == doc_id)
            .values(html=original.replace("决定不予受理", "决定予以受理", 1))
        )
    for fmt in DocumentFormat:
        with pytest.raises(DocumentIntegrityError) as err:
            docs.render(doc_id, fmt)
        assert err.value.code == "DOCUMENT_INTEGRITY"
    assert docs.render_pending() == 1  # the other one; the tampered one is logged and skipped
    assert not docs.check(doc_id).same


def test_unknown_document_and_format(staffed: App) -> None:
    doc_id = issue_one(staffed)
    docs = staffed.documents
    with pytest.raises(DocumentNotFound) as missing:
        docs.render(9999, "pdf")
    assert missing.value.code == "DOCUMENT_NOT_FOUND" and "文书不存在" in missing.value.message
    with pytest.raises(UnsupportedFormat) as odt:
        docs.render(doc_id, "odt")
    assert odt.value.code == "UNSUPPORTED_FORMAT" and "html、docx、pdf" in odt.value.message
    with pytest.raises(UnsupportedFormat, match="docx、pdf"):
        docs.store(doc_id, "html")  # the issued HTML is the original; it is not stored again


# -- numbers: unique and gap-free -------------------------------------------------------


class Boom(RuntimeError):
    """The failing step of a command, after its document number was taken."""


class FailingRenderer:
    """Renders nothing: fails after the service has allocated the document's number."""

    def __init__(self) -> None:
        self.inner = JinjaNoticeRenderer()
        self.calls = 0

    def render(self, template: str, data: Mapping[str, Any]) -> str:
        self.calls += 1
        raise Boom(f"rendering {data['number']} failed")

    def exists(self, template: str) -> bool:
        return self.inner.exists(template)

    def fields(self, template: str) -> TemplateFields | None:
        return self.inner.fields(template)


def _numbers(app: App, kind: str) -> list[str]:
    """The numbers of the documents of ``kind``, in number order (on SQLite the ids follow
    the cases, not the order of issue)."""
    with app.db.connect() as conn:
        rows = conn.execute(
            sa.select(documents_t.c.number).where(documents_t.c.kind == kind)
        ).scalars()
        return sorted(rows, key=lambda n: (len(n), n))


def test_a_rolled_back_command_leaves_no_gap(staffed: App, db_url: str, clock: FixedClock) -> None:
    first, second = open_complaint(staffed), open_complaint(staffed)
    failing = FailingRenderer()
    broken = bootstrap(db_url, clock=clock, county="dingan", renderer=failing)
    with pytest.raises(Boom, match="定人社监不受〔2026〕1号"):
        broken.cases.fire(first.ref, "reject", REJECTION, actor="wang")
    assert failing.calls == 1
    assert staffed.queries.get_case(first.ref).case.state == "registered"
    assert _numbers(staffed, "not_accepted_notice") == []
    staffed.cases.fire(second.ref, "reject", REJECTION, actor="wang")
    staffed.cases.fire(first.ref, "reject", REJECTION, actor="wang")
    assert _numbers(staffed, "not_accepted_notice") == [
        "定人社监不受〔2026〕1号",
        "定人社监不受〔2026〕2号",
    ]
    broken.db.dispose()


def test_parallel_issuers_get_unique_gap_free_numbers(
    staffed: App, db_url: str, clock: FixedClock
) -> None:
    """Eight issuers, each with its own engine (connection pool) and case, fire at once;
    every third one fails after taking a number. The numbers that remain are 1..n."""
    cases = [open_complaint(staffed).ref for _ in range(8)]
    apps = [
        bootstrap(
            db_url,
            clock=clock,
            county="dingan",
            renderer=FailingRenderer() if i % 3 == 2 else None,
        )
        for i in range(len(cases))
    ]
    barrier = threading.Barrier(len(cases))
    outcomes: list[str] = []
    lock = threading.Lock()

    def issue(app: App, ref: str) -> None:
        barrier.wait()
        try:
            app.cases.fire(ref, "reject", REJECTION, actor="wang")
            result = "ok"
        except Boom:
            result = "failed"
        except BaseException as exc:
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=issue, args=pair) for pair in zip(apps, cases, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(outcomes) == ["failed"] * 2 + ["ok"] * 6
    numbers = _numbers(staffed, "not_accepted_notice")
    assert sorted(numbers) == sorted(f"定人社监不受〔2026〕{n}号" for n in range(1, 7))
    for app in apps:
        app.db.dispose()


# -- the command line --------------------------------------------------------------------


def _cli(db_url: str, *args: str) -> Any:
    return runner.invoke(cli_app, ["--db", db_url, "--county", "dingan", *args])


def test_cli_lists_renders_and_checks(
    staffed: App, db_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    ref = issue_all(staffed, clock)[0]
    listed = _cli(db_url, "notices", ref, "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [r["number"] for r in rows] == ["定人社监令〔2026〕1号", "定人社监仲告〔2026〕1号"]
    assert rows[0]["pdf_ready"] is False and rows[0]["files"] == []
    plain = _cli(db_url, "notices", ref)
    assert (
        plain.exit_code == 0
        and "定人社监令〔2026〕1号" in plain.stdout
        and "待生成" in plain.stdout
    )

    doc_id = rows[0]["id"]
    for fmt in ("html", "docx", "pdf"):
        target = tmp_path / f"order.{fmt}"
        result = _cli(db_url, "notice", "render", str(doc_id), "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 1000
    assert hashlib.sha256((tmp_path / "order.html").read_bytes()).hexdigest() == rows[0]["sha256"]
    stored = staffed.documents.document(doc_id)
    assert (tmp_path / "order.html").read_text("utf-8") == stored.html
    assert "定人社监令〔2026〕1号" in pdf_text((tmp_path / "order.pdf").read_bytes())

    to_stdout = _cli(db_url, "notice", "render", str(doc_id), "-f", "pdf", "-o", "-")
    assert to_stdout.exit_code == 0 and to_stdout.stdout_bytes.startswith(b"%PDF-")
    checked = _cli(db_url, "notice", "check", str(doc_id), "--json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["same"] is True


CLI_ERRORS = [
    (("notices", "WA2026-9999"), "CASE_NOT_FOUND"),
    (("notice", "render", "9999", "-o", "x.pdf"), "DOCUMENT_NOT_FOUND"),
    (("notice", "render", "{id}", "--format", "odt", "-o", "x.odt"), "UNSUPPORTED_FORMAT"),
    (("notice", "check", "9999"), "DOCUMENT_NOT_FOUND"),
]


def test_cli_errors(staffed: App, db_url: str) -> None:
    doc_id = issue_one(staffed)
    for args, code in CLI_ERRORS:
        result = _cli(db_url, *(a.format(id=doc_id) for a in args), "--json")
        assert result.exit_code == 2, args
        error = json.loads(result.stdout)["error"]
        assert error["code"] == code and error["message"], args


def test_document_service_is_built_from_the_app(staffed: App) -> None:
    service = staffed.documents
    assert isinstance(service, DocumentService)
    assert service.clock is staffed.clock and service.renderer is staffed.renderer


def test_sqlite_stores_the_html_deflated_and_reads_plain_text_as_stored(staffed: App) -> None:
    """SQLite keeps a document's HTML deflated with the notices' dictionary (db/deflate.py);
    reads give the text back, and a value edited by hand as plain text is read as it is, so
    the hash check still sees it."""
    doc_id = issue_one(staffed)
    docs = staffed.documents
    original = docs.document(doc_id).html
    assert docs.check(doc_id).same
    sqlite = staffed.db.dialect.name == "sqlite"
    with staffed.db.begin() as conn:
        stored = conn.exec_driver_sql(f"SELECT html FROM documents WHERE id = {doc_id}").scalar()
        assert (
            (stored == deflate(original.encode("utf-8"), HTML) and stored[0] == HTML)
            if sqlite
            else (stored == original)
        )
        conn.exec_driver_sql(
            "UPDATE documents SET html = ? WHERE id = ?"
            if sqlite
            else "UPDATE documents SET html = %s WHERE id = %s",
            (original.replace("决定不予受理", "决定予以受理", 1), doc_id),
        )
    assert "决定予以受理" in docs.document(doc_id).html
    assert not docs.check(doc_id).same
