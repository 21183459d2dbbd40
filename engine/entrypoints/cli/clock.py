"""CLI commands of the statutory clock: tick, worker, deadlines, calendar, notifications."""

from __future__ import annotations

import logging
from pathlib import Path

import typer
from rich.table import Table

from engine.adapters.anchors import default_anchor_path
from engine.entrypoints import views
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    print_json,
    read_text_file,
    reporting,
    settings,
    styled,
)
from engine.service.read_models import MAX_PER_PAGE, BoardQuery
from engine.service.sweep import BATCH

calendar_app = typer.Typer(help="节假日与调休安排", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("tick")(tick)
    app.command("worker")(worker)
    app.command("deadlines")(deadlines)
    app.command("notifications")(notifications)
    app.add_typer(calendar_app, name="calendar")


def tick(
    ctx: typer.Context,
    digest: bool = typer.Option(False, "--digest", help="同时生成期限日报"),
    batch: int = typer.Option(BATCH, "--batch", help="每个事务一并处理的到期期限数"),
    as_json: bool = JsonOption,
) -> None:
    """运行一次到期处理：触发到期的期限、发送提醒、逾期督办。"""
    s = settings(ctx)
    if batch < 1:
        fail_message("INVALID_INPUT", "--batch 至少为 1", as_json)
    with reporting(as_json):
        app = s.app()
        result = app.sweeper.sweep(batch=batch)
        digests = app.board.send_daily_digest() if digest else 0
    if as_json:
        print_json(
            {
                "fired": result.fired,
                "escalated": result.escalated,
                "reminders": result.reminders,
                "failed": result.failed,
                "conflicts": result.conflicts,
                "digests": digests,
            }
        )
        return
    console.print(
        f"到期处理完成：自动办理 {result.fired} 件，逾期督办 {result.escalated} 件，"
        f"发送提醒 {result.reminders} 条，未能自动办理 {result.failed} 件"
        + (f"，期限日报 {digests} 份" if digest else "")
        + "。"
    )


AnchorsOption = typer.Option(
    None,
    "--anchors",
    help="每日锚点文件（默认 CASEFLOW_ANCHORS，或数据库文件旁的 caseflow-anchors.jsonl）",
)


def _anchor_path(given: Path | None, url: str) -> Path:
    path = given or default_anchor_path(url)
    if not path.parent.is_dir():
        fail_message("INVALID_INPUT", f"锚点文件所在目录不存在：{path.parent}", False)
    return path


def worker(
    ctx: typer.Context,
    interval: int = typer.Option(60, "--interval", help="到期处理间隔（秒）"),
    digest_hour: int = typer.Option(8, "--digest-hour", help="每日期限日报的时刻（北京时间）"),
    anchors: Path = AnchorsOption,
    anchor_hour: int = typer.Option(23, "--anchor-hour", help="每日写锚点的时刻（北京时间，:30）"),
) -> None:
    """常驻进程：每分钟运行到期处理，每天生成期限日报并写入数据库外的锚点。"""
    from engine.entrypoints.worker import build_scheduler, run_worker, worker_jobs

    s = settings(ctx)
    if not 1 <= interval <= 86_400:
        fail_message(
            "INVALID_INPUT", f"--interval 应在 1 到 86400 秒之间，实际为 {interval}", False
        )
    if not 0 <= digest_hour <= 23:
        fail_message(
            "INVALID_INPUT", f"--digest-hour 应在 0 到 23 之间，实际为 {digest_hour}", False
        )
    if not 0 <= anchor_hour <= 23:
        fail_message("INVALID_INPUT", "--anchor-hour 应在 0 到 23 之间", False)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with reporting():
        app = s.app()
        anchor_path = _anchor_path(anchors, app.url)
        scheduler = build_scheduler(
            app,
            interval_seconds=interval,
            digest_hour=digest_hour,
            extra_jobs=worker_jobs(),
            anchor_path=anchor_path,
            anchor_hour=anchor_hour,
        )
        console.print(
            f"caseflow worker 已启动（每 {interval} 秒到期处理；每天 {digest_hour}:00 期限日报；"
            f"每天 {anchor_hour}:30 写锚点到 {anchor_path}）。按 Ctrl+C 停止。",
            markup=False,
        )
        run_worker(app, scheduler)


def deadlines(
    ctx: typer.Context,
    inspector: str = typer.Option(None, "--inspector"),
    unit: str = typer.Option(None, "--unit"),
    procedure: str = typer.Option(None, "--procedure", "-p"),
    due_within: int = typer.Option(None, "--due-within", help="只列 N 日内到期的（及已逾期的）"),
    page: int = typer.Option(1, "--page", help="页码"),
    limit: int = typer.Option(100, "--limit", help=f"每页条数（最多 {MAX_PER_PAGE}）"),
    as_json: bool = JsonOption,
) -> None:
    """期限看板：未结案件的法定期限，逾期的排在最前（分页）。"""
    s = settings(ctx)
    if due_within is not None and due_within < 0:
        fail_message("INVALID_INPUT", "--due-within 不能为负数", as_json)
    with reporting(as_json):
        found = s.app().board.rows(
            BoardQuery(
                procedure=procedure,
                unit=unit,
                inspector=inspector,
                due_within_days=due_within,
                page=page,
                per_page=limit,
            )
        )
    if as_json:
        print_json([views.board_row_dict(r) for r in found.items])
        return
    title = f"期限看板（共 {found.total} 项，第 {found.page}/{found.pages} 页）"
    table = Table(title=title)
    for col in ("案件", "当事人", "期限", "规则", "截止日", "剩余", "承办人"):
        table.add_column(col, no_wrap=col in ("案件", "截止日"))
    table.add_column("依据", max_width=30)
    for r in found.items:
        left = r.left_text
        style = "bold red" if r.overdue else ("yellow" if r.days_left <= 3 else "")
        due = r.last_day + ("（暂定）" if r.provisional else "")
        table.add_row(
            r.case_ref,
            r.subject,
            r.label,
            r.rule.label_zh,
            due,
            styled((left, style)),
            "、".join(r.assignees),
            r.basis,
        )
    console.print(table)


def notifications(
    ctx: typer.Context,
    user: str = typer.Option(None, "--user", help="收件人"),
    kind: str = typer.Option(None, "--kind", help="reminder|overdue|timer_fired|digest"),
    as_json: bool = JsonOption,
) -> None:
    """查看待发送的通知（提醒、督办、日报）。"""
    s = settings(ctx)
    with reporting(as_json):
        items = s.app().notifications.list(recipient=user, kind=kind)
    if as_json:
        print_json(
            [
                {
                    "id": n.id,
                    "recipient": n.recipient,
                    "kind": n.kind,
                    "subject": n.subject,
                    "body": n.body,
                    "created_at": views.local(n.created_at),
                }
                for n in items
            ]
        )
        return
    for n in items:
        console.print(
            styled(
                f"[{n.id}] {views.local_short(n.created_at)} → {n.recipient}：",
                (n.subject, "bold"),
                f"\n    {n.body}",
            )
        )
    if not items:
        console.print("没有通知。")


@calendar_app.command("import")
def calendar_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="放假安排 TOML 文件"),
    as_json: bool = JsonOption,
) -> None:
    """导入国务院公布的某年放假安排，并重算所有暂定期限。"""
    s = settings(ctx)
    if not file.is_file():
        fail_message("INVALID_INPUT", f"文件不存在：{file}", as_json)
    with reporting(as_json):
        result = s.app().calendar.import_arrangements(read_text_file(file), actor=s.actor())
    if as_json:
        print_json(
            {
                "years": result.years,
                "replaced": result.replaced,
                "recomputed": [r.__dict__ for r in result.recomputed],
            }
        )
        return
    ok(
        f"已导入 {'、'.join(map(str, result.years))} 年放假安排"
        + (f"（替换了原有的 {result.replaced}）" if result.replaced else "")
        + "。"
    )
    console.print(f"重算暂定期限 {len(result.recomputed)} 项：")
    for r in result.recomputed:
        change = "不变" if r.before == r.after else f"{r.before} → {r.after}"
        console.print(
            f"  {r.case_ref} {r.timer}：{change}" + ("（仍为暂定）" if r.still_provisional else "")
        )


@calendar_app.command("show")
def calendar_show(
    ctx: typer.Context, year: int = typer.Argument(..., help="年份"), as_json: bool = JsonOption
) -> None:
    """显示某年的节假日和调休上班日，以及数据来源。"""
    s = settings(ctx)
    if not 1901 <= year <= 2099:
        fail_message("INVALID_INPUT", f"年份 {year} 超出支持范围（1901–2099）", as_json)
    with reporting(as_json):
        view = s.app().calendar.show_year(year)
    source = {
        "imported": "县局导入的官方安排",
        "chinesecalendar": "chinesecalendar（官方安排）",
        "statutory": "按《全国年节及纪念日放假办法》推算（暂定，待导入官方安排）",
    }[view.kind]
    if as_json:
        print_json(
            {
                "year": year,
                "source": view.source,
                "kind": view.kind,
                "provisional": view.provisional,
                "holidays": {d.isoformat(): n for d, n in view.holidays.items()},
                "makeup_workdays": [d.isoformat() for d in view.makeup_workdays],
            }
        )
        return
    console.print(styled((f"{year} 年", "bold"), f"  来源：{source}  {view.source}"))
    table = Table()
    table.add_column("日期")
    table.add_column("星期")
    table.add_column("安排")
    days = {
        **{d: n for d, n in view.holidays.items()},
        **{d: "调休上班" for d in view.makeup_workdays},
    }
    for d in sorted(days):
        table.add_row(d.isoformat(), "一二三四五六日"[d.weekday()], days[d])
    console.print(table)
