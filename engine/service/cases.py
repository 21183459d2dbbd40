"""The service layer: every command runs in one unit of work and one transaction.

`CaseService` is also the Python API other programs use to drive the engine (see README).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.deadlines import LOCAL_TZ, HolidayCalendar, LayeredCalendar
from engine.domain.case import Case, DocumentRequest, Subject
from engine.domain.county import CountyContext
from engine.domain.errors import (
    InvalidInput,
    NotPermitted,
    UnknownUser,
    UserExists,
    VersionConflict,
)
from engine.domain.history import BrokenLink, HistoryEvent, verify_chain
from engine.domain.procedure import Actor, CompiledProcedure, FireOutcome, LinkedCase
from engine.domain.roles import SYSTEM_USER, Role
from engine.domain.users import User
from engine.service.ports import (
    AbstractUnitOfWork,
    CaseFilter,
    CaseSummary,
    Clock,
    IssuedDocument,
    Renderer,
    StoredAttachment,
    StoredTimer,
    UnitOfWorkFactory,
)
from engine.service.registry import ProcedureRegistry
from engine.service.timers import apply_clock_changes, persist_case_effects

SYSTEM_ACTOR = Actor(SYSTEM_USER, Role.SYSTEM)
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


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
class VerifyReport:
    checked: int
    broken: list[BrokenLink]


class CaseService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        registry: ProcedureRegistry,
        renderer: Renderer,
        county: CountyContext,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.registry = registry
        self.renderer = renderer
        self.county = county
        self._calendar: HolidayCalendar | None = None

    # -- users ---------------------------------------------------------------------------

    def add_user(
        self, name: str, role: str, unit: str, display_name: str = "", *, actor: str | None
    ) -> User:
        user = User.create(name, role, unit, display_name)
        with self.uow() as uow:
            existing = uow.users.list()
            if existing:
                admin = self.actor_of(uow, actor)
                if admin.role is not Role.ADMIN:
                    raise NotPermitted(admin.name, admin.role.label, "添加用户", [Role.ADMIN.label])
            if uow.users.get(user.name) is not None:
                raise UserExists(user.name)
            uow.users.add(user)
            uow.commit()
        return user

    def users(self) -> list[User]:
        with self.uow(readonly=True) as uow:
            return uow.users.list()

    # -- commands ------------------------------------------------------------------------

    def open_case(
        self,
        *,
        procedure: str,
        subject: Subject,
        source: str,
        actor: str,
        data: Mapping[str, Any] | None = None,
        matter: str = "",
        unit: str | None = None,
    ) -> Case:
        compiled = self.registry.latest(procedure)
        if not source.strip():
            raise InvalidInput("案件来源", "不能为空")
        with self.uow() as uow:
            who = self.actor_of(uow, actor)
            if who.role not in (Role.INSPECTOR, Role.SUPERVISOR):
                raise NotPermitted(
                    who.name,
                    who.role.label,
                    "登记案件",
                    [Role.INSPECTOR.label, Role.SUPERVISOR.label],
                )
            now = self.clock.now()
            prefix = compiled.decl.case_prefix
            number = uow.counters.next(f"case:{prefix}", now.year)
            case = Case.open(
                ref=f"{prefix}{now.year}-{number:04d}",
                compiled=compiled,
                subject=subject,
                source=source.strip(),
                unit=unit or self.county.units.get(procedure) or self._user_unit(uow, who.name),
                actor=who,
                now=now,
                data=data,
                matter=matter,
                calendar=self.calendar(uow),
                settings=self.county.settings,
            )
            uow.cases.add(case)
            self._persist(uow, case)
            uow.commit()
        case.clear_pending()
        return case

    def fire(
        self,
        ref: str,
        trigger: str,
        payload: Mapping[str, Any] | None = None,
        *,
        actor: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Case:
        with self.uow() as uow:
            who = self.actor_of(uow, actor)
            case, version = _load(uow, ref, expected_version)
            self._fire_and_save(uow, case, version, trigger, payload, who, reason)
            uow.commit()
        case.clear_pending()
        return case

    def _open_linked(
        self, uow: AbstractUnitOfWork, parent: Case, linked: LinkedCase, who: Actor
    ) -> Case:
        compiled = self.registry.latest(linked.procedure)
        now = parent.new_events[-1].at
        prefix = compiled.decl.case_prefix
        number = uow.counters.next(f"case:{prefix}", now.year)
        child = Case.open(
            ref=f"{prefix}{now.year}-{number:04d}",
            compiled=compiled,
            subject=parent.subject,
            source=f"{linked.source}（由 {parent.ref} 转入）",
            unit=self.county.unit_for(linked.procedure, parent.unit),
            actor=who,
            now=now,
            data={"linked_from": parent.ref},
            matter=parent.matter,
            calendar=self.calendar(uow),
            settings=self.county.settings,
        )
        child.assignees = list(parent.assignees)
        uow.cases.add(child)
        self._persist(uow, child)
        return child

    def fire_as_system(
        self, uow: AbstractUnitOfWork, case: Case, trigger: str, reason: str
    ) -> None:
        """Fire a trigger as the system user inside a caller's unit of work (the sweep)."""
        self._fire_and_save(uow, case, case.version, trigger, None, SYSTEM_ACTOR, reason)

    def _fire_and_save(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        version: int,
        trigger: str,
        payload: Mapping[str, Any] | None,
        who: Actor,
        reason: str,
    ) -> None:
        """Fire, open the linked case the transition asks for, and write it all: the one
        path for users' commands and for the sweep."""
        outcome = self._fire_loaded(uow, case, trigger, payload, who, reason)
        linked = outcome.trigger.opens_case
        if linked is not None:
            child = self._open_linked(uow, case, linked, who)
            case.data.setdefault("linked_cases", []).append(child.ref)
        uow.cases.save(case, version)
        self._persist(uow, case)

    def _fire_loaded(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        trigger: str,
        payload: Mapping[str, Any] | None,
        who: Actor,
        reason: str,
    ) -> FireOutcome:
        compiled = self.registry.get(case.procedure, case.procedure_version)

        def issue(c: Case, requests: Sequence[DocumentRequest]) -> list[dict[str, Any]]:
            # Documents state the deadlines as they stand after this transition, so pauses
            # and extensions are applied to the running timers before rendering.
            running = self._apply_clock_now(uow, c)
            return [
                self._issue_document(
                    uow,
                    c,
                    compiled,
                    DocumentRequest(r.decl, {**r.context, "running_deadlines": running}),
                    who,
                )
                for r in requests
            ]

        return case.fire(
            compiled,
            trigger,
            payload,
            who,
            self.clock.now(),
            reason=reason,
            calendar=self.calendar(uow),
            settings=self.county.settings,
            issue_documents=issue,
        )

    def assign(
        self,
        ref: str,
        inspectors: Sequence[str],
        *,
        actor: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Case:
        with self.uow() as uow:
            who = self.actor_of(uow, actor)
            if who.role not in (Role.SUPERVISOR, Role.HEAD):
                raise NotPermitted(
                    who.name, who.role.label, "指派承办人", [Role.SUPERVISOR.label, Role.HEAD.label]
                )
            for name in inspectors:
                user = uow.users.get(name.strip())
                if user is None:
                    raise UnknownUser(name)
                if user.role is not Role.INSPECTOR:
                    raise InvalidInput(
                        "承办监察员", f"{name} 的角色是{user.role.label}，不是监察员"
                    )
            case, version = _load(uow, ref, expected_version)
            case.assign(inspectors, who, self.clock.now(), reason)
            uow.cases.save(case, version)
            uow.commit()
        case.clear_pending()
        return case

    def add_note(
        self, ref: str, text: str, *, actor: str, expected_version: int | None = None
    ) -> Case:
        with self.uow() as uow:
            who = self.actor_of(uow, actor)
            case, version = _load(uow, ref, expected_version)
            case.add_note(text, who, self.clock.now())
            uow.cases.save(case, version)
            uow.commit()
        case.clear_pending()
        return case

    def add_attachment(
        self,
        ref: str,
        name: str,
        content: bytes,
        *,
        actor: str,
        note: str = "",
        expected_version: int | None = None,
    ) -> Case:
        if not name.strip():
            raise InvalidInput("附件名称", "不能为空")
        if not content:
            raise InvalidInput("附件", f"{name} 是空文件")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise InvalidInput("附件", f"{name} 超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
        digest = hashlib.sha256(content).hexdigest()
        with self.uow() as uow:
            who = self.actor_of(uow, actor)
            case, version = _load(uow, ref, expected_version)
            now = self.clock.now()
            uow.attachments.add(case, name.strip(), content, digest, now, who.name)
            case.add_attachment(name.strip(), digest, len(content), who, now, note)
            uow.cases.save(case, version)
            uow.commit()
        case.clear_pending()
        return case

    # -- reads ---------------------------------------------------------------------------

    def get_case(self, ref: str) -> CaseView:
        with self.uow(readonly=True) as uow:
            case = uow.cases.get(ref)
            compiled = self.registry.get(case.procedure, case.procedure_version)
            return CaseView(
                case=case,
                procedure_title=compiled.decl.title,
                state_label=compiled.state_label(case.state),
                allowed=[
                    (t, compiled.trigger_label(t)) for t in compiled.allowed_triggers(case.state)
                ],
                timers=uow.timers.for_case(ref),
                documents=uow.documents.for_case(ref),
                attachments=uow.attachments.for_case(ref),
            )

    def history(self, ref: str) -> list[HistoryEvent]:
        with self.uow(readonly=True) as uow:
            uow.cases.get(ref)
            return uow.cases.history(ref)

    def list_cases(self, flt: CaseFilter | None = None) -> list[CaseSummary]:
        with self.uow(readonly=True) as uow:
            return uow.cases.list(flt or CaseFilter())

    def attachment_content(self, attachment_id: int) -> bytes:
        with self.uow(readonly=True) as uow:
            content = uow.attachments.content(attachment_id)
        if content is None:
            raise InvalidInput("附件编号", f"附件 {attachment_id} 不存在")
        return content

    def verify(self) -> VerifyReport:
        """Recompute every case's hash chain; report the first broken link of each."""
        broken: list[BrokenLink] = []
        checked = 0
        with self.uow(readonly=True) as uow:
            for ref in list(uow.cases.refs_with_history()):
                checked += 1
                link = verify_chain(ref, uow.cases.history(ref))
                if link is not None:
                    broken.append(link)
        return VerifyReport(checked, broken)

    def compiled_for(self, case: Case) -> CompiledProcedure:
        return self.registry.get(case.procedure, case.procedure_version)

    # -- helpers -------------------------------------------------------------------------

    def calendar(self, uow: AbstractUnitOfWork) -> HolidayCalendar:
        if self._calendar is None:
            self._calendar = LayeredCalendar(uow.calendars.imported())
        return self._calendar

    def calendar_now(self) -> HolidayCalendar:
        with self.uow(readonly=True) as uow:
            return self.calendar(uow)

    def invalidate_calendar(self) -> None:
        self._calendar = None

    def _apply_clock_now(self, uow: AbstractUnitOfWork, case: Case) -> dict[str, str]:
        """The deadlines running after this transition, for the documents it issues."""
        running: dict[str, str] = {}
        if case.clock_changes or not case.state_changed:
            # Timers of the current state keep running (an internal transition), or were
            # just paused or extended: read them back as they now stand.
            if case.clock_changes:
                apply_clock_changes(uow, case, self.calendar(uow), self.clock.now())
                case.clock_changes.clear()
            pending = uow.timers.for_case(case.ref)
            running = {t.name: t.last_day for t in pending if t.state == case.state}
        running.update({t.name: t.deadline.last_day.isoformat() for t in case.timers_started})
        return running

    def _persist(self, uow: AbstractUnitOfWork, case: Case) -> None:
        persist_case_effects(uow, case, self.calendar(uow), case.new_events[-1].at)

    def actor_of(self, uow: AbstractUnitOfWork, name: str | None) -> Actor:
        if not name:
            raise InvalidInput("操作人", "未指定（用 --as 用户名 或环境变量 CASEFLOW_USER）")
        if name == SYSTEM_USER:
            return SYSTEM_ACTOR
        user = uow.users.get(name)
        if user is None or not user.active:
            raise UnknownUser(name)
        return Actor(user.name, user.role)

    def _user_unit(self, uow: AbstractUnitOfWork, name: str) -> str:
        user = uow.users.get(name)
        return user.unit if user else ""

    def _issue_document(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        request: DocumentRequest,
        actor: Actor,
    ) -> dict[str, Any]:
        now = self.clock.now()
        local = now.astimezone(LOCAL_TZ)
        decl = request.decl
        prefix = self.county.document_prefix(decl.family, decl.abbrev)
        seq = uow.counters.next(f"doc:{prefix}", local.year)
        number = f"{prefix}〔{local.year}〕{seq}号"
        data = document_data(self.county, case, compiled, request, number, local)
        html = self.renderer.render(decl.template, data)
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
        doc_id = uow.documents.add(
            case,
            kind=decl.kind,
            title=decl.title,
            number=number,
            template=decl.template,
            data=data,
            html=html,
            sha256=digest,
            issued_at=now,
            issued_by=actor.name,
        )
        return {"id": doc_id, "kind": decl.kind, "number": number, "sha256": digest}


def _load(uow: AbstractUnitOfWork, ref: str, expected: int | None) -> tuple[Case, int]:
    """Load a case for a command. A caller who says which version it saw gets the conflict
    error at once when the case has moved on since, before anything is evaluated."""
    case = uow.cases.get(ref)
    if expected is not None and case.version != expected:
        raise VersionConflict(ref, expected)
    return case, case.version


def document_data(
    county: CountyContext,
    case: Case,
    compiled: CompiledProcedure,
    request: DocumentRequest,
    number: str,
    issued_local: datetime,
) -> dict[str, Any]:
    """Everything a notice template may use, frozen at issue time (JSON-safe)."""
    return {
        "title": request.decl.title,
        "number": number,
        "issued_on": issued_local.date().isoformat(),
        "bureau": {
            "name": county.bureau_name,
            "short": county.bureau_short,
            "county": county.county_name,
            "reconsideration_body": county.reconsideration_body,
            "court": county.court,
        },
        "case": {
            "ref": case.ref,
            "procedure": compiled.decl.title,
            "state": compiled.state_label(case.state),
            "source": case.source,
            "unit": case.unit,
            "assignees": list(case.assignees),
            "opened_on": case.opened_at.astimezone(issued_local.tzinfo).date().isoformat(),
        },
        "party": {
            "name": case.subject.name,
            "address": case.subject.address,
            "uscc": case.subject.uscc,
        },
        **dict(request.context),
    }
