"""How the procedures are declared: guards follow one naming rule, a trigger that records
without moving the case says so with STAY, documents name their family by enum."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType

import pytest

import workflows
from engine.domain.county import DocFamily
from engine.domain.procedure import STAY, Guard, ProcedureDecl, documents_of
from workflows.registry import PROCEDURES

IDS = [p.id for p in PROCEDURES]


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(workflows.__path__, "workflows."):
        if not info.name.startswith("workflows.routing"):
            yield importlib.import_module(info.name)


MODULES = list(_modules())


def _declared_as(g: Guard) -> str | None:
    """Where the guard's name comes from: the module constant it is, or its factory."""
    for module in MODULES:
        if getattr(module, g.name.upper(), None) is g:
            return f"{module.__name__}.{g.name.upper()}"
        if callable(getattr(module, g.name, None)):
            return f"{module.__name__}.{g.name}()"
    return None


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_guards_are_named_after_their_constant_or_factory(decl: ProcedureDecl) -> None:
    unnamed = set()
    for t in decl.triggers:
        for g in t.guards:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", g.name), g.name
            if _declared_as(g) is None:
                unnamed.add((t.name, g.name))
    assert unnamed == set(), "guard X must be the constant X.upper() or made by a factory x()"


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_one_guard_per_name(decl: ProcedureDecl) -> None:
    """Two different conditions never share a name (factories may be called more than once
    with the same label)."""
    labels: dict[str, set[str]] = {}
    for t in decl.triggers:
        for g in t.guards:
            labels.setdefault(g.name, set()).add(g.label)
    assert {name: found for name, found in labels.items() if len(found) > 1} == {}


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_destinations_are_states_or_stay(decl: ProcedureDecl) -> None:
    states = {s.name for s in decl.states}
    for t in decl.triggers:
        assert t.dest is STAY or t.dest in states, t.name


@pytest.mark.parametrize("decl", PROCEDURES, ids=IDS)
def test_documents_name_their_family(decl: ProcedureDecl) -> None:
    for doc in documents_of(decl):
        assert type(doc.family) is DocFamily, doc.kind
