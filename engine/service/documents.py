"""Notices as files: list a case's documents, hand out an issued document as HTML, Word or
PDF, check that a document re-renders to the bytes that were issued, and, in the worker,
render and store the PDFs issued documents do not have yet (`render_pending`).

The issued HTML (stored with its SHA-256, which the case's hash-chained history records) is
the legal document; Word and PDF are made from it, never from the template again, so they
show what was issued even after a template changes. Before handing anything out the
service checks the stored HTML against the SHA-256 in the history.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from engine.domain.errors import CaseflowError
from engine.service.context import ServiceContext
from engine.service.document_ports import (
    DocumentFormat,
    DocxConverter,
    FileInfo,
    PdfConverter,
)
from engine.service.ports import AbstractUnitOfWork, Renderer
from engine.service.read_models import IssuedDocument

log = logging.getLogger(__name__)

DEFAULT_BATCH = 20


class DocumentNotFound(CaseflowError):
    code = "DOCUMENT_NOT_FOUND"

    def __init__(self, document_id: int) -> None:
        super().__init__(
            f"文书不存在：{document_id}（用 caseflow notices 案件编号 查看案件的文书）",
            document=document_id,
        )


class UnsupportedFormat(CaseflowError):
    code = "UNSUPPORTED_FORMAT"

    def __init__(self, fmt: str, known: list[str] | None = None) -> None:
        known = known or [f.value for f in DocumentFormat]
        super().__init__(
            f"不支持的文书格式：{fmt}；可用格式：{'、'.join(known)}", format=fmt, known=known
        )


class DocumentIntegrityError(CaseflowError):
    code = "DOCUMENT_INTEGRITY"

    def __init__(self, document_id: int, number: str, problem: str) -> None:
        super().__init__(
            f"文书 {number}（{document_id}）未通过完整性校验：{problem}；"
            "已拒绝输出，请联系管理员核查",
            document=document_id,
            number=number,
            problem=problem,
        )


class DocumentNotReady(CaseflowError):
    code = "DOCUMENT_NOT_READY"

    def __init__(self, document_id: int, number: str, fmt: DocumentFormat) -> None:
        super().__init__(
            f"文书 {number}（{document_id}）的{fmt.label}尚未由后台生成，请稍后再试",
            document=document_id,
            number=number,
            format=fmt.value,
        )


class DocumentRenderFailed(CaseflowError):
    code = "DOCUMENT_RENDER_FAILED"

    def __init__(self, document_id: int, number: str, fmt: DocumentFormat, why: str) -> None:
        super().__init__(
            f"文书 {number}（{document_id}）生成{fmt.label}失败：{why}",
            document=document_id,
            number=number,
            format=fmt.value,
            error=why,
        )


def parse_format(value: str | DocumentFormat) -> DocumentFormat:
    try:
        return DocumentFormat(str(value).strip().lower())
    except ValueError:
        raise UnsupportedFormat(str(value)) from None


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class NoticeListing:
    """An issued document and the rendered files stored for it."""

    document: IssuedDocument
    files: list[FileInfo]

    def file(self, fmt: DocumentFormat) -> FileInfo | None:
        return next((f for f in self.files if f.format is fmt), None)


@dataclass(frozen=True)
class RenderedDocument:
    document: IssuedDocument
    format: DocumentFormat
    content: bytes
    stored: bool
    """True when the bytes come from the store (the worker rendered them earlier)."""

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)

    @property
    def filename(self) -> str:
        return f"{self.document.number}{self.document.title}.{self.format.value}"


@dataclass(frozen=True)
class ReproductionCheck:
    """A document's template rendered again with its stored data, compared with the issued
    SHA-256 and with the HTML as stored now."""

    document: IssuedDocument
    rendered_sha256: str

    @property
    def stored_sha256(self) -> str:
        return sha256_hex(self.document.html.encode("utf-8"))

    @property
    def same(self) -> bool:
        return self.rendered_sha256 == self.document.sha256 == self.stored_sha256


class DocumentService:
    def __init__(
        self,
        ctx: ServiceContext,
        renderer: Renderer,
        pdf: PdfConverter,
        docx: DocxConverter,
    ) -> None:
        self.uow = ctx.uow
        self.clock = ctx.clock
        self.renderer = renderer
        self.pdf = pdf
        self.docx = docx

    # -- reads ---------------------------------------------------------------------------

    def notices(self, case_ref: str) -> list[NoticeListing]:
        """A case's documents in issue order (CaseNotFound for an unknown case)."""
        with self.uow(readonly=True) as uow:
            uow.cases.get(case_ref)
            docs = uow.documents.for_case(case_ref)
            files = uow.files.infos([d.id for d in docs])
        return [NoticeListing(d, files.get(d.id, [])) for d in docs]

    def document(self, document_id: int) -> IssuedDocument:
        with self.uow(readonly=True) as uow:
            return _get(uow, document_id)

    def render(
        self, document_id: int, fmt: str | DocumentFormat, *, render_missing: bool = True
    ) -> RenderedDocument:
        """The document in a format: HTML as issued; PDF as stored by the worker, or made
        now when the worker has not got to it yet; Word made now (for editing). A caller
        serving many users (a web request) passes `render_missing=False` and gets
        DocumentNotReady instead of a PDF rendered on its request path."""
        target = parse_format(fmt)
        with self.uow(readonly=True) as uow:
            doc = _get(uow, document_id)
            html = _verified_html(uow, doc)
            stored = None if target is DocumentFormat.HTML else uow.files.get(document_id, target)
        if target is DocumentFormat.HTML:
            return RenderedDocument(doc, target, html.encode("utf-8"), stored=True)
        if stored is not None:
            if sha256_hex(stored.content) != stored.info.sha256:
                raise DocumentIntegrityError(
                    doc.id, doc.number, f"存储的{target.label}与其 SHA-256 不一致"
                )
            return RenderedDocument(doc, target, stored.content, stored=True)
        if target is DocumentFormat.PDF and not render_missing:
            raise DocumentNotReady(doc.id, doc.number, target)
        return RenderedDocument(doc, target, self._convert(doc, target, html), stored=False)

    def check(self, document_id: int) -> ReproductionCheck:
        """Render the document's template again with its stored data."""
        doc = self.document(document_id)
        html = self.renderer.render(doc.template, doc.data)
        return ReproductionCheck(doc, sha256_hex(html.encode("utf-8")))

    def check_case(self, case_ref: str) -> list[ReproductionCheck]:
        return [self.check(n.document.id) for n in self.notices(case_ref)]

    # -- the worker's job ----------------------------------------------------------------

    def render_pending(self, limit: int = DEFAULT_BATCH) -> int:
        """Render and store the PDF of up to `limit` issued documents that have none yet,
        oldest first, one transaction each. Returns how many were stored. A document that
        fails is logged and skipped (the next run tries again). Several workers may run
        this at once: on PostgreSQL each claims its document row (SKIP LOCKED); on SQLite
        the writers queue, each holding the write lock while it renders (~0.1 s a page)."""
        with self.uow(readonly=True) as uow:
            ids = uow.files.pending(DocumentFormat.PDF, limit)
        done = 0
        for document_id in ids:
            try:
                if self.store(document_id, DocumentFormat.PDF):
                    done += 1
            except (DocumentRenderFailed, DocumentIntegrityError) as exc:
                log.error("PDF of document %s not rendered: %s", document_id, exc.message)
        return done

    def store(self, document_id: int, fmt: str | DocumentFormat) -> bool:
        """Render one document to `fmt` and store it; False when it already has that file,
        another worker is rendering it, or there is no such document. (HTML is not stored
        again: the issued HTML is the original.)"""
        target = parse_format(fmt)
        if target is DocumentFormat.HTML:
            kept = [f.value for f in DocumentFormat if f is not DocumentFormat.HTML]
            raise UnsupportedFormat(target.value, kept)
        with self.uow() as uow:
            if not uow.files.claim(document_id, target):
                return False
            doc = _get(uow, document_id)
            html = _verified_html(uow, doc)
            content = self._convert(doc, target, html)
            info = FileInfo(
                document_id=doc.id,
                format=target,
                size=len(content),
                sha256=sha256_hex(content),
                source_sha256=doc.sha256,
                renderer=self._renderer_name(target),
                rendered_at=self.clock.now(),
            )
            stored = uow.files.add(info, content)
            uow.commit()
        return stored

    # -- helpers -------------------------------------------------------------------------

    def _convert(self, doc: IssuedDocument, fmt: DocumentFormat, html: str) -> bytes:
        try:
            if fmt is DocumentFormat.PDF:
                return self.pdf.pdf(html)
            return self.docx.docx(html, doc.template, doc.data)
        except Exception as exc:
            raise DocumentRenderFailed(doc.id, doc.number, fmt, str(exc)) from exc

    def _renderer_name(self, fmt: DocumentFormat) -> str:
        if fmt is DocumentFormat.PDF:
            return self.pdf.name
        return type(self.docx).__name__


def _get(uow: AbstractUnitOfWork, document_id: int) -> IssuedDocument:
    doc = uow.documents.get(document_id)
    if doc is None:
        raise DocumentNotFound(document_id)
    return doc


def _verified_html(uow: AbstractUnitOfWork, doc: IssuedDocument) -> str:
    """The stored HTML, once it matches the SHA-256 its case history recorded at issue."""
    actual = sha256_hex(doc.html.encode("utf-8"))
    recorded = _recorded_sha256(uow, doc)
    if recorded is None:
        raise DocumentIntegrityError(doc.id, doc.number, "办理记录中没有该文书的签发记录")
    if actual != recorded or actual != doc.sha256:
        raise DocumentIntegrityError(doc.id, doc.number, "文书内容与签发时记录的 SHA-256 不一致")
    return doc.html


def _recorded_sha256(uow: AbstractUnitOfWork, doc: IssuedDocument) -> str | None:
    for event in reversed(uow.cases.history(doc.case_ref)):
        issued: Sequence[dict[str, object]] = event.payload.get("_documents") or []
        for entry in issued:
            if entry.get("id") == doc.id:
                return str(entry.get("sha256"))
    return None
