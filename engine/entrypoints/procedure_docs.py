"""The procedures as documents a reader who knows the law can check: one Markdown page per
procedure (``docs/procedures/<id>.md``) generated from its declaration — states, triggers
with their roles, conditions, payload fields and documents, the statutory timers with their
legal basis, the documents, and the state diagram (Mermaid) — and an index (README.md).

    python -m engine.entrypoints.procedure_docs [DIRECTORY]

rewrites the pages (default: ``docs/procedures/`` of this repository). The output depends
only on the declarations, so a test can check the committed pages are current.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.deadlines import Period
from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    DocumentDecl,
    PeriodSetting,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    documents_of,
)
from engine.domain.roles import Role
from workflows.registry import PROCEDURES

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "procedures"
COMMAND = "python -m engine.entrypoints.procedure_docs"
HEADER = f"<!-- 由 `{COMMAND}` 根据程序声明生成，请勿手工修改。 -->"

FAMILY_LABELS = {
    DocFamily.INSPECTION: "监察文书",
    DocFamily.DECISION: "决定文书",
    DocFamily.FUND_SUPERVISION: "基金监督文书",
    DocFamily.TRANSFER: "移送文书",
}
SIMPLE_TYPES: dict[Any, str] = {
    str: "文本",
    int: "整数",
    bool: "是／否",
    date: "日期",
    datetime: "日期时间",
    Decimal: "数值",
}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|") or "—"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _roles(roles: frozenset[Role]) -> str:
    return "、".join(r.label for r in Role if r in roles)


def _period(period: Period | PeriodSetting) -> str:
    if isinstance(period, PeriodSetting):
        return f"由本县配置（`{period.key}`）"
    return period.label_zh


def _state(decl: ProcedureDecl, name: str) -> str:
    labels = {s.name: s.label for s in decl.states}
    return f"{labels[name]}（`{name}`）"


def _trigger_label(decl: ProcedureDecl, name: str) -> str:
    label = next(t.label for t in decl.triggers if t.name == name)
    return f"{label}（`{name}`）"


# -- the diagram ------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """A label Mermaid reads as text (no statement separators or quotes of its own)."""
    return text.replace(":", "：").replace(";", "；").replace('"', "”").replace("#", "＃")


def diagram(decl: ProcedureDecl) -> list[str]:
    """The states and the transitions that change them, as a Mermaid state diagram."""
    lines = ["```mermaid", "stateDiagram-v2"]
    lines += [f'    state "{_mermaid_text(s.label)}" as {s.name}' for s in decl.states]
    lines.append(f"    [*] --> {decl.initial}")
    edges: dict[tuple[str, str, str], None] = {}
    for t in decl.triggers:
        for src in t.sources:
            if t.dest is not STAY and t.dest != src:
                edges.setdefault((src, t.target(src), _mermaid_text(t.label)))
    lines += [f"    {src} --> {dest} : {label}" for src, dest, label in edges]
    lines += [f"    {s.name} --> [*]" for s in decl.states if s.final]
    lines.append("```")
    return lines


# -- payload fields ---------------------------------------------------------------------


def _enum_options(enum: type[Enum]) -> str:
    def option(member: Enum) -> str:
        label = getattr(member, "label", None)
        return f"`{member.value}`" + (f"（{label}）" if isinstance(label, str) else "")

    return "选项：" + "、".join(option(m) for m in enum)


def type_label(annotation: Any) -> str:
    """What a payload field holds, in words."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return type_label(args[0])
    if origin in (Union, types.UnionType):
        return "或".join(type_label(a) for a in args if a is not type(None))
    if origin is Literal:
        return "选项：" + "、".join(f"`{a}`" for a in args)
    if origin is list:
        return f"{type_label(args[0])}（可多项）"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _enum_options(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "记录（" + "、".join(annotation.model_fields) + "）"
    return SIMPLE_TYPES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _field_row(name: str, info: FieldInfo) -> tuple[str, str, str, str]:
    required = "是" if info.is_required() else "否"
    return (f"`{name}`", type_label(info.annotation), required, info.description or "")


def payload_fields(payload: type[BaseModel]) -> list[str]:
    rows = [_field_row(name, info) for name, info in payload.model_fields.items()]
    return _table(("字段", "类型", "必填", "说明"), rows)


# -- sections ---------------------------------------------------------------------------


def _states(decl: ProcedureDecl) -> list[str]:
    def row(s: StateDecl) -> tuple[str, str, str, str]:
        timers = "、".join(t.label for t in s.timers)
        return (s.label, f"`{s.name}`", "是" if s.final else "", timers)

    return [
        "## 状态",
        "",
        *_table(("状态", "代码", "终结", "进入时开始的期限"), map(row, decl.states)),
    ]


def _grouped(decl: ProcedureDecl) -> dict[str, list[TriggerDecl]]:
    groups: dict[str, list[TriggerDecl]] = {}
    for t in decl.triggers:
        groups.setdefault(t.name, []).append(t)
    return groups


def _clock_notes(decl: ProcedureDecl, t: TriggerDecl) -> list[str]:
    notes = []
    if t.reason_required:
        notes.append("须填写理由")
    if t.extends is not None:
        timer = next(tm for s in decl.states for tm in s.timers if tm.name == t.extends.timer)
        period = _period(t.extends.period)
        notes.append(f"延长“{timer.label}”{period}，每案最多 {t.extends.max_times} 次")
    if t.pauses_clock:
        notes.append("中止计算期限（须期限未中止）")
    if t.resumes_clock:
        notes.append("恢复计算期限（须期限处于中止状态）")
    if t.opens_case is not None:
        notes.append(f"同时立关联案件：`{t.opens_case.procedure}`（{t.opens_case.source}）")
    return notes


def _branch_row(decl: ProcedureDecl, t: TriggerDecl) -> tuple[str, str, str, str]:
    sources = "、".join(_state(decl, s) for s in t.sources)
    dest = "（不改变状态）" if t.dest is STAY else _state(decl, t.target(t.sources[0]))
    guards = "；".join(g.label for g in t.guards)
    documents = "、".join(d.title for d in t.documents)
    return (sources, dest, guards, documents)


def _trigger(decl: ProcedureDecl, name: str, branches: list[TriggerDecl]) -> list[str]:
    first = branches[0]
    lines = [f"### {first.label}（`{name}`）", "", f"- 可由：{_roles(first.roles)}"]
    lines += [f"- {note}" for note in _clock_notes(decl, first)]
    lines.append("")
    rows = [_branch_row(decl, b) for b in branches]
    lines += _table(("从", "到", "条件", "文书"), rows)
    if len(branches) > 1:
        lines += ["", "按顺序取第一个条件全部满足的一行。"]
    if first.payload is not None:
        lines += ["", "填写内容：", "", *payload_fields(first.payload)]
    return [*lines, ""]


def _triggers(decl: ProcedureDecl) -> list[str]:
    lines = ["## 操作", ""]
    for name, branches in _grouped(decl).items():
        lines += _trigger(decl, name, branches)
    return lines[:-1]


def _expiry(decl: ProcedureDecl, timer: TimerDecl) -> str:
    if timer.on_expiry is None:
        return "标记逾期，提示科（队）长"
    return f"系统自动：{_trigger_label(decl, timer.on_expiry)}"


def _runs_from(timer: TimerDecl) -> str:
    """What a window is counted from (the event's own day not counted)."""
    anchor = timer.anchor
    if anchor is None:
        return "进入该状态之时"
    where = "（所填日期）" if anchor.field else ""
    fallback = "；没有时自进入该状态之日" if not anchor.required else ""
    return f"{anchor.event}{where}{fallback}"


def _timers(decl: ProcedureDecl) -> list[str]:
    rows = [
        (
            f"{timer.label}（`{timer.name}`）",
            s.label,
            _runs_from(timer),
            _period(timer.period),
            timer.basis,
            _expiry(decl, timer),
            "届满前 " + "、".join(str(n) for n in timer.reminders) + " 个工作日",
        )
        for s in decl.states
        for timer in s.timers
    ]
    if not rows:
        return ["## 期限", "", "本程序没有法定期限。"]
    head = ("期限", "所在状态", "起算", "期间", "法律依据", "届满时", "提醒")
    return ["## 期限", "", *_table(head, rows)]


def _documents(decl: ProcedureDecl) -> list[str]:
    def row(d: DocumentDecl) -> tuple[str, str, str, str]:
        number = f"前缀＋“{d.abbrev}”" if d.abbrev else "前缀"
        return (d.title, FAMILY_LABELS[d.family], number, f"`{d.template}`")

    docs = documents_of(decl)
    if not docs:
        return ["## 文书", "", "本程序不制作编号文书。"]
    head = ("文书", "种类", "文号（本县该种类前缀＋简称〔年份〕序号）", "模板")
    return ["## 文书", "", *_table(head, map(row, docs))]


def render(decl: ProcedureDecl) -> str:
    """The page of one procedure."""
    lines = [
        HEADER,
        "",
        f"# {decl.title}",
        "",
        f"`{decl.id}` · 第 {decl.version} 版 · 案件编号前缀 `{decl.case_prefix}`",
        "",
        decl.description,
        "",
        "## 流程图",
        "",
        *diagram(decl),
        "",
        "图中只画出改变案件状态的操作；登记、送达、移送等不改变状态的操作见“操作”一节。",
        "",
        *_states(decl),
        "",
        *_triggers(decl),
        "",
        *_timers(decl),
        "",
        *_documents(decl),
    ]
    return "\n".join(lines) + "\n"


def render_index(decls: Sequence[ProcedureDecl]) -> str:
    """README.md: the procedures with their pages."""
    rows = [
        (
            f"[{d.title}]({d.id}.md)",
            f"`{d.id}`",
            str(len(d.states)),
            str(len(_grouped(d))),
            d.description,
        )
        for d in decls
    ]
    lines = [
        HEADER,
        "",
        "# 办案程序",
        "",
        "每个程序一页：状态、操作（谁可以做、条件、填写内容、文书）、法定期限及其法律依据、"
        "文书和流程图。页面由程序声明（`workflows/procedures/`）生成，"
        f"修改声明后运行 `{COMMAND}` 重新生成。",
        "",
        *_table(("程序", "代码", "状态数", "操作数", "说明"), rows),
    ]
    return "\n".join(lines) + "\n"


def generated(decls: Sequence[ProcedureDecl]) -> dict[str, str]:
    """File name → text of every page and the index."""
    pages = {f"{d.id}.md": render(d) for d in decls}
    return {**pages, "README.md": render_index(decls)}


def write(directory: Path, decls: Sequence[ProcedureDecl]) -> list[Path]:
    """Rewrite the pages in ``directory``, removing pages of procedures that are gone."""
    directory.mkdir(parents=True, exist_ok=True)
    pages = generated(decls)
    for stale in directory.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for name, text in pages.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    directory = Path(args[0]) if args else DOCS_DIR
    for path in write(directory, PROCEDURES):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
