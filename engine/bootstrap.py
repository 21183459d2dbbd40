"""The one wiring place: builds the database engine, unit of work, clock, renderer,
procedure registry and county context, and the services on them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from db.engine import database_url, make_engine
from db.migrate import current_revision, head_revision, upgrade
from db.uow import SqlUnitOfWorkFactory
from engine.adapters.clock import SystemClock
from engine.adapters.notices import JinjaNoticeRenderer
from engine.adapters.passwords import Argon2Hasher
from engine.adapters.pdf import WeasyPrintPdfRenderer
from engine.adapters.spreadsheets import read_table
from engine.domain.auth import SessionPolicy
from engine.domain.county import CountyContext
from engine.domain.errors import CaseflowError, DatabaseUrlInvalid, UnknownCounty
from engine.service.api_tokens import ApiTokenService
from engine.service.auth import AuthService
from engine.service.board import DeadlineBoard
from engine.service.bulk_intake import BulkIntake
from engine.service.calendar_admin import CalendarAdmin
from engine.service.case_commands import CaseCommands
from engine.service.case_queries import CaseQueries
from engine.service.context import ServiceContext
from engine.service.delivery import Directory, NotificationDelivery
from engine.service.departments import DepartmentAdmin
from engine.service.documents import DocumentService
from engine.service.inbox import InboxService
from engine.service.integrity import IntegrityService
from engine.service.issuing import DocumentIssuer
from engine.service.ledger import LedgerService
from engine.service.notifications import NotificationService
from engine.service.ports import Clock, PasswordHasher, Renderer, UnitOfWorkFactory
from engine.service.registry import ProcedureRegistry, check_settings
from engine.service.sweep import Sweeper
from engine.service.users import UserService
from workflows.counties import county_context
from workflows.registry import PROCEDURES
from workflows.routing import available_counties

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


@dataclass(kw_only=True)
class App:
    """Everything an entry point needs: the services, built on one context, and the
    database they run on (none for the in-memory fakes of the tests)."""

    context: ServiceContext
    users: UserService
    cases: CaseCommands
    queries: CaseQueries
    board: DeadlineBoard
    sweeper: Sweeper
    calendar: CalendarAdmin
    notifications: NotificationService
    auth: AuthService
    inbox: InboxService
    departments: DepartmentAdmin
    renderer: Renderer
    tokens: ApiTokenService
    ledger: LedgerService
    intake: BulkIntake
    delivery: NotificationDelivery
    engine: Engine | None = None
    url: str = ""
    _documents: DocumentService | None = None

    @property
    def county(self) -> CountyContext:
        return self.context.county

    @property
    def registry(self) -> ProcedureRegistry:
        return self.context.registry

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def documents(self) -> DocumentService:
        """The document service (Word and PDF converters load on first use)."""
        if self._documents is None:
            self._documents = build_document_service(self.context, self.renderer)
        return self._documents

    @property
    def integrity(self) -> IntegrityService:
        """`verify` of every case file and the user log, and the anchors outside."""
        return IntegrityService(self.context)

    @property
    def db(self) -> Engine:
        """The database engine (an app on the in-memory fakes has none)."""
        if self.engine is None:
            raise RuntimeError("this app runs on in-memory fakes: it has no database")
        return self.engine

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def build_registry(renderer: Renderer) -> ProcedureRegistry:
    return ProcedureRegistry(PROCEDURES, template_exists=renderer.exists)


def build_services(
    uow: UnitOfWorkFactory,
    *,
    clock: Clock,
    county: CountyContext,
    renderer: Renderer,
    registry: ProcedureRegistry | None = None,
    hasher: PasswordHasher | None = None,
    sessions: SessionPolicy | None = None,
    engine: Engine | None = None,
    url: str = "",
) -> App:
    """The services on a unit-of-work factory (SQL in production, fakes in tests)."""
    ctx = ServiceContext(uow, clock, registry or build_registry(renderer), county)
    check_settings(ctx.registry, county.settings)
    passwords = hasher or Argon2Hasher()
    cases = CaseCommands(ctx, DocumentIssuer(county, renderer, ctx.users))
    queries = CaseQueries(ctx)
    board = DeadlineBoard(ctx)
    return App(
        context=ctx,
        users=UserService(ctx, passwords),
        cases=cases,
        queries=queries,
        board=board,
        sweeper=Sweeper(ctx, cases),
        calendar=CalendarAdmin(ctx),
        notifications=NotificationService(ctx),
        auth=AuthService(ctx, passwords, sessions),
        inbox=InboxService(ctx, queries, board),
        departments=DepartmentAdmin(ctx),
        renderer=renderer,
        tokens=ApiTokenService(ctx),
        ledger=LedgerService(ctx),
        intake=BulkIntake(ctx, cases, read_table),
        delivery=NotificationDelivery(ctx, Directory(), {}),
        engine=engine,
        url=url,
    )


def bootstrap(
    url: str | None = None,
    *,
    county: str | None = None,
    clock: Clock | None = None,
    renderer: Renderer | None = None,
    migrate: bool = False,
    require_schema: bool = True,
    engine: Engine | None = None,
    hasher: PasswordHasher | None = None,
    sessions: SessionPolicy | None = None,
) -> App:
    resolved = database_url(url)
    chosen = county or os.environ.get("CASEFLOW_COUNTY", DEFAULT_COUNTY)
    if chosen not in available_counties():
        raise UnknownCounty(chosen, available_counties())
    try:
        db_engine = engine or make_engine(resolved)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ValueError) as exc:
        raise DatabaseUrlInvalid(resolved, type(exc).__name__) from exc
    if migrate:
        upgrade(db_engine)
    elif require_schema:
        current, head = current_revision(db_engine), head_revision()
        if current != head:
            raise SchemaNotReady(resolved, current, head)
    notice_renderer = renderer or JinjaNoticeRenderer()
    county_id = chosen
    context = county_context(county_id)
    app = build_services(
        SqlUnitOfWorkFactory(db_engine),
        clock=clock or SystemClock(),
        county=context,
        renderer=notice_renderer,
        hasher=hasher,
        sessions=sessions,
        engine=db_engine,
        url=resolved,
    )
    app.delivery = channel_delivery(app.context, county_id)
    return app


def channel_delivery(ctx: ServiceContext, county_id: str) -> NotificationDelivery:
    """Delivery through the county's channels of CASEFLOW_CHANNELS (none: nothing sent)."""
    from engine.adapters import channels

    directory, senders = channels.build(channels.load_channels(county_id))
    return NotificationDelivery(ctx, directory, senders)


def build_document_service(ctx: ServiceContext, renderer: Renderer) -> DocumentService:
    """The document service on the context's database, clock and renderer. The worker
    calls `render_pending(limit)` on it; the CLI lists and renders notices with it."""
    from engine.adapters.docx import DocxTemplateRenderer  # docxtpl: only where needed

    return DocumentService(ctx, renderer, WeasyPrintPdfRenderer(), DocxTemplateRenderer())
