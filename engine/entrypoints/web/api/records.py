"""What a case holds, read through the API: its history, its deadlines (and the board of
every deadline in view, or a month of them for a calendar), its documents with each format,
its attachments' content; and the holiday calendar the deadlines are counted on."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.domain.errors import InvalidInput
from engine.entrypoints.web.api import schemas, views
from engine.entrypoints.web.api.deps import ApiUser, Services
from engine.entrypoints.web.api.problems import NotFound
from engine.service.document_ports import DocumentFormat
from engine.service.documents import DocumentNotReady
from engine.service.read_models import MAX_PER_PAGE, BoardQuery

router = APIRouter()

Ref = Annotated[str, Path(max_length=40, description="案件编号", examples=["WA2026-0001"])]
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "文件内容",
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            DocumentFormat.DOCX.media_type: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/cases/{ref}/history", response_model=list[schemas.Event], tags=["案件"], summary="办案记录"
)
def history(services: Services, user: ApiUser, ref: Ref) -> list[schemas.Event]:
    file = services.queries.case_file(user, ref)
    return [views.event(e) for e in file.history]


@router.get(
    "/cases/{ref}/deadlines",
    response_model=list[schemas.Deadline],
    tags=["期限"],
    summary="案件的未届满期限",
)
def case_deadlines(services: Services, user: ApiUser, ref: Ref) -> list[schemas.Deadline]:
    return [views.deadline(r) for r in services.queries.case_file(user, ref).deadlines]


@router.get(
    "/deadlines", response_model=schemas.DeadlinePage, tags=["期限"], summary="期限看板与日历"
)
def deadlines(
    services: Services,
    user: ApiUser,
    procedure: Annotated[str, Query(max_length=64)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
    inspector: Annotated[str, Query(max_length=64)] = "",
    due_within: Annotated[
        int | None, Query(ge=0, le=3650, description="逾期或若干日内届满")
    ] = None,
    due_from: Annotated[schemas.IsoDate | None, Query(description="届满日（起），用于月历")] = None,
    due_to: Annotated[schemas.IsoDate | None, Query(description="届满日（止）")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
) -> schemas.DeadlinePage:
    rows = services.board.rows(
        BoardQuery(
            procedure=procedure or None,
            unit=unit or None,
            inspector=inspector or None,
            due_within_days=due_within,
            due_from=due_from,
            due_to=due_to,
            scope=services.queries.scope_of(user),
            page=page,
            per_page=per_page,
        )
    )
    return schemas.DeadlinePage(
        items=[views.deadline(r) for r in rows.items],
        total=rows.total,
        page=rows.page,
        per_page=rows.per_page,
        pages=rows.pages,
    )


@router.get(
    "/cases/{ref}/documents",
    response_model=list[schemas.Document],
    tags=["文书"],
    summary="案件的文书",
)
def case_documents(services: Services, user: ApiUser, ref: Ref) -> list[schemas.Document]:
    return [views.document(n.document) for n in services.queries.case_file(user, ref).notices]


def _visible_document(services: Services, user: ApiUser, document_id: int) -> schemas.Document:
    doc = services.documents.document(document_id)
    services.queries.visible_case(user, doc.case_ref)
    return views.document(doc)


@router.get(
    "/documents/{document_id}", response_model=schemas.Document, tags=["文书"], summary="文书信息"
)
def document(services: Services, user: ApiUser, document_id: int) -> schemas.Document:
    return _visible_document(services, user, document_id)


@router.get(
    "/documents/{document_id}/{fmt}",
    response_class=Response,
    responses=FILE_RESPONSES,
    tags=["文书"],
    summary="文书文件（html、docx、pdf）",
)
async def document_file(
    services: Services,
    user: ApiUser,
    document_id: int,
    fmt: Annotated[DocumentFormat, Path(description="格式")],
) -> Response:
    """The document in a format; a PDF the worker has not rendered yet is rendered now."""
    await run_in_threadpool(_visible_document, services, user, document_id)
    try:
        rendered = await run_in_threadpool(
            services.documents.render, document_id, fmt, render_missing=fmt is not fmt.PDF
        )
    except DocumentNotReady:
        await run_in_threadpool(services.documents.store, document_id, fmt)
        rendered = await run_in_threadpool(services.documents.render, document_id, fmt)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(rendered.filename)}"}
    return Response(rendered.content, media_type=fmt.media_type, headers=headers)


@router.get(
    "/attachments/{attachment_id}",
    response_class=Response,
    responses=FILE_RESPONSES,
    tags=["案件"],
    summary="附件内容",
)
def attachment_content(services: Services, user: ApiUser, attachment_id: int) -> Response:
    try:
        stored, content = services.queries.visible_attachment(user, attachment_id)
    except InvalidInput as exc:  # no such attachment: as unknown as one out of view
        raise NotFound(f"附件 {attachment_id} ") from exc
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.name)}"}
    return Response(content, media_type="application/octet-stream", headers=headers)


@router.get(
    "/calendar/{year}", response_model=schemas.CalendarYear, tags=["日历"], summary="节假日安排"
)
def calendar(
    services: Services,
    user: ApiUser,
    year: Annotated[int, Path(ge=1901, le=2099, description="年份（1901–2099）")],
) -> schemas.CalendarYear:
    view = services.calendar.show_year(year)
    return schemas.CalendarYear(
        year=view.year,
        source=view.source,
        kind=view.kind,
        provisional=view.provisional,
        holidays=[schemas.Holiday(date=d, name=n) for d, n in view.holidays.items()],
        makeup_workdays=list(view.makeup_workdays),
    )
