"""Drive a procedure's cases in memory: the real services on the in-memory unit of work
(tests/fakes.py), the real procedure, the county's settings and holiday calendar, and the
real notice renderer for the documents issued."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from engine.adapters.clock import FixedClock
from engine.adapters.notices import JinjaNoticeRenderer
from engine.bootstrap import App, build_registry, build_services
from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.county import CountyContext, ProcedureSettings
from engine.domain.decision import Decision
from engine.domain.history import HistoryEvent
from engine.domain.procedure import CompiledProcedure, FireOutcome
from engine.domain.roles import SYSTEM_USER, Role
from engine.service.context import SYSTEM_ACTOR, actor_of
from engine.service.locking import load
from engine.service.read_models import IssuedDocument, StoredTimer
from engine.service.registry import ProcedureRegistry
from tests.fakes import FakeStore, PlainHasher
from tests.shared import CONTRACTOR, START, add_staff
from workflows.counties import county_context

SUBJECT = CONTRACTOR
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
def renderer() -> JinjaNoticeRenderer:
    return JinjaNoticeRenderer()


@cache
def registry() -> ProcedureRegistry:
    return build_registry(renderer())


def compiled(procedure: str) -> CompiledProcedure:
    return registry().latest(procedure)


@cache
def county(county_id: str = "dingan") -> CountyContext:
    return county_context(county_id)


def fake_app(county_id: str = "dingan", clock: FixedClock | None = None) -> App:
    """The services on a fresh in-memory store, with the staff."""
    app = build_services(
        FakeStore(),
        clock=clock or FixedClock(START),
        county=county(county_id),
        renderer=renderer(),
        registry=registry(),
        hasher=PlainHasher(),
    )
    add_staff(app)
    return app


class Harness:
    """One case of a procedure on the in-memory services, opened by wang and assigned to
    wang and li, and its clock. ``case`` is the stored case itself: a test may set its
    state, data or assignees before firing."""

    def __init__(self, procedure: str, county_id: str = "dingan", start: datetime = START) -> None:
        self.procedure = procedure
        self.county_id = county_id
        self.clock = FixedClock(start)
        self.app = fake_app(county_id, self.clock)
        opened = self.app.cases.open_case(
            procedure=procedure,
            subject=SUBJECT,
            source="测试",
            actor="wang",
            unit="县劳动保障监察大队",
        )
        self.ref = opened.ref
        self.app.cases.assign(self.ref, ["wang", "li"], actor="chen")

    @property
    def store(self) -> FakeStore:
        store = self.app.context.uow
        assert isinstance(store, FakeStore)
        return store

    @property
    def case(self) -> Case:
        return self.store.state.cases[self.ref]

    @property
    def last_event(self) -> HistoryEvent:
        return self.store.state.history[self.ref][-1]

    @property
    def issued(self) -> list[IssuedDocument]:
        """Every document the case issued, in order."""
        return [d for d in self.store.state.documents.values() if d.case_ref == self.ref]

    @property
    def timers(self) -> dict[str, StoredTimer]:
        """The case's running timers by name."""
        with self.app.context.uow(readonly=True) as uow:
            return {t.name: t for t in uow.timers.for_case(self.ref)}

    @property
    def compiled(self) -> CompiledProcedure:
        return compiled(self.procedure)

    @property
    def settings(self) -> ProcedureSettings:
        return county(self.county_id).settings

    @property
    def now(self) -> Any:
        return self.clock.now()

    @property
    def today(self) -> date:
        return self.clock.now().astimezone(LOCAL_TZ).date()

    def advance(self, days: int) -> None:
        self.clock.set(self.clock.now() + timedelta(days=days))

    def fire(
        self,
        trigger: str,
        payload: Mapping[str, Any] | None,
        actor: str,
        reason: str = "",
    ) -> FireOutcome:
        """Fire through the case commands' own path (the one the CLI and the sweep take)."""
        decision = self.decide(trigger, payload, actor, reason)
        return FireOutcome(self.compiled.triggers[trigger][0], decision.source, decision.dest)

    def decide(
        self, trigger: str, payload: Mapping[str, Any] | None, actor: str, reason: str = ""
    ) -> Decision:
        ctx = self.app.context
        with ctx.uow() as uow:
            who = SYSTEM_ACTOR if actor == SYSTEM_USER else actor_of(uow, actor)
            case, version = load(uow, self.ref, None)
            decision = self.app.cases.fire_in(
                uow, case, version, trigger, payload, who, reason, ctx.clock.now()
            )
            uow.commit()
        return decision


def actor_for(roles: frozenset[Role]) -> str:
    """A user who may fire a trigger with these roles and who did not investigate."""
    for role in (Role.INSPECTOR, Role.LEGAL, Role.HEAD, Role.SUPERVISOR, Role.SYSTEM):
        if role in roles:
            return FIRST_OF_ROLE[role]
    raise LookupError(roles)
