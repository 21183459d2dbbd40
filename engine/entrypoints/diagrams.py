"""State diagrams of procedures through transitions' graph support (graphviz), with the
Chinese labels and a CJK font so they are readable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, cast

from transitions.extensions.diagrams import GraphMachine

from engine.domain.procedure import CompiledProcedure

CJK_FONT = "WenQuanYi Zen Hei"


def _styles() -> dict[str, Any]:
    styles: dict[str, Any] = copy.deepcopy(GraphMachine.style_attributes)
    styles["node"]["default"]["fontname"] = CJK_FONT
    styles["edge"]["default"].update(fontname=CJK_FONT, fontsize="10")
    styles["node"]["active"].update(color="#1f4e8c", fillcolor="#1f4e8c", fontcolor="white")
    return styles


class ProcedureGraphMachine(GraphMachine):
    """GraphMachine with a CJK font, so Chinese labels render."""

    machine_attributes = {  # noqa: RUF012 - transitions reads these class attributes
        **GraphMachine.machine_attributes,
        "fontname": CJK_FONT,
        "nodesep": "0.4",
    }
    style_attributes = _styles()


class _DiagramModel:
    state: str


def draw(compiled: CompiledProcedure, output: Path) -> Path:
    """Write the procedure's diagram; the format follows the suffix (.svg, .png, .pdf)."""
    fmt = output.suffix.lstrip(".").lower() or "svg"
    if fmt not in {"svg", "png", "pdf"}:
        raise ValueError(fmt)
    graph = _graph(compiled, with_stays=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    graph.draw(str(output), format=fmt, prog="dot")
    return output


_SVG_CACHE: dict[tuple[tuple[str, int], str], str] = {}


def state_svg(compiled: CompiledProcedure, current: str) -> str:
    """The procedure's diagram as SVG text with ``current`` highlighted (the case page),
    state-changing transitions only; cached per procedure version and state."""
    key = (compiled.key, current)
    found = _SVG_CACHE.get(key)
    if found is None:
        graph = _graph(compiled, with_stays=False, current=current)
        graph.graph_attr["rankdir"] = "TB"
        svg = graph.pipe(format="svg", engine="dot").decode("utf-8")
        found = _SVG_CACHE[key] = svg[svg.index("<svg") :]
    return found


def _names(compiled: CompiledProcedure) -> dict[str, str]:
    return {s.name: s.label for s in compiled.decl.states}


def _graph(compiled: CompiledProcedure, *, with_stays: bool, current: str | None = None) -> Any:
    """The procedure as a graphviz graph; the ``current`` state (by default the initial
    one) is drawn as the machine's active state."""
    decl = compiled.decl
    # The drawing machine is a throwaway copy whose state names are the readable labels.
    names = (
        {s.name: f"{s.label}\n{s.name}" for s in decl.states} if with_stays else _names(compiled)
    )
    states: list[dict[str, Any]] = [{"name": names[s.name]} for s in decl.states]
    transitions = []
    for t in decl.triggers:
        for src in t.sources:
            dest = names[t.dest] if t.dest else names[src]
            if with_stays or dest != names[src]:
                transitions.append({"trigger": t.label, "source": names[src], "dest": dest})
    model = _DiagramModel()
    machine = ProcedureGraphMachine(
        model=model,
        states=states,
        transitions=transitions,
        initial=names[current or decl.initial],
        auto_transitions=False,
        title=f"{decl.title}（{decl.id} 第{decl.version}版）",
        show_state_attributes=False,
        graph_engine="graphviz",
    )
    graph = cast(Any, machine.get_combined_graph())
    for s in decl.states:
        if s.final:
            graph.node(names[s.name], peripheries="2", fillcolor="lightgrey")
    return graph
