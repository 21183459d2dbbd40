"""Every field a person fills in has a Chinese label, and every choice a Chinese name: the
web forms are generated from the payload models, nothing is typed in by hand."""

from __future__ import annotations

import re
import typing
from enum import Enum

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.domain.procedure import ProcedureDecl
from workflows.registry import PROCEDURES

CJK = re.compile(r"[\u4e00-\u9fff]")


def _models(decl: ProcedureDecl) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    pending = [t.payload for t in decl.triggers if t.payload is not None]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for f in model.model_fields.values():
            for arg in _args(f.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    pending.append(arg)
    return found


def _args(annotation: object) -> list[object]:
    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _args(arg)
    return out


def _choice_labels(f: FieldInfo) -> list[str]:
    labels: list[str] = []
    extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
    for arg in _args(f.annotation):
        if isinstance(arg, type) and issubclass(arg, Enum):
            labels += [str(getattr(member, "label", "")) for member in arg]
        if typing.get_origin(arg) is typing.Literal:
            choices = extra.get("choices") or {}
            assert isinstance(choices, dict)
            labels += [str(choices.get(v, "")) for v in typing.get_args(arg)]
    return labels


@pytest.mark.parametrize("decl", PROCEDURES, ids=[p.id for p in PROCEDURES])
def test_every_field_and_choice_has_a_chinese_label(decl: ProcedureDecl) -> None:
    missing = []
    for model in _models(decl):
        for name, f in model.model_fields.items():
            if not f.description or not CJK.search(f.description):
                missing.append(f"{model.__name__}.{name}")
            missing += [
                f"{model.__name__}.{name}: a choice" for label in _choice_labels(f) if not label
            ]
    assert missing == []
