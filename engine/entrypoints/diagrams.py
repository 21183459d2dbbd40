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
    decl = compiled.decl
    # The drawing machine is a throwaway copy whose state names are the readable labels.
    names = {s.name: f"{s.label}\n{s.name}" for s in decl.states}
    states: list[dict[str, Any]] = [{"name": names[s.name]} for s in decl.states]
    transitions = []
    for t in decl.triggers:
        for src in t.sources:
            dest = names[t.dest] if t.dest else names[src]
            transitions.append({"trigger": t.label, "source": names[src], "dest": dest})
    model = _DiagramModel()
    machine = ProcedureGraphMachine(
        model=model,
        states=states,
        transitions=transitions,
        initial=names[decl.initial],
        auto_transitions=False,
        title=f"{decl.title}（{decl.id} 第{decl.version}版）",
        show_state_attributes=False,
        graph_engine="graphviz",
    )
    graph = cast(Any, machine.get_combined_graph())
    for s in decl.states:
        if s.final:
            graph.node(names[s.name], peripheries="2", fillcolor="lightgrey")
    output.parent.mkdir(parents=True, exist_ok=True)
    graph.draw(str(output), format=fmt, prog="dot")
    return output
