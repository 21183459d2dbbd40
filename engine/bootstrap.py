"""The one wiring place: builds the database engine, unit of work, clock, renderer,
procedure registry and county context, and hands them to the service layer."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from db.document_files import SqlDocumentUnitOfWorkFactory
from db.engine import database_url, make_engine
from db.migrate import current_revision, head_revision, upgrade
from db.uow import SqlUnitOfWorkFactory
from engine.adapters.clock import SystemClock
from engine.adapters.notices import JinjaNoticeRenderer
from engine.adapters.pdf import WeasyPrintPdfRenderer
from engine.domain.county import CountyContext
from engine.domain.errors import CaseflowError
from engine.service.cases import CaseService
from engine.service.documents import DocumentService
from engine.service.ports import Clock, Renderer
from engine.service.registry import ProcedureRegistry
from workflows.counties import county_context
from workflows.registry import PROCEDURES

DEFAULT_COUNTY = "dingan"


class SchemaNotReady(CaseflowError):
    code = "SCHEMA_NOT_READY"

    def __init__(self, url: str, current: str | None, head: str) -> None:
        where = "尚未初始化" if current is None else f"版本 {current} 落后于 {head}"
        super().__init__(
            f"数据库{where}，请先运行：caseflow init（数据库：{_redact(url)}）",
            current=current,
            head=head,
        )


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


@dataclass
class App:
    """Everything an entry point needs."""

    service: CaseService
    engine: Engine
    url: str
    county: CountyContext
    registry: ProcedureRegistry


def build_registry(renderer: Renderer) -> ProcedureRegistry:
    return ProcedureRegistry(PROCEDURES, template_exists=renderer.exists)


def bootstrap(
    url: str | None = None,
    *,
    county: str | None = None,
    clock: Clock | None = None,
    renderer: Renderer | None = None,
    migrate: bool = False,
    require_schema: bool = True,
    engine: Engine | None = None,
) -> App:
    resolved = database_url(url)
    db_engine = engine or make_engine(resolved)
    if migrate:
        upgrade(db_engine)
    elif require_schema:
        current, head = current_revision(db_engine), head_revision()
        if current != head:
            raise SchemaNotReady(resolved, current, head)
    notice_renderer = renderer or JinjaNoticeRenderer()
    registry = build_registry(notice_renderer)
    context = county_context(county or os.environ.get("CASEFLOW_COUNTY", DEFAULT_COUNTY))
    service = CaseService(
        SqlUnitOfWorkFactory(db_engine),
        clock or SystemClock(),
        registry,
        notice_renderer,
        context,
    )
    return App(service, db_engine, resolved, context, registry)


def build_document_service(app: App) -> DocumentService:
    """The document service on an app's database, clock and renderer. The worker calls
    `render_pending(limit)` on it; the CLI lists and renders notices with it."""
    from engine.adapters.docx import HtmlToDocx  # python-docx: only commands that need it

    return DocumentService(
        SqlDocumentUnitOfWorkFactory(app.engine),
        app.service.clock,
        app.service.renderer,
        WeasyPrintPdfRenderer(),
        HtmlToDocx(),
    )
