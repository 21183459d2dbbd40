"""CLI commands on cases: open, fire, assign, note, attach, list, show, history (`verify`
and `anchor` are in cli/integrity.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from engine.bootstrap import App
from engine.domain.history import HistoryEvent
from engine.domain.subject import Subject
from engine.entrypoints import views
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    parse_json_object,
    parse_pairs,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.read_models import MAX_PER_PAGE, CaseQuery

EVENT_LABELS = {
    "opened": "登记立案",
    "fired": "办理",
    "assigned": "指派承办人",
    "note": "备注",
    "attachment": "上传附件",
    "document": "制发文书",
    "deadline": "期限变更",
    "reminder": "期限提醒",
    "overdue": "逾期督办",
}


def register(app: typer.Typer) -> None:
    app.command("open")(open_case)
    app.command("fire")(fire)
    app.command("assign")(assign)
    app.command("note")(note)
    app.command("attach")(attach)
    app.command("record-service")(record_service)
    app.command("list")(list_cases)
    app.command("show")(show)
    app.command("history")(history)


def open_case(
    ctx: typer.Context,
    procedure: str = typer.Argument(..., help="程序，如 wage_arrears"),
    name: str = typer.Option(..., "--name", help="当事人（用人单位）名称"),
    address: str = typer.Option(..., "--address", help="当事人地址"),
    uscc: str = typer.Option(..., "--uscc", help="统一社会信用代码（18位）"),
    source: str = typer.Option("投诉", "--source", help="案件来源：投诉、举报、专项检查……"),
    data: str = typer.Option(None, "--data", help="初始数据（JSON 对象）"),
    matter: str = typer.Option("", "--matter", help="事项（见 caseflow matters）"),
    as_json: bool = JsonOption,
) -> None:
    """登记一件新案件。"""
    s = settings(ctx)
    initial = parse_json_object(data, "--data", as_json)
    with reporting(as_json):
        app = s.app()
        case = app.cases.open_case(
            procedure=procedure,
            subject=Subject.create(name, address, uscc),
            source=source,
            actor=s.actor(),
            data=initial,
            matter=matter,
        )
        _print_case(app, case.ref, as_json, f"已登记案件 {case.ref}")


def fire(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE", help="案件编号"),
    trigger: str = typer.Argument(..., help="操作，如 accept（见 caseflow show 的“可办理操作”）"),
    field: list[str] = typer.Option([], "--set", "-s", help="填报字段 字段=值，可重复"),
    payload: str = typer.Option(None, "--payload", help="填报内容（JSON 对象）"),
    reason: str = typer.Option("", "--reason", help="理由或说明"),
    expect_version: int = typer.Option(None, "--expect-version", help="您看到的案件版本号"),
    as_json: bool = JsonOption,
) -> None:
    """办理案件：执行一个操作（状态流转）。"""
    s = settings(ctx)
    body = {
        **parse_json_object(payload, "--payload", as_json),
        **parse_pairs(field, "--set", as_json),
    }
    with reporting(as_json):
        app = s.app()
        before = app.queries.get_case(case_ref)
        case = app.cases.fire(
            case_ref, trigger, body, actor=s.actor(), reason=reason, expected_version=expect_version
        )
        compiled = app.queries.compiled_for(case)
        _print_case(
            app,
            case.ref,
            as_json,
            f"{case.ref}：{compiled.trigger_label(trigger)}，"
            f"「{before.state_label}」→「{compiled.state_label(case.state)}」",
        )


def assign(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    inspectors: list[str] = typer.Argument(..., help="承办监察员用户名（可多个）"),
    reason: str = typer.Option("", "--reason"),
    expect_version: int = typer.Option(None, "--expect-version"),
    as_json: bool = JsonOption,
) -> None:
    """指派或改派承办监察员。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        case = app.cases.assign(
            case_ref, inspectors, actor=s.actor(), reason=reason, expected_version=expect_version
        )
        _print_case(app, case.ref, as_json, f"{case.ref} 承办人：{'、'.join(case.assignees)}")


def note(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    text: str = typer.Argument(..., help="备注内容"),
    as_json: bool = JsonOption,
) -> None:
    """为案件添加备注。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        case = app.cases.add_note(case_ref, text, actor=s.actor())
        _print_case(app, case.ref, as_json, f"{case.ref} 已添加备注")


def attach(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    file: Path = typer.Argument(..., help="附件文件"),
    note_text: str = typer.Option("", "--note", help="附件说明"),
    as_json: bool = JsonOption,
) -> None:
    """上传附件（记录其 SHA-256）。"""
    s = settings(ctx)
    if not file.is_file():
        fail_message("INVALID_INPUT", f"附件文件不存在：{file}", as_json)
    with reporting(as_json):
        app = s.app()
        case = app.cases.add_attachment(
            case_ref, file.name, file.read_bytes(), actor=s.actor(), note=note_text
        )
        _print_case(app, case.ref, as_json, f"{case.ref} 已上传附件 {file.name}")


def record_service(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    document: int = typer.Option(..., "--document", help="送达的文书 ID（见 caseflow notices）"),
    recipient: str = typer.Option(..., "--recipient", help="受送达人"),
    method: str = typer.Option(
        ..., "--method", help="direct|left_at_premises|posting|post|electronic"
    ),
    served_on: str = typer.Option(..., "--on", help="送达日期 YYYY-MM-DD"),
    place: str = typer.Option("", "--place", help="送达地点"),
    signed_by: str = typer.Option("", "--signed-by", help="签收人（直接、邮寄送达）"),
    refusal: str = typer.Option("", "--refusal", help="拒绝签收的情况和理由（留置送达）"),
    witness: list[str] = typer.Option([], "--witness", help="见证人，可重复"),
    evidence: list[str] = typer.Option([], "--evidence", help="照片、录像附件名称，可重复"),
    tracking_no: str = typer.Option("", "--tracking-no", help="邮件单号（邮寄送达）"),
    address: str = typer.Option("", "--address", help="电子送达地址"),
    consent_on: str = typer.Option(None, "--consent-on", help="同意电子送达的日期"),
    note_text: str = typer.Option("", "--note", help="备注"),
    as_json: bool = JsonOption,
) -> None:
    """记录文书的送达，并出具送达回证。"""
    s = settings(ctx)
    record = {
        "document": document,
        "recipient": recipient,
        "method": method,
        "served_on": served_on,
        "place": place,
        "signed_by": signed_by,
        "refusal": refusal,
        "witnesses": witness,
        "evidence": evidence,
        "tracking_no": tracking_no,
        "electronic_address": address,
        "consent_on": consent_on,
        "note": note_text,
    }
    with reporting(as_json):
        app = s.app()
        case = app.cases.record_service(case_ref, record, actor=s.actor())
        receipt = case.data["services"][-1]["receipt"]["number"]
        _print_case(app, case.ref, as_json, f"{case.ref} 已记录送达，出具送达回证 {receipt}")


def list_cases(
    ctx: typer.Context,
    procedure: str = typer.Option(None, "--procedure", "-p"),
    state: str = typer.Option(None, "--state"),
    inspector: str = typer.Option(None, "--inspector"),
    unit: str = typer.Option(None, "--unit"),
    open_only: bool = typer.Option(False, "--open", help="只列未结案件"),
    text: str = typer.Option(None, "--search", help="案件编号、当事人名称或统一社会信用代码"),
    page: int = typer.Option(1, "--page", help="页码"),
    limit: int = typer.Option(50, "--limit", help=f"每页条数（最多 {MAX_PER_PAGE}）"),
    as_json: bool = JsonOption,
) -> None:
    """列出案件（最新登记的在前，分页）。"""
    s = settings(ctx)
    with reporting(as_json):
        query = CaseQuery(
            text=text,
            procedure=procedure,
            state=state,
            unit=unit,
            inspector=inspector,
            open_only=open_only,
            page=page,
            per_page=limit,
        )
        found = s.app().queries.search(query)
    if as_json:
        print_json([views.summary_dict(r.summary, r.state_label) for r in found.items])
        return
    count = f"超过 {found.total:,} 件" if found.more else f"共 {found.total:,} 件"
    more = "+" if found.more else ""
    title = f"案件（{count}，第 {found.page}/{found.pages}{more} 页）"
    table = Table(title=title)
    for col in ("案件编号", "程序", "当事人", "状态", "承办人", "承办单位", "登记时间"):
        table.add_column(col, no_wrap=col == "案件编号")
    for r in found.items:
        state_text = styled(r.state_label, (" 逾期" if r.summary.overdue else "", "red"))
        table.add_row(
            r.summary.ref,
            r.procedure_title,
            r.summary.subject_name,
            state_text,
            "、".join(r.summary.assignees),
            r.summary.unit,
            views.local_short(r.summary.opened_at),
        )
    console.print(table)


def show(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = JsonOption,
) -> None:
    """查看案件详情：状态、期限、文书、可办理的操作。"""
    s = settings(ctx)
    with reporting(as_json):
        _print_case(s.app(), case_ref, as_json, None)


def history(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = JsonOption,
) -> None:
    """查看案件办理记录（不可篡改的留痕）。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        events = app.queries.history(case_ref)
        view = app.queries.get_case(case_ref)
        if as_json:
            print_json([views.event_dict(e) for e in events])
            return
        compiled = app.queries.compiled_for(view.case)
        table = Table(title=f"{case_ref} 办理记录（{len(events)} 条）")
        for col in ("序号", "时间", "操作人", "事项", "状态变化", "内容", "哈希"):
            table.add_column(col)
        for e in events:
            table.add_row(
                str(e.seq),
                views.local_short(e.at),
                e.actor,
                _event_title(e, compiled),
                _state_change(e, compiled),
                _summary(e),
                e.hash[:12],
            )
        console.print(table)


# -- display helpers ---------------------------------------------------------------------


def _print_case(app: App, ref: str, as_json: bool, headline: str | None) -> None:
    view = app.queries.get_case(ref)
    if as_json:
        print_json(views.case_dict(view))
        return
    c = view.case
    if headline:
        ok(headline)
    console.print(
        styled(
            (c.ref, "bold"),
            f"  {view.procedure_title}  状态：",
            (view.state_label, "bold"),
            ("  逾期" if c.overdue else "", "red"),
            f"  （第 {c.version} 版）",
        )
    )
    console.print(f"  当事人：{c.subject.name}（{c.subject.uscc}），{c.subject.address}")
    console.print(
        f"  来源：{c.source}  承办单位：{c.unit}  承办人：{'、'.join(c.assignees) or '未指派'}"
    )
    if view.timers:
        console.print("  期限：")
        for t in view.timers:
            flag = "（暂定，待导入当年放假安排）" if t.provisional else ""
            console.print(f"    {t.label}：{t.last_day} 24:00 前{flag}  依据：{t.basis}")
    if view.documents:
        console.print("  文书：")
        for d in view.documents:
            console.print(f"    [{d.id}] {d.title} {d.number}  SHA-256 {d.sha256[:16]}…")
    if view.attachments:
        console.print("  附件：")
        for a in view.attachments:
            console.print(f"    [{a.id}] {a.name}（{a.size} 字节）SHA-256 {a.sha256[:16]}…")
    allowed = "、".join(f"{label}（{t}）" for t, label in view.allowed) or "无（已办结）"
    console.print(f"  可办理操作：{allowed}")


def _event_title(e: HistoryEvent, compiled: Any) -> str:
    if e.trigger and e.trigger in compiled.triggers:
        return str(compiled.trigger_label(e.trigger))
    return EVENT_LABELS.get(str(e.kind), str(e.kind))


def _state_change(e: HistoryEvent, compiled: Any) -> str:
    if e.from_state and e.to_state and e.from_state != e.to_state:
        return f"{compiled.state_label(e.from_state)} → {compiled.state_label(e.to_state)}"
    if e.to_state and not e.from_state:
        return str(compiled.state_label(e.to_state))
    return ""


def _summary(e: HistoryEvent) -> str:
    payload = {k: v for k, v in e.payload.items() if not k.startswith("_")}
    docs = e.payload.get("_documents") or []
    parts = []
    if payload:
        parts.append(json.dumps(payload, ensure_ascii=False)[:120])
    parts.extend(f"文书 {d['number']}" for d in docs)
    if e.reason:
        parts.append(f"理由：{e.reason}")
    return "；".join(parts)
