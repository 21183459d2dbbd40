"""Load-time checks of procedure declarations, and the one shared Machine per version."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from engine.adapters.notices import JinjaNoticeRenderer
from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily, NoSettings
from engine.domain.errors import ProcedureDeclarationError
from engine.domain.procedure import (
    STAY,
    Actor,
    Branch,
    DocumentDecl,
    FireOutcome,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
    compile_procedure,
    guard,
)
from engine.domain.roles import Role
from engine.service.registry import ProcedureRegistry
from workflows.registry import PROCEDURES

R = frozenset({Role.INSPECTOR})
SYS = frozenset({Role.SYSTEM})


def decl(states: tuple[StateDecl, ...], triggers: tuple[TriggerDecl, ...]) -> ProcedureDecl:
    return ProcedureDecl(
        id="toy", version=1, title="玩具程序", initial="a", states=states, triggers=triggers
    )


GOOD_STATES = (StateDecl(name="a", label="甲"), StateDecl(name="b", label="乙", final=True))
GOOD_TRIGGERS = (TriggerDecl(name="go", label="前进", source="a", dest="b", roles=R),)


def test_good_declaration_compiles() -> None:
    compiled = compile_procedure(decl(GOOD_STATES, GOOD_TRIGGERS))
    assert compiled.allowed_triggers("a") == ["go"]
    assert compiled.machine.models == []  # shared: no model is ever added to it


@pytest.mark.parametrize(
    ("states", "triggers", "message"),
    [
        pytest.param(
            GOOD_STATES,
            (TriggerDecl(name="go", label="前进", source="a", dest="c", roles=R),),
            "unknown destination state 'c'",
            id="unknown-state",
        ),
        pytest.param(
            GOOD_STATES,
            (TriggerDecl(name="go", label="前进", source="x", dest="b", roles=R),),
            "unknown source state 'x'",
            id="unknown-source",
        ),
        pytest.param(
            (*GOOD_STATES, StateDecl(name="island", label="孤岛", final=True)),
            GOOD_TRIGGERS,
            "unreachable state(s) ['island']",
            id="unreachable-state",
        ),
        pytest.param(
            (
                StateDecl(name="a", label="甲"),
                StateDecl(name="b", label="乙"),
                StateDecl(name="c", label="丙", final=True),
            ),
            (
                TriggerDecl(name="go", label="前进", source="a", dest="b", roles=R),
                TriggerDecl(name="end", label="结束", source="a", dest="c", roles=R),
            ),
            "non-final state 'b' has no way out",
            id="dead-end",
        ),
        pytest.param(
            GOOD_STATES,
            (TriggerDecl(name="go", label="前进", source="a", dest="b", roles=frozenset()),),
            "trigger 'go' has no role",
            id="trigger-without-role",
        ),
        pytest.param(
            (
                StateDecl(
                    name="a",
                    label="甲",
                    timers=(
                        TimerDecl(
                            name="t",
                            label="期限",
                            period=Period(5, Unit.DAYS),
                            basis="  ",
                            on_expiry="go",
                        ),
                    ),
                ),
                StateDecl(name="b", label="乙", final=True),
            ),
            (TriggerDecl(name="go", label="前进", source="a", dest="b", roles=SYS),),
            "timer 't' of state 'a' has no legal basis",
            id="timer-without-basis",
        ),
        pytest.param(
            (
                StateDecl(
                    name="a",
                    label="甲",
                    timers=(
                        TimerDecl(
                            name="t",
                            label="期限",
                            period=Period(5, Unit.DAYS),
                            basis="某法第1条",
                            on_expiry="nope",
                        ),
                    ),
                ),
                StateDecl(name="b", label="乙", final=True),
            ),
            GOOD_TRIGGERS,
            "fires 'nope', which is not a trigger",
            id="timer-bad-trigger",
        ),
        pytest.param(
            (
                StateDecl(name="a", label="甲"),
                StateDecl(name="a", label="甲"),
                StateDecl(name="b", label="乙", final=True),
            ),
            GOOD_TRIGGERS,
            "duplicate state(s) ['a']",
            id="duplicate-state",
        ),
        pytest.param(
            GOOD_STATES,
            (TriggerDecl(name="go", label="前进", source="a", dest=None, roles=R),),  # type: ignore[arg-type]
            "trigger 'go' has no destination: name a state, or STAY to stay in its state",
            id="missing-dest",
        ),
        pytest.param(
            GOOD_STATES,
            (
                *GOOD_TRIGGERS,
                TriggerDecl(name="go", label="前进", source="a", dest=STAY, roles=SYS),
            ),
            "branches of trigger 'go' differ in roles or payload",
            id="branches-disagree",
        ),
        pytest.param(
            (
                StateDecl(
                    name="a",
                    label="甲",
                    timers=(
                        TimerDecl(
                            name="t",
                            label="期限",
                            period=Period(5, Unit.DAYS),
                            basis="某法第1条",
                            on_expiry="go",
                        ),
                    ),
                ),
                StateDecl(name="b", label="乙", final=True),
            ),
            GOOD_TRIGGERS,
            "fires 'go', which the system user may not fire",
            id="expiry-not-for-the-system",
        ),
        pytest.param(
            (StateDecl(name="a", label="甲"), StateDecl(name="b", label="乙", final=True)),
            (
                TriggerDecl(name="go", label="前进", source="a", dest="b", roles=R),
                TriggerDecl(name="note", label="记录", source="b", dest=STAY, roles=R),
            ),
            "trigger 'note' leaves final state 'b'",
            id="trigger-from-final-state",
        ),
    ],
)
def test_declaration_errors_name_the_problem(
    states: tuple[StateDecl, ...], triggers: tuple[TriggerDecl, ...], message: str
) -> None:
    with pytest.raises(ProcedureDeclarationError) as err:
        compile_procedure(decl(states, triggers))
    assert message in str(err.value)
    assert "toy@1" in str(err.value)


def test_a_trigger_declared_without_dest_does_not_construct() -> None:
    with pytest.raises(TypeError, match="dest"):
        TriggerDecl(name="go", label="前进", source="a", roles=R)  # type: ignore[call-arg]


def test_positional_declarations_are_refused() -> None:
    with pytest.raises(TypeError):
        StateDecl("a", "甲")  # type: ignore[call-arg]


def _context(amount: int) -> GuardContext:
    return GuardContext(
        case_ref="T1",
        state="a",
        data={"amount": amount},
        assignees=(),
        opened_by="wang",
        actor=Actor("wang", Role.INSPECTOR),
        payload=None,
        now=datetime(2026, 3, 2, tzinfo=UTC),
        settings=NoSettings(),
    )


@guard("settled", "已付清")
def SETTLED(ctx: GuardContext) -> str | None:
    return None if ctx.data["amount"] == 0 else "尚未付清"


@guard("owing", "尚有欠款")
def OWING(ctx: GuardContext) -> str | None:
    return "已付清" if ctx.data["amount"] == 0 else None


PAY = branches(
    name="pay",
    label="登记付款",
    source="a",
    roles=R,
    routes=(Branch(guards=(SETTLED,), dest="b"), Branch(guards=(OWING,), dest=STAY)),
)


def test_branches_state_only_what_differs() -> None:
    settle, partial = PAY
    assert (settle.name, settle.label, settle.roles) == (partial.name, partial.label, partial.roles)
    assert (settle.guards, settle.dest) == ((SETTLED,), "b")
    assert (partial.guards, partial.dest) == ((OWING,), STAY)


def test_stay_keeps_the_state_and_a_branch_moves_it() -> None:
    compiled = compile_procedure(decl(GOOD_STATES, PAY))
    stayed = compiled.fire("a", "pay", _context(5))
    moved = compiled.fire("a", "pay", _context(0))
    assert isinstance(stayed, FireOutcome) and isinstance(moved, FireOutcome)
    assert (stayed.trigger.dest, stayed.source, stayed.dest) == (STAY, "a", "a")
    assert (moved.source, moved.dest) == ("a", "b")


def test_missing_template_fails_at_load() -> None:
    doc = DocumentDecl(
        kind="ghost",
        title="幽灵文书",
        template="no_such_template.html.j2",
        family=DocFamily.INSPECTION,
    )
    bad = decl(GOOD_STATES, (dataclasses.replace(GOOD_TRIGGERS[0], documents=(doc,)),))
    with pytest.raises(ProcedureDeclarationError) as err:
        ProcedureRegistry([bad], template_exists=JinjaNoticeRenderer().exists)
    assert "missing template 'no_such_template.html.j2'" in str(err.value)


def test_real_procedures_load_with_their_templates() -> None:
    registry = ProcedureRegistry(PROCEDURES, template_exists=JinjaNoticeRenderer().exists)
    assert {c.decl.id for c in registry.all_latest()} >= {"wage_arrears"}


def test_one_machine_per_version_is_shared() -> None:
    registry = ProcedureRegistry(PROCEDURES)
    compiled = registry.latest("wage_arrears")
    assert registry.get("wage_arrears", compiled.decl.version).machine is compiled.machine
    assert compiled.machine.models == []
    assert compiled.machine.auto_transitions is False
