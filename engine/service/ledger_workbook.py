"""The 台账 as an Excel workbook (openpyxl): one sheet per procedure with the columns an
office keeps, and a 统计 sheet. Formatted as offices expect: a frozen header row and case
number, column widths, a filter, dates as dates, amounts as numbers with two decimals."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.service.case_figures import CaseFigures
from engine.service.ledger import Ledger, Statistics

DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
STATS_SHEET = "统计"

Column = tuple[str, int, Callable[[CaseFigures], Any]]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


BEFORE_STEPS: list[Column] = [
    ("案件编号", 14, lambda r: r.ref),
    ("当事人", 30, lambda r: r.subject_name),
    ("统一社会信用代码", 22, lambda r: r.uscc),
    ("案件来源", 12, lambda r: r.source),
    ("承办单位", 20, lambda r: r.unit),
    ("登记日期", 12, lambda r: r.opened),
]
AFTER_STEPS: list[Column] = [
    ("办结日期", 12, lambda r: r.closed),
    ("当前状态", 16, lambda r: r.state_label),
    (
        "期限情况",
        48,
        lambda r: "；".join(f"{d.label} {d.last_day} {d.status}" for d in r.deadlines),
    ),
    ("逾期期限数", 10, lambda r: r.deadlines_missed),
    ("主张金额（元）", 15, lambda r: _num(r.claimed)),
    ("查实金额（元）", 15, lambda r: _num(r.admitted)),
    ("责令支付金额（元）", 15, lambda r: _num(r.ordered)),
    ("已支付金额（元）", 15, lambda r: _num(r.paid)),
    ("尚欠金额（元）", 15, lambda r: _num(r.outstanding)),
    ("涉及劳动者（人）", 10, lambda r: r.workers),
    ("承办人", 14, lambda r: "、".join(r.assignees)),
    ("制发文书（文号）", 48, lambda r: "；".join(f"{t}（{n}）" for t, n in r.documents)),
    ("移送公安日期", 12, lambda r: r.transferred_on),
    ("公安处理结果", 14, lambda r: r.police_outcome),
    ("罚款金额（元）", 14, lambda r: _num(r.fine)),
    ("已缴罚款（元）", 14, lambda r: _num(r.fine_paid)),
    ("办结用时（日）", 10, lambda r: r.days_to_close),
    ("法定办结期限（日）", 12, lambda r: r.limit_days),
    ("在法定期限内办结", 10, lambda r: _yes_no(r.within_limit)),
    ("办理结果", 40, lambda r: r.outcome),
]
AMOUNT_HEADERS = {name for name, _, _ in AFTER_STEPS if name.endswith("（元）")}


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if c in "[]:*?/\\" else c for c in title)[:31]
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}_{n}"
        n += 1
    taken.add(name)
    return name


def _header(ws: Worksheet, row: int, names: Sequence[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _format(cell: Any, value: Any, header: str) -> None:
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif header in AMOUNT_HEADERS and value is not None:
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, str) and len(value) > 30:
        cell.alignment = WRAP


def _procedure_sheet(ws: Worksheet, rows: Sequence[CaseFigures], step_order: list[str]) -> None:
    used = {label for r in rows for label in r.steps}
    steps = [label for label in step_order if label in used]
    steps += sorted(used - set(steps))
    columns: list[Column] = [
        *BEFORE_STEPS,
        *[(label, 12, lambda r, s=label: r.steps.get(s)) for label in steps],
        *AFTER_STEPS,
    ]
    _header(ws, 1, [name for name, _, _ in columns])
    for i, row in enumerate(rows, start=2):
        for col, (name, _, read) in enumerate(columns, start=1):
            value = read(row)
            cell = ws.cell(row=i, column=col, value=value)
            _format(cell, value, name)
    for col, (_, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def _table(
    ws: Worksheet, start: int, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    ws.cell(row=start, column=1, value=title).font = TITLE_FONT
    _header(ws, start + 1, header)
    for i, values in enumerate(rows, start=start + 2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=col, value=value)
            if isinstance(value, float) and col > 1 and "金额" in "".join(header):
                cell.number_format = AMOUNT_FORMAT
    return start + len(rows) + 3


def _statistics_sheet(ws: Worksheet, ledger: Ledger) -> None:
    s: Statistics = ledger.statistics
    ws.cell(row=1, column=1, value="统计期间").font = TITLE_FONT
    ws.cell(row=1, column=2, value=ledger.date_from).number_format = DATE_FORMAT
    ws.cell(row=1, column=3, value=ledger.date_to).number_format = DATE_FORMAT
    ws.cell(row=2, column=1, value="登记案件总数")
    ws.cell(row=2, column=2, value=len(ledger.rows))
    procedures = sorted({p for _, p in s.opened})
    outcomes = sorted({o for _, o in s.closed})
    at = 4
    at = _table(
        ws,
        at,
        "各月登记案件（按程序）",
        ["月份", *procedures, "合计"],
        [
            [m, *(s.opened[m, p] for p in procedures), sum(s.opened[m, p] for p in procedures)]
            for m in s.months
        ],
    )
    at = _table(
        ws,
        at,
        "各月办结案件（按结果）",
        ["月份", *outcomes],
        [[m, *(s.closed[m, o] for o in outcomes)] for m in s.months],
    )
    at = _table(
        ws,
        at,
        "追发工资（按支付月份）",
        ["月份", "追发金额（元）", "涉及劳动者（人）"],
        [[m, float(s.recovered.get(m, Decimal(0))), s.workers[m]] for m in s.months],
    )
    at = _table(
        ws,
        at,
        "办结用时与法定期限",
        ["程序", "办结件数", "期限内办结", "平均用时（日）", "平均法定期限（日）"],
        [
            [h.procedure, h.closed, h.within, round(h.average_days, 1), round(h.average_limit, 1)]
            for h in s.handling
        ],
    )
    _later_tables(ws, at, s)
    ws.column_dimensions["A"].width = 28
    for col in range(2, 10):
        ws.column_dimensions[get_column_letter(col)].width = 16


def _later_tables(ws: Worksheet, at: int, s: Statistics) -> None:
    """The tables of overdue cases per unit, police transfers and fines."""
    units = sorted(set(s.overdue) | set(s.missed))
    at = _table(
        ws,
        at,
        "逾期情况（按单位）",
        ["单位", "逾期未结案件", "逾期期限数"],
        [[u, s.overdue[u], s.missed[u]] for u in units],
    )
    at = _table(ws, at, "移送公安机关", ["处理结果", "件数"], sorted(s.police.items()))
    _table(
        ws,
        at,
        "罚款",
        ["决定月份", "罚款金额（元）", "已收缴金额（元）"],
        [[m, float(s.fines[m]), float(s.fines_paid.get(m, Decimal(0)))] for m in sorted(s.fines)],
    )


def workbook(ledger: Ledger, step_order: Callable[[str], list[str]]) -> bytes:
    """The workbook's bytes; ``step_order(procedure)`` gives the labels of a procedure's
    triggers in their declared order (the columns of the dates of each step)."""
    book = Workbook()
    stats = book.active
    assert stats is not None
    stats.title = STATS_SHEET
    taken = {STATS_SHEET}
    for procedure, rows in ledger.by_procedure().items():
        ws = book.create_sheet(_sheet_title(rows[0].procedure_title, taken))
        _procedure_sheet(ws, rows, step_order(procedure))
    _statistics_sheet(stats, ledger)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
