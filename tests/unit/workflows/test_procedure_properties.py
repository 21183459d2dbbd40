"""Properties every procedure in the registry has: it compiles (every state reachable, every
non-final state has a way out, every trigger has a role, every timer a legal basis and an
expiry the system may fire); its tours fire every trigger, visit every state and issue every
document, which renders; every trigger refuses a role it does not list (NotPermitted) and
a context its guards reject (GuardFailed)."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pytest

from engine.domain.errors import GuardFailed, NotPermitted
from engine.domain.procedure import STAY, ProcedureDecl, compile_procedure, documents_of
from engine.domain.roles import Role
from tests.unit.workflows._harness import ROLES, Harness, actor_for
from tests.unit.workflows._payloads import EXAMPLES
from tests.unit.workflows.tours import TOURS, Step, run
from workflows.registry import PROCEDURES

IDS = [p.id for p in PROCEDURES]
ROLE_USERS = {role: name for name, role in ROLES.items() if role is not Role.ADMIN}

# Triggers whose branches together admit every context: the sweep's expiry of the remedy
# windows goes one way when the fine is paid, the other when it is not; intake decisions
# depend on the payload only (their refusals are tested in test_rules.py).
TOTAL = {"remedy_periods_lapsed", "accept", "reject"}


@cache
def toured(procedure: str) -> tuple[dict[str, dict[str, object]], set[str], dict[str, str]]:
    """Run every tour of a procedure: per trigger, a state it was fired from and its
    payload; the states visited; the documents issued (kind → rendered HTML)."""
    fired: dict[str, dict[str, object]] = {}
    visited: set[str] = set()
    documents: dict[str, str] = {}
    for tour in TOURS[procedure]:
        for h, outcome in run(procedure, tour):
            visited |= {outcome.source, outcome.dest}
            event = h.last_event
            fired.setdefault(outcome.trigger.name, {"state": outcome.source, **event.payload})
            documents |= {d.kind: d.html for d in h.issued}
        findings = h.app.integrity.verify().broken
        assert findings == [], (procedure, [f"{f.seq}: {f.problem}" for f in findings])
    return fired, visited, documents


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_compiles(decl: ProcedureDecl) -> None:
    compiled = compile_procedure(decl)
    assert set(compiled.states) == {s.name for s in decl.states}
    assert compiled.machine.models == []


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_every_state_is_reachable_and_has_a_way_out(decl: ProcedureDecl) -> None:
    reached = {decl.initial}
    frontier = [decl.initial]
    while frontier:
        state = frontier.pop()
        for t in decl.triggers:
            if state in t.sources and t.dest is not STAY and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    assert reached == {s.name for s in decl.states}
    for s in decl.states:
        leaving = [t for t in decl.triggers if s.name in t.sources and t.dest not in (STAY, s.name)]
        assert s.final or leaving, f"{s.name} has no way out"
        assert not (s.final and any(s.name in t.sources for t in decl.triggers))


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_every_timer_has_a_legal_basis_and_a_fireable_expiry(decl: ProcedureDecl) -> None:
    for state in decl.states:
        for timer in state.timers:
            assert re.search(r"《[^》]+》第[一二三四五六七八九十百]+条|监管制度", timer.basis), (
                timer
            )
            if timer.on_expiry:
                branches = [
                    t
                    for t in decl.triggers
                    if t.name == timer.on_expiry and state.name in t.sources
                ]
                assert branches and all(Role.SYSTEM in t.roles for t in branches)
                assert all(t.payload is None for t in branches), "the sweep fires without payload"


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_every_payload_has_an_example(decl: ProcedureDecl) -> None:
    missing = {t.payload.__name__ for t in decl.triggers if t.payload and t.payload not in EXAMPLES}
    assert missing == set()


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_tours_fire_every_trigger_and_visit_every_state(decl: ProcedureDecl) -> None:
    fired, visited, _ = toured(decl.id)
    assert {t.name for t in decl.triggers} - set(fired) == set()
    assert {s.name for s in decl.states} - visited == set()


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_every_document_is_issued_and_renders(decl: ProcedureDecl) -> None:
    _, _, documents = toured(decl.id)
    declared = {d.kind for d in documents_of(decl)}
    assert declared - set(documents) == set()
    for kind, html in documents.items():
        assert "定安县人力资源和社会保障局" in html or "双牌县人力资源和社会保障局" in html, kind
        assert re.search(r"《[^》]+》第[一二三四五六七八九十百]+条", html), kind


def test_document_numbers_stay_unique() -> None:
    """A number prefix (family + abbreviation) belongs to one kind of document."""
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for decl in PROCEDURES:
        for doc in documents_of(decl):
            titles[(doc.family, doc.abbrev)].add(doc.title)
    shared = {k: v for k, v in titles.items() if len(v) > 1}
    assert shared == {}


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_a_role_not_listed_is_refused(decl: ProcedureDecl) -> None:
    h = Harness(decl.id)  # a refused trigger changes nothing, so one case serves every try
    for t in decl.triggers:
        for source in t.sources:
            for role, user in ROLE_USERS.items():
                if role in t.roles:
                    continue
                h.case.state = source
                with pytest.raises(NotPermitted):
                    h.fire(t.name, {}, user)


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_guards_refuse_a_hostile_context(decl: ProcedureDecl) -> None:
    """A case with nobody assigned, opened by the person acting and with no data: every
    guarded trigger refuses it with GuardFailed, naming its own conditions."""
    fired, _, _ = toured(decl.id)
    by_name = defaultdict(list)
    for t in decl.triggers:
        by_name[t.name].append(t)
    # An expiry is refused before its guards while no window ran out (test_expiry_is_the_clocks).
    expiries = compile_procedure(decl).expiry_triggers
    for name, branches in by_name.items():
        if name in TOTAL or name in expiries or not all(b.guards for b in branches):
            continue
        seen = fired[name]
        payload = {k: v for k, v in seen.items() if k != "state" and not k.startswith("_")}
        actor = actor_for(branches[0].roles)
        h = Harness(decl.id)
        h.case.state = str(seen["state"])
        h.case.assignees = []
        h.case.opened_by = actor
        h.case.data = {}
        with pytest.raises(GuardFailed) as err:
            h.fire(name, payload or None, actor, "理由")
        labels = {g.label for b in branches for g in b.guards} | CLOCK_LABELS
        assert {label for label, _ in err.value.failures} <= labels


CLOCK_LABELS = {"可以延长期限", "期限未中止", "期限处于中止状态"}


def test_tour_steps_name_declared_triggers() -> None:
    for procedure, tours in TOURS.items():
        [decl] = [p for p in PROCEDURES if p.id == procedure]
        names = {t.name for t in decl.triggers}
        for tour in tours:
            for step in tour:
                name = step.trigger if isinstance(step, Step) else step
                assert name in names, (procedure, name)
