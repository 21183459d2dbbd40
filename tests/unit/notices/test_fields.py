"""A document stores what its templates read (engine.adapters.template_fields,
engine.service.issuing.keep_used): every declared template renders the same bytes — and
its Word template the same text — from its golden input cut down to what it reads, and
the analysis keeps whole whatever it cannot follow."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from engine.adapters.notices import JinjaNoticeRenderer
from engine.adapters.template_fields import template_fields
from engine.service.issuing import KEPT, keep_used
from tests.unit.notices._support import golden_input, registry_templates, stem

TEMPLATES = registry_templates()


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_the_data_a_template_reads_renders_it_byte_for_byte(
    template: str, renderer: JinjaNoticeRenderer
) -> None:
    full = golden_input(template)
    fields = renderer.fields(template)
    assert fields is not None, "every notice template's includes are named"
    kept = keep_used(full, fields)
    assert renderer.render(template, kept) == renderer.render(template, full)
    assert set(kept) <= set(full) and KEPT & set(full) <= set(kept)


def test_a_notice_keeps_only_the_case_data_it_shows(renderer: JinjaNoticeRenderer) -> None:
    full = golden_input("rectification_order.html.j2")
    full["data"] = {**full["data"], "services": [{"n": i} for i in range(500)], "note": "x"}
    kept = keep_used(full, renderer.fields("rectification_order.html.j2"))
    assert "services" not in kept["data"] and "note" not in kept["data"]
    assert kept["data"]["findings"] == full["data"]["findings"]


def _fields(source: str, **others: str) -> Any:
    env = Environment(loader=DictLoader({"t": source, **others}))
    return template_fields(env, "t")


def test_attributes_keys_and_get_keep_just_those_keys() -> None:
    fields = _fields('{{ data.a.b }}{{ data["c"] }}{{ data.get("d") }}{{ party.name }}')
    assert fields == {"data": {"a", "c", "d"}, "party": {"name"}}


def test_anything_else_keeps_the_whole_variable() -> None:
    assert _fields("{{ data[k] }}{{ k }}") == {"data": None, "k": None}
    assert _fields("{% for x in data %}{{ x.y }}{% endfor %}")["data"] is None
    assert _fields("{{ data | tojson }}")["data"] is None
    assert _fields("{{ data.items() }}")["data"] is None
    assert _fields("{{ data.a }}{{ m(data) }}")["data"] is None


def test_extended_included_and_imported_templates_are_read_too() -> None:
    fields = _fields(
        '{% extends "base" %}{% from "macros" import m %}{% block b %}{{ m() }}{% endblock %}',
        base="{{ bureau.name }}{% block b %}{% endblock %}{% include 'inc' %}",
        macros="{% macro m() %}{{ case.ref }}{% endmacro %}",
        inc="{{ officers }}",
    )
    assert fields is not None
    assert fields["bureau"] == {"name"} and fields["case"] == {"ref"}
    assert fields["officers"] is None


def test_a_computed_template_name_keeps_everything() -> None:
    assert _fields("{% include name %}") is None
    assert keep_used({"data": {"a": 1}, "x": 2}, None) == {"data": {"a": 1}, "x": 2}
