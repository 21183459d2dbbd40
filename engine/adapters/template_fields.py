"""Which parts of a notice's data its templates read — so that a document stores what it
shows, not the whole case (engine.service.issuing.keep_used).

A template's Jinja2 syntax tree is walked for the context variables it reads, together
with those of every template it extends, includes or imports from, and of its Word
template (docxtpl, the same Jinja2 over the document's XML). A variable read only through
constant attributes or keys (``data.findings.admitted``, ``case["ref"]``,
``data.get("x")``) keeps just those keys of it (``data.findings`` whole); a variable read
any other way — printed whole, looped over, filtered, indexed by a variable, passed to a
macro — is kept whole. A template whose includes cannot be known (a computed name) keeps
everything. Reading too much only stores a little more; reading too little would fail the
render at issue time (the renderer is strict), never silently later.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from jinja2 import Environment, meta, nodes

Fields = Mapping[str, frozenset[str] | None]
"""Top-level variable → the keys of it read (None: all of it)."""

_DICT_METHODS = frozenset({"items", "keys", "values", "get"})


def _walk(
    node: nodes.Node, parent: nodes.Node | None
) -> Iterator[tuple[nodes.Node, nodes.Node | None]]:
    yield node, parent
    for child in node.iter_child_nodes():
        yield from _walk(child, node)


def _key_read(name: nodes.Name, parent: nodes.Node | None, grand: nodes.Node | None) -> str | None:
    """The constant key `name` is read by (``x.k``, ``x["k"]``, ``x.get("k")``), or None
    when it is used some other way (then all of it is needed)."""
    if isinstance(parent, nodes.Getattr) and parent.node is name:
        if parent.attr not in _DICT_METHODS:
            return parent.attr
        if (
            parent.attr == "get"
            and isinstance(grand, nodes.Call)
            and grand.node is parent
            and grand.args
            and isinstance(grand.args[0], nodes.Const)
            and isinstance(grand.args[0].value, str)
        ):
            return grand.args[0].value
        return None
    if (
        isinstance(parent, nodes.Getitem)
        and parent.node is name
        and isinstance(parent.arg, nodes.Const)
        and isinstance(parent.arg.value, str)
    ):
        return parent.arg.value
    return None


def fields_of_tree(tree: nodes.Template) -> dict[str, set[str] | None]:
    """The variables one syntax tree reads (see the module's docstring)."""
    parents: dict[int, nodes.Node | None] = {}
    names: list[nodes.Name] = []
    for node, parent in _walk(tree, None):
        parents[id(node)] = parent
        if isinstance(node, nodes.Name) and node.ctx == "load":
            names.append(node)
    found: dict[str, set[str] | None] = {}
    for name in names:
        parent = parents.get(id(name))
        grand = parents.get(id(parent)) if parent is not None else None
        key = _key_read(name, parent, grand)
        if name.name in found and found[name.name] is None:
            continue
        if key is None:
            found[name.name] = None
        else:
            keys = found.setdefault(name.name, set())
            assert keys is not None
            keys.add(key)
    return found


def merge(
    into: dict[str, set[str] | None], more: Mapping[str, set[str] | frozenset[str] | None]
) -> None:
    for name, keys in more.items():
        if keys is None or (name in into and into[name] is None):
            into[name] = None
        else:
            known = into.setdefault(name, set())
            assert known is not None
            known.update(keys)


def frozen(found: Mapping[str, set[str] | None]) -> Fields:
    return {k: None if v is None else frozenset(v) for k, v in found.items()}


def template_fields(env: Environment, template: str) -> Fields | None:
    """The variables `template` and the templates it uses read; None when a template
    name is computed at render time (nothing may then be left out)."""
    found: dict[str, set[str] | None] = {}
    seen: set[str] = set()
    todo = [template]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        assert env.loader is not None
        source, _, _ = env.loader.get_source(env, name)
        tree = env.parse(source)
        merge(found, fields_of_tree(tree))
        for used in meta.find_referenced_templates(tree):
            if used is None:
                return None
            todo.append(used)
    return frozen(found)


def docx_fields(path: Path, env: Environment) -> Fields:
    """The variables a docxtpl Word template reads: its body, headers and footers, as
    docxtpl itself assembles them before rendering (DocxTemplate.get_undeclared_template_
    variables)."""
    from docxtpl import DocxTemplate  # loaded on first use, as in engine/adapters/docx.py

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    xml = tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml += tpl.patch_xml(tpl.get_part_xml(part))
    return frozen(fields_of_tree(env.parse(xml)))
