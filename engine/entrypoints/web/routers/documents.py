"""文书: a notice previewed in the page, printed, downloaded as HTML, Word or PDF."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.entrypoints.web.deps import Services, Session, config
from engine.service.document_ports import DocumentFormat
from engine.service.documents import DocumentNotReady

router = APIRouter()

PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "script-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
"""A stored notice carries its own stylesheet; it is shown framed in our own pages only."""


def _visible(services: Services, session: Session, document_id: int) -> None:
    doc = services.documents.document(document_id)
    services.queries.visible_case(session.user, doc.case_ref)


@router.get("/documents/{document_id}/preview")
def preview(
    services: Services,
    session: Session,
    document_id: int,
    print_it: Annotated[bool, Query(alias="print")] = False,
) -> Response:
    _visible(services, session, document_id)
    rendered = services.documents.render(document_id, DocumentFormat.HTML)
    html = rendered.content.decode("utf-8")
    if print_it:
        html = html.replace("</body>", '<script src="/static/print.js"></script></body>', 1)
    headers = {"Content-Security-Policy": PREVIEW_POLICY, "X-Frame-Options": "SAMEORIGIN"}
    return Response(html, media_type=DocumentFormat.HTML.media_type, headers=headers)


@router.get("/documents/{document_id}.{fmt}")
async def download(
    request: Request,
    services: Services,
    session: Session,
    document_id: int,
    fmt: Annotated[str, Path(pattern="^(html|docx|pdf)$")],
) -> Response:
    """The document in a format. A PDF the worker has not rendered yet is rendered now
    and stored, so the next request is served from the store."""
    await run_in_threadpool(_visible, services, session, document_id)
    target = DocumentFormat(fmt)
    try:
        rendered = await run_in_threadpool(
            services.documents.render,
            document_id,
            target,
            render_missing=target is not DocumentFormat.PDF,
        )
    except DocumentNotReady:
        if not config(request).render_pdf_on_request:
            raise
        await run_in_threadpool(services.documents.store, document_id, target)
        rendered = await run_in_threadpool(services.documents.render, document_id, target)
    disposition = "inline" if target is DocumentFormat.PDF else "attachment"
    headers = {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(rendered.filename)}",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
        "X-Frame-Options": "SAMEORIGIN",
    }
    return Response(rendered.content, media_type=target.media_type, headers=headers)
