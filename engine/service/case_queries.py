"""Reading cases: one case with what it allows and holds, its history, the case search
(filtered, ordered and paginated by the store), attachments, and `verify`
(engine.service.integrity)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from engine.domain.case import Case
from engine.domain.errors import CaseNotFound, InvalidInput
from engine.domain.history import HistoryEvent
from engine.domain.procedure import CompiledProcedure
from engine.domain.roles import Role
from engine.domain.timers import TimerStatus
from engine.domain.users import User
from engine.domain.visibility import Scope, scope_for
from engine.service.board import BoardRow, board_order, board_row
from engine.service.context import ServiceContext
from engine.service.documents import NoticeListing
from engine.service.integrity import IntegrityReport, IntegrityService
from engine.service.ports import AbstractUnitOfWork
from engine.service.read_models import (
    MAX_PER_PAGE,
    BoardEntry,
    CaseQuery,
    CaseSummary,
    IssuedDocument,
    Page,
    StoredAttachment,
    StoredTimer,
)

OPEN_STATUSES = (TimerStatus.PENDING, TimerStatus.EXPIRED)
"""The deadlines the board shows (db.timers.RUNNING and HELD): running, paused, or expired
and escalated."""


@dataclass(frozen=True)
class CaseView:
    """A case as a reader sees it: the aggregate plus what it allows and what it holds."""

    case: Case
    procedure_title: str
    state_label: str
    allowed: list[tuple[str, str]]
    timers: list[StoredTimer] = field(default_factory=list)
    documents: list[IssuedDocument] = field(default_factory=list)
    attachments: list[StoredAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class CaseListing:
    """A search result: the case's summary with its procedure and state in words."""

    summary: CaseSummary
    procedure_title: str
    state_label: str


@dataclass(frozen=True)
class CaseFile:
    """What the case page shows (CaseQueries.case_file)."""

    view: CaseView
    history: list[HistoryEvent]
    deadlines: list[BoardRow]
    notices: list[NoticeListing]


VerifyReport = IntegrityReport
"""What `verify` found (engine.service.integrity)."""


class CaseQueries:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._review_states = ctx.registry.states_where(Role.LEGAL)

    def scope_of(self, viewer: User) -> Scope:
        """What a signed-in user may see (engine.domain.visibility)."""
        return scope_for(viewer, self._review_states)

    def visible_case(self, viewer: User, ref: str) -> CaseView:
        """A case as ``viewer`` sees it; one outside their view does not exist for them
        (CaseNotFound, as for a case that does not exist at all)."""
        view = self.get_case(ref)
        scope = self.scope_of(viewer)
        if scope.allows(view.case):
            return view
        if scope.actor is not None and scope.actor in {e.actor for e in self.history(ref)}:
            return view
        raise CaseNotFound(ref)

    def get_case(self, ref: str) -> CaseView:
        with self.ctx.uow(readonly=True) as uow:
            return self._view(uow, uow.cases.get(ref))

    def _view(self, uow: AbstractUnitOfWork, case: Case) -> CaseView:
        compiled = self.compiled_for(case)
        return CaseView(
            case=case,
            procedure_title=compiled.decl.title,
            state_label=compiled.state_label(case.state),
            allowed=[(t, compiled.trigger_label(t)) for t in compiled.allowed_triggers(case.state)],
            timers=uow.timers.for_case(case.ref),
            documents=uow.documents.for_case(case.ref),
            attachments=uow.attachments.for_case(case.ref),
        )

    def case_file(self, viewer: User, ref: str) -> CaseFile:
        """Everything the case page shows, read in one transaction: the case as ``viewer``
        sees it (CaseNotFound outside their view), its history, its open deadlines in the
        board's terms and order, and its documents with their stored files."""
        now = self.ctx.clock.now()
        with self.ctx.uow(readonly=True) as uow:
            view = self._view(uow, uow.cases.get(ref))
            history = uow.cases.history(ref)
            scope = self.scope_of(viewer)
            seen = scope.actor is not None and scope.actor in {e.actor for e in history}
            if not (scope.allows(view.case) or seen):
                raise CaseNotFound(ref)
            files = uow.files.infos([d.id for d in view.documents])
            calendar = self.ctx.calendar(uow)
        summary = CaseSummary.of(view.case)
        deadlines = sorted(
            (
                board_row(self.ctx.registry, BoardEntry(t, summary), now, calendar)
                for t in view.timers
                if t.status in OPEN_STATUSES
            ),
            key=board_order,
        )
        notices = [NoticeListing(d, files.get(d.id, [])) for d in view.documents]
        return CaseFile(view, history, deadlines, notices)

    def history(self, ref: str) -> list[HistoryEvent]:
        with self.ctx.uow(readonly=True) as uow:
            uow.cases.get(ref)
            return uow.cases.history(ref)

    def count(self) -> int:
        """How many cases the store holds (all of them, open or closed)."""
        with self.ctx.uow(readonly=True) as uow:
            return uow.cases.count()

    def search(self, query: CaseQuery | None = None) -> Page[CaseListing]:
        query = query or CaseQuery()
        if query.page < 1:
            raise InvalidInput("页码", "应从 1 开始")
        if not 1 <= query.per_page <= MAX_PER_PAGE:
            raise InvalidInput("每页条数", f"应在 1 到 {MAX_PER_PAGE} 之间")
        if query.state and not query.procedure and query.in_states is None:
            # ix_cases_procedure_state is read by procedure first (db/tables.py)
            query = replace(query, in_states=self.ctx.registry.with_state(query.state))
        with self.ctx.uow(readonly=True) as uow:
            page = uow.cases.search(query)
        items = []
        for s in page.items:
            compiled = self.ctx.registry.get(s.procedure, s.procedure_version)
            items.append(CaseListing(s, compiled.decl.title, compiled.state_label(s.state)))
        return Page(items, page.total, page.page, page.per_page, page.more)

    def visible_attachment(
        self, viewer: User, attachment_id: int
    ) -> tuple[StoredAttachment, bytes]:
        """An attachment and its bytes, if its case is in the viewer's view."""
        with self.ctx.uow(readonly=True) as uow:
            found = uow.attachments.get(attachment_id)
            content = uow.attachments.content(attachment_id) if found else None
        if found is None or content is None:
            raise InvalidInput("附件编号", f"附件 {attachment_id} 不存在")
        self.visible_case(viewer, found.case_ref)
        return found, content

    def attachment_content(self, attachment_id: int) -> bytes:
        with self.ctx.uow(readonly=True) as uow:
            content = uow.attachments.content(attachment_id)
        if content is None:
            raise InvalidInput("附件编号", f"附件 {attachment_id} 不存在")
        return content

    def verify(self) -> VerifyReport:
        """Check every case file against its history and the users against their log
        (engine.service.integrity; with anchors: `IntegrityService.verify`)."""
        return IntegrityService(self.ctx).verify()

    def compiled_for(self, case: Case) -> CompiledProcedure:
        return self.ctx.registry.get(case.procedure, case.procedure_version)
