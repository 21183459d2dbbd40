"""Random use of every procedure (hypothesis stateful testing): random triggers with random
payloads fired by random users, assignments, and time passing with the sweep. Only the
engine's typed errors may come out, and each case stays consistent: its history verifies and
replays to its stored state, its pending timers belong to its current state, a final state
has closed the case and left no timer running. Runs on SQLite in a temporary file (an
integration test: it exercises the SQL store)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from db.engine import make_engine
from db.migrate import upgrade
from db.uow import SqlUnitOfWorkFactory
from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap, build_services
from engine.deadlines import LOCAL_TZ
from engine.domain.errors import CaseflowError
from engine.domain.history import verify_chain
from tests.shared import START, add_staff
from tests.unit.workflows._harness import (
    ROLES,
    SUBJECT,
    actor_for,
    compiled,
    county,
    registry,
    renderer,
)
from tests.unit.workflows._payloads import EXAMPLES, example
from tests.unit.workflows.tours import TOURS, Step
from workflows.registry import PROCEDURES

USERS = sorted(ROLES)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 2_000_000),
    st.text(max_size=6),
    st.sampled_from(["2026-01-01", "2026-12-31", "0", "-1", "police", "1e9", "posting"]),
)


@cache
def staffed_template() -> Path:
    """A migrated SQLite database with the staff, made once and copied for each example."""
    path = Path(tempfile.mkdtemp(prefix="caseflow-stateful-")) / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    app = bootstrap(
        f"sqlite:///{path}", clock=FixedClock(START), engine=engine, renderer=renderer()
    )
    add_staff(app)
    engine.dispose()
    return path


def payloads(model: Any, example: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Mostly valid payloads, some with a field spoilt, some nonsense."""
    junk_dict = st.dictionaries(st.text(max_size=8), JUNK, max_size=3)
    if model is None:
        return st.one_of(st.none(), junk_dict)
    valid = st.just(dict(example))
    if not example:
        return st.one_of(valid, junk_dict)
    spoilt = st.tuples(st.sampled_from(sorted(example)), JUNK).map(
        lambda kv: {**example, kv[0]: kv[1]}
    )
    missing = st.sampled_from(sorted(example)).map(
        lambda k: {key: v for key, v in example.items() if key != k}
    )
    return st.one_of(valid, valid, valid, spoilt, missing, junk_dict)


class ProcedureMachine(RuleBasedStateMachine):
    procedure: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="caseflow-run-"))
        target = self.dir / "caseflow.db"
        shutil.copy(staffed_template(), target)
        self.clock = FixedClock(START)
        self.engine = make_engine(f"sqlite:///{target}", sqlite_synchronous="NORMAL")
        self.app = build_services(
            SqlUnitOfWorkFactory(self.engine),
            clock=self.clock,
            county=county(),
            renderer=renderer(),
            registry=registry(),
        )
        case = self.app.cases.open_case(
            procedure=self.procedure, subject=SUBJECT, source="测试", actor="wang"
        )
        self.app.cases.assign(case.ref, ["wang", "li"], actor="chen")
        self.refs = [case.ref]
        self.tour: list[Step] = []

    @initialize(data=st.data())
    def choose_tour(self, data: st.DataObject) -> None:
        """A tour to follow now and then, so that random use also reaches deep states."""
        tours = [t for t in TOURS[self.procedure] if getattr(t, "county", "dingan") == "dingan"]
        chosen = data.draw(st.sampled_from(tours))
        self.tour = [Step(s) if isinstance(s, str) else s for s in chosen]

    @rule()
    def follow_tour(self) -> None:
        if not self.tour:
            return
        step = self.tour.pop(0)
        if step.days:
            self.clock.set(self.clock.now() + timedelta(days=step.days))
            self.app.sweeper.sweep()
        decl = compiled(self.procedure).triggers[step.trigger][0]
        today = self.clock.now().astimezone(LOCAL_TZ).date()
        payload = example(decl.payload, today, **step.payload) if decl.payload else None
        actor = step.actor or actor_for(decl.roles)
        try:
            self.app.cases.fire(self.refs[0], step.trigger, payload, actor=actor, reason="经审查")
        except CaseflowError:
            return

    def teardown(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(data=st.data())
    def fire(self, data: st.DataObject) -> None:
        ref = data.draw(st.sampled_from(self.refs))
        with self.app.context.uow(readonly=True) as uow:
            case = uow.cases.get(ref)
        proc = compiled(case.procedure)
        allowed = proc.allowed_triggers(case.state)
        every = sorted(proc.triggers)
        names = st.sampled_from(allowed) if allowed else st.sampled_from(every)
        trigger = data.draw(st.one_of(names, names, st.sampled_from([*every, "no_such_trigger"])))
        model = proc.triggers[trigger][0].payload if trigger in proc.triggers else None
        today = self.clock.now().astimezone(LOCAL_TZ).date()
        example = EXAMPLES[model](today) if model is not None else {}
        payload = data.draw(payloads(model, example))
        roles = proc.triggers[trigger][0].roles if trigger in proc.triggers else frozenset()
        fitting = [u for u in USERS if ROLES[u] in roles] or USERS
        user = data.draw(st.one_of(st.sampled_from(fitting), st.sampled_from(USERS)))
        reason = data.draw(st.sampled_from(["", "经审查，理由如下"]))
        try:
            after = self.app.cases.fire(ref, trigger, payload, actor=user, reason=reason)
        except CaseflowError:
            return
        for child in after.data.get("linked_cases", []):
            if child not in self.refs:
                self.refs.append(child)

    @rule(data=st.data())
    def assign(self, data: st.DataObject) -> None:
        ref = data.draw(st.sampled_from(self.refs))
        people = data.draw(st.lists(st.sampled_from(USERS), min_size=0, max_size=3))
        actor = data.draw(st.sampled_from(USERS))
        try:
            self.app.cases.assign(ref, people, actor=actor)
        except CaseflowError:
            return

    @rule(days=st.integers(min_value=0, max_value=45), hours=st.integers(0, 23))
    def time_passes(self, days: int, hours: int) -> None:
        self.clock.set(self.clock.now() + timedelta(days=days, hours=hours))
        self.app.sweeper.sweep()

    @invariant()
    def cases_are_consistent(self) -> None:
        with self.app.context.uow(readonly=True) as uow:
            for ref in self.refs:
                case = uow.cases.get(ref)
                timers = uow.timers.for_case(ref)
                history = uow.cases.history(ref)
                proc = compiled(case.procedure)
                assert case.state in proc.states
                assert verify_chain(ref, history) is None
                moves = [e for e in history if e.to_state is not None]
                assert moves and moves[-1].to_state == case.state
                assert all(t.state == case.state for t in timers)
                if proc.states[case.state].final:
                    assert case.closed_at is not None and timers == []
                assert case.version == len(history)


def _machine(procedure: str) -> type[ProcedureMachine]:
    return type(
        f"{procedure.title().replace('_', '')}Machine",
        (ProcedureMachine,),
        {"procedure": procedure},
    )


SETTINGS = settings(
    max_examples=15,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

for _decl in PROCEDURES:
    _m = _machine(_decl.id)
    globals()[f"Test{_m.__name__}"] = SETTINGS(_m).TestCase
