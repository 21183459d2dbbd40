"""Load-time checks of procedure declarations, and the one shared Machine per version."""

from __future__ import annotations

import dataclasses

import pytest

from engine.adapters.notices import JinjaNoticeRenderer
from engine.deadlines import Period, Unit
from engine.domain.errors import ProcedureDeclarationError
from engine.domain.procedure import (
    DocumentDecl,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    compile_procedure,
)
from engine.domain.roles import Role
from engine.service.registry import ProcedureRegistry
from workflows.registry import PROCEDURES

R = frozenset({Role.INSPECTOR})
SYS = frozenset({Role.SYSTEM})


def decl(states: tuple[StateDecl, ...], triggers: tuple[TriggerDecl, ...]) -> ProcedureDecl:
    return ProcedureDecl("toy", 1, "玩具程序", "a", states, triggers)


GOOD_STATES = (StateDecl("a", "甲"), StateDecl("b", "乙", final=True))
GOOD_TRIGGERS = (TriggerDecl("go", "前进", "a", "b", R),)


def test_good_declaration_compiles() -> None:
    compiled = compile_procedure(decl(GOOD_STATES, GOOD_TRIGGERS))
    assert compiled.allowed_triggers("a") == ["go"]
    assert compiled.machine.models == []  # shared: no model is ever added to it


@pytest.mark.parametrize(
    ("states", "triggers", "message"),
    [
        pytest.param(
            GOOD_STATES,
            (TriggerDecl("go", "前进", "a", "c", R),),
            "unknown destination state 'c'",
            id="unknown-state",
        ),
        pytest.param(
            GOOD_STATES,
            (TriggerDecl("go", "前进", "x", "b", R),),
            "unknown source state 'x'",
            id="unknown-source",
        ),
        pytest.param(
            (*GOOD_STATES, StateDecl("island", "孤岛", final=True)),
            GOOD_TRIGGERS,
            "unreachable state(s) ['island']",
            id="unreachable-state",
        ),
        pytest.param(
            (StateDecl("a", "甲"), StateDecl("b", "乙"), StateDecl("c", "丙", final=True)),
            (TriggerDecl("go", "前进", "a", "b", R), TriggerDecl("end", "结束", "a", "c", R)),
            "non-final state 'b' has no way out",
            id="dead-end",
        ),
        pytest.param(
            GOOD_STATES,
            (TriggerDecl("go", "前进", "a", "b", frozenset()),),
            "trigger 'go' has no role",
            id="trigger-without-role",
        ),
        pytest.param(
            (
                StateDecl(
                    "a",
                    "甲",
                    timers=(TimerDecl("t", "期限", Period(5, Unit.DAYS), "  ", on_expiry="go"),),
                ),
                StateDecl("b", "乙", final=True),
            ),
            (TriggerDecl("go", "前进", "a", "b", SYS),),
            "timer 't' of state 'a' has no legal basis",
            id="timer-without-basis",
        ),
        pytest.param(
            (
                StateDecl(
                    "a",
                    "甲",
                    timers=(
                        TimerDecl("t", "期限", Period(5, Unit.DAYS), "某法第1条", on_expiry="nope"),
                    ),
                ),
                StateDecl("b", "乙", final=True),
            ),
            GOOD_TRIGGERS,
            "fires 'nope', which is not a trigger",
            id="timer-bad-trigger",
        ),
        pytest.param(
            (StateDecl("a", "甲"), StateDecl("a", "甲"), StateDecl("b", "乙", final=True)),
            GOOD_TRIGGERS,
            "duplicate state(s) ['a']",
            id="duplicate-state",
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


def test_missing_template_fails_at_load() -> None:
    doc = DocumentDecl("ghost", "幽灵文书", "no_such_template.html.j2")
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
