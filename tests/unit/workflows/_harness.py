"""Drive a procedure's cases in memory, without a database: the real procedure, the county's
settings and holiday calendar, and the real notice renderer for the documents issued."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from engine.adapters.notices import JinjaNoticeRenderer
from engine.deadlines import LOCAL_TZ, LayeredCalendar
from engine.domain.case import Case, DocumentRequest, Subject, TimerRequest
from engine.domain.county import CountyContext, ProcedureSettings
from engine.domain.procedure import Actor, CompiledProcedure, FireOutcome, compile_procedure
from engine.domain.roles import Role
from engine.service.cases import document_data
from workflows.counties import county_context
from workflows.registry import PROCEDURES

START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # Monday 09:30 in Beijing
SUBJECT = Subject.create(
    "定安县某建筑劳务有限公司", "海南省定安县定城镇见龙大道", "91469021MA5T3XY14R"
)
ROLES = {
    "wang": Role.INSPECTOR,
    "li": Role.INSPECTOR,
    "zhao": Role.INSPECTOR,
    "chen": Role.SUPERVISOR,
    "sun": Role.LEGAL,
    "zhou": Role.HEAD,
    "admin": Role.ADMIN,
    "system": Role.SYSTEM,
}
FIRST_OF_ROLE = {role: name for name, role in reversed(list(ROLES.items()))}


@cache
def compiled(procedure: str) -> CompiledProcedure:
    [decl] = [p for p in PROCEDURES if p.id == procedure]
    return compile_procedure(decl)


@cache
def county(county_id: str = "dingan") -> CountyContext:
    return county_context(county_id)


@cache
def renderer() -> JinjaNoticeRenderer:
    return JinjaNoticeRenderer()


@dataclass
class Issued:
    kind: str
    title: str
    number: str
    html: str


@dataclass
class Harness:
    """One in-memory case and its clock; ``fire`` renders the documents a transition issues."""

    procedure: str
    county_id: str = "dingan"
    now: datetime = START
    case: Case = field(init=False)
    issued: list[Issued] = field(default_factory=list)
    timers: dict[str, TimerRequest] = field(default_factory=dict)
    calendar: LayeredCalendar = field(default_factory=LayeredCalendar)

    def __post_init__(self) -> None:
        self.case = Case.open(
            ref="T2026-0001",
            compiled=self.compiled,
            subject=SUBJECT,
            source="测试",
            unit="县劳动保障监察大队",
            actor=Actor("wang", Role.INSPECTOR),
            now=self.now,
            calendar=self.calendar,
            settings=self.settings,
        )
        self.case.assignees = ["wang", "li"]
        self._track_timers()

    @property
    def compiled(self) -> CompiledProcedure:
        return compiled(self.procedure)

    @property
    def settings(self) -> ProcedureSettings:
        return county(self.county_id).settings

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_TZ).date()

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)

    def fire(
        self,
        trigger: str,
        payload: Mapping[str, Any] | None,
        actor: str,
        reason: str = "",
    ) -> FireOutcome:
        self.case.clear_pending()
        outcome = self.case.fire(
            self.compiled,
            trigger,
            payload,
            Actor(actor, ROLES[actor]),
            self.now,
            reason=reason,
            calendar=self.calendar,
            settings=self.settings,
            issue_documents=self._issue,
        )
        self._track_timers()
        return outcome

    def _track_timers(self) -> None:
        if self.case.timers_cancelled_for:
            self.timers.clear()
        for timer in self.case.timers_started:
            self.timers[timer.name] = timer

    def _issue(self, case: Case, requests: Sequence[DocumentRequest]) -> list[dict[str, Any]]:
        out = []
        for request in requests:
            if self.case.timers_cancelled_for:
                self.timers.clear()
            running = {t.name: t.deadline.last_day.isoformat() for t in self.timers.values()}
            running |= {t.name: t.deadline.last_day.isoformat() for t in case.timers_started}
            full = DocumentRequest(request.decl, {**request.context, "running_deadlines": running})
            number = f"测〔2026〕{len(self.issued) + 1}号"
            local = self.now.astimezone(LOCAL_TZ)
            data = document_data(county(self.county_id), case, self.compiled, full, number, local)
            html = renderer().render(request.decl.template, data)
            self.issued.append(Issued(request.decl.kind, request.decl.title, number, html))
            out.append({"kind": request.decl.kind, "number": number})
        return out


def actor_for(roles: frozenset[Role]) -> str:
    """A user who may fire a trigger with these roles and who did not investigate."""
    for role in (Role.INSPECTOR, Role.LEGAL, Role.HEAD, Role.SUPERVISOR, Role.SYSTEM):
        if role in roles:
            return FIRST_OF_ROLE[role]
    raise LookupError(roles)
