"""Commands on cases, each in one unit of work and one transaction: open, fire, assign, note,
attach. The aggregate decides; this service carries the decision out (timers, documents,
the linked case) and persists the case with the events it recorded."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.case_file import require_writer
from engine.domain.decision import Decision
from engine.domain.errors import InvalidInput, NotPermitted, UnknownUser
from engine.domain.payloads import validate_payload
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor, CompiledProcedure
from engine.domain.roles import Role
from engine.domain.subject import Subject
from engine.domain.text import REASON_LIMIT
from engine.domain.text import checked as checked_text
from engine.service import timer_effects
from engine.service.context import ServiceContext
from engine.service.issuing import DocumentIssuer
from engine.service.locking import load as load  # re-exported: commands elsewhere load through it
from engine.service.locking import retried
from engine.service.ports import AbstractUnitOfWork

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
OPENERS = (Role.INSPECTOR, Role.SUPERVISOR)
ASSIGNERS = (Role.SUPERVISOR, Role.HEAD)


@dataclass(frozen=True)
class NewCase:
    """One case to open (CaseCommands.open_cases)."""

    procedure: str
    subject: Subject
    source: str
    data: Mapping[str, Any] | None = None
    matter: str = ""
    unit: str | None = None


class CaseCommands:
    def __init__(self, ctx: ServiceContext, issuer: DocumentIssuer) -> None:
        self.ctx = ctx
        self.issuer = issuer

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
        compiled, data = self._intake(procedure, source, data)
        with self.ctx.uow() as uow:
            who = self.ctx.actor(uow, actor)
            require_role(who, OPENERS, "登记案件")
            home = unit or self.ctx.county.units.get(procedure) or _unit_of(self.ctx, uow, who.name)
            case = self._open(
                uow,
                compiled,
                subject,
                source.strip(),
                home,
                who,
                self.ctx.clock.now(),
                data,
                matter,
            )
            uow.commit()
        return case

    def open_cases(self, requests: Sequence[NewCase], *, actor: str) -> list[Case]:
        """Open several cases in one unit of work and one transaction (a bulk intake):
        every one of them, or — on any error — none."""
        checked = [(r, *self._intake(r.procedure, r.source, r.data)) for r in requests]
        with self.ctx.uow() as uow:
            who = self.ctx.actor(uow, actor)
            require_role(who, OPENERS, "登记案件")
            now = self.ctx.clock.now()
            opened = []
            for r, compiled, data in checked:
                home = (
                    r.unit
                    or self.ctx.county.units.get(r.procedure)
                    or _unit_of(self.ctx, uow, who.name)
                )
                opened.append(
                    self._open(
                        uow, compiled, r.subject, r.source.strip(), home, who, now, data, r.matter
                    )
                )
            uow.commit()
        return opened

    def _intake(
        self, procedure: str, source: str, data: Mapping[str, Any] | None
    ) -> tuple[CompiledProcedure, Mapping[str, Any] | None]:
        """The procedure and what registering records, as its intake model checks it."""
        compiled = self.ctx.registry.latest(procedure)
        if not source.strip():
            raise InvalidInput("案件来源", "不能为空")
        checked_text("案件来源", source.strip(), 200)
        intake = compiled.decl.intake
        if intake is not None:
            checked = validate_payload("案件登记", intake, data)
            assert checked is not None
            data = checked.model_dump(mode="json", exclude_unset=True)
        return compiled, data

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
        checked_text("理由", reason, REASON_LIMIT, multiline=True)

        def attempt() -> Case:
            with self.ctx.uow() as uow:
                who = self.ctx.actor(uow, actor)
                case, version = load(uow, ref, expected_version)
                self.fire_in(
                    uow, case, version, trigger, payload, who, reason, self.ctx.clock.now()
                )
                uow.commit()
            return case

        return retried(ref, expected_version, attempt)

    def fire_in(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        version: int,
        trigger: str,
        payload: Mapping[str, Any] | None,
        who: Actor,
        reason: str,
        now: datetime,
    ) -> Decision:
        """Fire a trigger on a case loaded in the caller's unit of work and write what it
        does: the one path for users' commands and for the sweep."""
        compiled = self.ctx.registry.get(case.procedure, case.procedure_version)
        calendar = self.ctx.calendar(uow)
        decision = case.decide(
            compiled,
            trigger,
            payload,
            who,
            now,
            reason=reason,
            calendar=calendar,
            settings=self.ctx.settings(uow),
            windows=timer_effects.windows_of(uow, case),
        )
        timer_effects.carry_out(uow, case, decision, calendar)
        issued = []
        if decision.documents:
            running, provisional = timer_effects.deadlines_after(uow, case, decision)
            issued = self.issuer.issue(uow, case, compiled, decision, running, provisional)
        linked = []
        if decision.opens_case is not None:
            linked.append(self._open_linked(uow, case, decision, who).ref)
        event = case.apply(decision, issued, linked)
        uow.cases.save(case, version, [event])
        return decision

    def assign(
        self,
        ref: str,
        inspectors: Sequence[str],
        *,
        actor: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Case:
        def attempt() -> Case:
            with self.ctx.uow() as uow:
                who = self.ctx.actor(uow, actor)
                require_role(who, ASSIGNERS, "指派承办人")
                for name in inspectors:
                    user = self.ctx.users.get(uow, name.strip())
                    if user is None:
                        raise UnknownUser(name)
                    if user.role is not Role.INSPECTOR:
                        raise InvalidInput(
                            "承办监察员", f"{name} 的角色是{user.role.label}，不是监察员"
                        )
                case, version = load(uow, ref, expected_version)
                event = case.assign(inspectors, who, self.ctx.clock.now(), reason)
                uow.cases.save(case, version, [event])
                uow.commit()
            return case

        return retried(ref, expected_version, attempt)

    def add_note(
        self, ref: str, text: str, *, actor: str, expected_version: int | None = None
    ) -> Case:
        def attempt() -> Case:
            with self.ctx.uow() as uow:
                who = self.ctx.actor(uow, actor)
                case, version = load(uow, ref, expected_version)
                _writer_check(self.ctx, uow, case, who, "添加备注")
                event = case.add_note(text, who, self.ctx.clock.now())
                uow.cases.save(case, version, [event])
                uow.commit()
            return case

        return retried(ref, expected_version, attempt)

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
        name = name.strip()
        _check_attachment(name, content)
        digest = hashlib.sha256(content).hexdigest()

        def attempt() -> Case:
            with self.ctx.uow() as uow:
                who = self.ctx.actor(uow, actor)
                case, version = load(uow, ref, expected_version)
                _writer_check(self.ctx, uow, case, who, "添加附件")
                now = self.ctx.clock.now()
                uow.attachments.add(case, name, content, digest, now, who.name)
                event = case.add_attachment(name, digest, len(content), who, now, note)
                uow.cases.save(case, version, [event])
                uow.commit()
            return case

        return retried(ref, expected_version, attempt)

    def record_service(
        self,
        ref: str,
        record: Mapping[str, Any],
        *,
        actor: str,
        expected_version: int | None = None,
    ) -> Case:
        """Record the service of one of the case's documents on a party and issue its
        送达回证 (engine/service/serving.py)."""
        from engine.service.serving import record_service

        return retried(
            ref,
            expected_version,
            lambda: record_service(
                self.ctx, self.issuer, ref, record, actor=actor, expected_version=expected_version
            ),
        )

    # -- helpers -------------------------------------------------------------------------

    def _open(
        self,
        uow: AbstractUnitOfWork,
        compiled: CompiledProcedure,
        subject: Subject,
        source: str,
        unit: str,
        who: Actor,
        now: datetime,
        data: Mapping[str, Any] | None,
        matter: str,
        *,
        assignees: Sequence[str] | None = None,
    ) -> Case:
        prefix = compiled.decl.case_prefix
        year = now.astimezone(LOCAL_TZ).year  # the bureau's year, not UTC's
        number = uow.counters.next(f"case:{prefix}", year)
        calendar = self.ctx.calendar(uow)
        case, opening = Case.open(
            ref=f"{prefix}{year}-{number:04d}",
            compiled=compiled,
            subject=subject,
            source=source,
            unit=unit,
            actor=who,
            now=now,
            data=data,
            matter=matter,
            assignees=assignees,
            calendar=calendar,
            settings=self.ctx.settings(uow),
        )
        uow.cases.add(case, [opening.event])
        timer_effects.start(uow, case, opening.timers, calendar)
        return case

    def _open_linked(
        self, uow: AbstractUnitOfWork, parent: Case, decision: Decision, who: Actor
    ) -> Case:
        """The case a transition opens (same party, linked both ways), e.g. an off-site
        fund audit escalating to an on-site one."""
        assert decision.opens_case is not None
        linked = decision.opens_case
        compiled = self.ctx.registry.latest(linked.procedure)
        child = self._open(
            uow,
            compiled,
            parent.subject,
            f"{linked.source}（由 {parent.ref} 转入）",
            self.ctx.county.unit_for(linked.procedure, parent.unit),
            who,
            decision.at,
            {"linked_from": parent.ref},
            parent.matter,
            assignees=parent.assignees,
        )
        return child


def _writer_check(
    ctx: ServiceContext, uow: AbstractUnitOfWork, case: Case, who: Actor, action: str
) -> None:
    """Notes and attachments: the people who act in the case (engine.domain.case_file)."""
    user = uow.users.get(who.name)
    if user is None:  # the system: it never writes into a case file
        raise NotPermitted(who.name, who.role.label, action, [])
    review = ctx.registry.states_where(Role.LEGAL)
    actors: set[str] = set()
    if user.role is Role.LEGAL and (case.procedure, case.state) not in review:
        actors = {e.actor for e in uow.cases.history(case.ref)}
    require_writer(user, case, review, action, actors)


def _unit_of(ctx: ServiceContext, uow: AbstractUnitOfWork, name: str) -> str:
    user = ctx.users.get(uow, name)
    return user.unit if user else ""


def _check_attachment(name: str, content: bytes) -> None:
    if not name:
        raise InvalidInput("附件名称", "不能为空")
    checked_text("附件名称", name, 255)
    if not content:
        raise InvalidInput("附件", f"{name} 是空文件")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("附件", f"{name} 超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
