"""Bulk intake (批量登记): complaints received in batches — from the national wage-arrears clue
platform (全国根治欠薪线索反映平台) or the 12345 hotline — as an .xlsx or .csv table. A preview
checks every row as registering one by hand would (the party's 统一社会信用代码, the source,
the procedure's intake model: dates, amounts, numbers) and against duplicates (the same
party twice in the file, or with a case of the same procedure still open), listing each
row's errors in Chinese. The import then opens every row in one transaction: all rows or,
at the user's choice, only the valid ones — never half a row, never half a file."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pydantic import BaseModel

from engine.domain.errors import CaseflowError, InvalidInput, PayloadInvalid, UnknownProcedure
from engine.domain.payloads import validate_payload
from engine.domain.permissions import require_role
from engine.domain.procedure import CompiledProcedure
from engine.domain.subject import Subject
from engine.service.case_commands import OPENERS, CaseCommands, NewCase
from engine.service.context import ServiceContext, actor_of
from engine.service.read_models import MAX_PER_PAGE, CaseQuery

PARTY = {"当事人名称": "name", "当事人地址": "address", "统一社会信用代码": "uscc"}
SOURCE, PROCEDURE, MATTER = "案件来源", "程序", "事项"
REQUIRED = (*PARTY, SOURCE)
Cell = str | int | float | date | None
TableReader = Callable[[str, bytes], list[list[Cell]]]
"""Reads an uploaded file's rows (engine.adapters.spreadsheets.read_table)."""
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class ImportHasErrors(CaseflowError):
    code = "IMPORT_HAS_ERRORS"

    def __init__(self, bad: list[IntakeRow]) -> None:
        listed = "；".join(f"第{r.line}行：{'、'.join(r.errors)}" for r in bad[:5])
        more = f"等 {len(bad)} 行" if len(bad) > 5 else ""
        super().__init__(
            f"{listed}{more}有误，未导入任何案件。请改正后重新导入，或选择只导入无误的行",
            rows={str(r.line): r.errors for r in bad},
        )


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    help: str
    key: str


@dataclass(frozen=True)
class IntakeRow:
    line: int
    """The row's number in the file (the header is row 1)."""
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    request: NewCase | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class IntakePreview:
    file: str
    procedure: str
    columns: list[str]
    rows: list[IntakeRow]

    @property
    def valid(self) -> list[IntakeRow]:
        return [r for r in self.rows if r.valid]

    @property
    def invalid(self) -> list[IntakeRow]:
        return [r for r in self.rows if not r.valid]


@dataclass(frozen=True)
class IntakeResult:
    opened: list[str]
    skipped: list[IntakeRow]


def _is_date(annotation: Any) -> bool:
    if annotation is date:
        return True
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and date in typing.get_args(annotation)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normal_date(text: str) -> str:
    found = _DATE.fullmatch(text)
    if not found:
        return text
    y, m, d = (int(g) for g in found.groups())
    return f"{y:04d}-{m:02d}-{d:02d}"


class BulkIntake:
    def __init__(self, ctx: ServiceContext, cases: CaseCommands, reader: TableReader) -> None:
        self.ctx = ctx
        self.cases = cases
        self.reader = reader

    def columns(self, procedure: str) -> list[Column]:
        """The table's columns for a procedure: the party, the source, and the fields of
        the procedure's intake model under their Chinese descriptions."""
        compiled = self.ctx.registry.latest(procedure)
        out = [
            Column("当事人名称", True, "用人单位或被投诉单位全称", "name"),
            Column("当事人地址", True, "住所或经营地址", "address"),
            Column("统一社会信用代码", True, "18位，含校验位", "uscc"),
            Column(SOURCE, True, "如 全国根治欠薪线索反映平台、12345热线、来访", "source"),
        ]
        intake = compiled.decl.intake
        for name, info in intake.model_fields.items() if intake else ():
            kind = "日期，如 2026-03-02" if _is_date(info.annotation) else ""
            out.append(Column(info.description or name, False, kind, f"intake.{name}"))
        out.append(Column(PROCEDURE, False, f"可不填，默认 {compiled.decl.title}", "procedure"))
        out.append(Column(MATTER, False, "职责边界表中的事项代码，可不填", "matter"))
        return out

    def preview(
        self, name: str, content: bytes, *, actor: str, procedure: str = "wage_arrears"
    ) -> IntakePreview:
        with self.ctx.uow(readonly=True) as uow:
            require_role(actor_of(uow, actor), OPENERS, "批量登记案件")
        default = self.ctx.registry.latest(procedure)
        rows = self.reader(name, content)
        header = [_text(h) for h in rows[0]]
        self._check_header(default, header)
        checked: list[IntakeRow] = []
        seen: dict[tuple[str, str], int] = {}
        for line, raw in enumerate(rows[1:], start=2):
            values = {h: _text(v) for h, v in zip(header, raw, strict=False) if h}
            checked.append(self._row(line, values, default, seen))
        return IntakePreview(name, default.decl.id, header, self._against_open(checked))

    def import_file(
        self,
        name: str,
        content: bytes,
        *,
        actor: str,
        procedure: str = "wage_arrears",
        only_valid: bool = False,
    ) -> IntakeResult:
        preview = self.preview(name, content, actor=actor, procedure=procedure)
        if preview.invalid and not only_valid:
            raise ImportHasErrors(preview.invalid)
        requests = [r.request for r in preview.valid if r.request is not None]
        opened = self.cases.open_cases(requests, actor=actor) if requests else []
        return IntakeResult([c.ref for c in opened], preview.invalid)

    # -- checking ----------------------------------------------------------------------------

    def _check_header(self, compiled: CompiledProcedure, header: list[str]) -> None:
        known = {c.header for c in self.columns(compiled.decl.id)}
        intake = compiled.decl.intake
        known |= set(intake.model_fields) if intake else set()
        unknown = [h for h in header if h and h not in known]
        missing = [h for h in REQUIRED if h not in header]
        if missing:
            raise InvalidInput("表头", f"缺少必填的列：{'、'.join(missing)}（请使用导入模板）")
        if unknown:
            raise InvalidInput("表头", f"未知的列：{'、'.join(unknown)}（请使用导入模板）")

    def _procedure(
        self, values: Mapping[str, str], default: CompiledProcedure
    ) -> CompiledProcedure:
        given = values.get(PROCEDURE, "")
        if not given:
            return default
        for compiled in self.ctx.registry.all_latest():
            if given in (compiled.decl.id, compiled.decl.title):
                return compiled
        raise UnknownProcedure(given, [c.decl.title for c in self.ctx.registry.all_latest()])

    def _row(
        self,
        line: int,
        values: dict[str, str],
        default: CompiledProcedure,
        seen: dict[tuple[str, str], int],
    ) -> IntakeRow:
        errors: list[str] = []
        try:
            compiled = self._procedure(values, default)
        except UnknownProcedure as exc:
            return IntakeRow(line, values, [exc.message])
        try:
            subject = Subject.create(*(values.get(h, "") for h in PARTY))
        except InvalidInput as exc:
            errors.append(exc.message)
            subject = None
        source = values.get(SOURCE, "")
        if not source:
            errors.append(f"「{SOURCE}」不能为空")
        data, problems = _intake_data(compiled.decl.intake, values)
        errors += problems
        if subject is not None:
            key = (compiled.decl.id, subject.uscc)
            if key in seen:
                errors.append(f"与第{seen[key]}行重复（同一程序、同一当事人）")
            seen.setdefault(key, line)
        if errors or subject is None:
            return IntakeRow(line, values, errors)
        request = NewCase(compiled.decl.id, subject, source, data or None, values.get(MATTER, ""))
        return IntakeRow(line, values, [], request)

    def _against_open(self, rows: list[IntakeRow]) -> list[IntakeRow]:
        """Rows whose party has a case of the same procedure still open are duplicates.
        Read in one transaction through the case search: per row by 统一社会信用代码 (its
        index) for a short file, or — when that is fewer queries — every open case of the
        procedure page by page."""
        wanted = {(r.request.procedure, r.request.subject.uscc) for r in rows if r.request}
        open_refs: dict[tuple[str, str], list[str]] = {}
        with self.ctx.uow(readonly=True) as uow:
            for procedure in sorted({p for p, _ in wanted}):
                mine = {u for p, u in wanted if p == procedure}
                everyone = CaseQuery(procedure=procedure, open_only=True, per_page=MAX_PER_PAGE)
                total = uow.cases.search(replace(everyone, per_page=1)).total
                if -(-total // MAX_PER_PAGE) < len(mine):
                    pages = -(-total // MAX_PER_PAGE)
                    found = [
                        s
                        for page in range(1, pages + 1)
                        for s in uow.cases.search(replace(everyone, page=page)).items
                    ]
                else:
                    found = [
                        s
                        for uscc in sorted(mine)
                        for s in uow.cases.search(replace(everyone, text=uscc, per_page=3)).items
                    ]
                for s in found:
                    if s.subject_uscc in mine:
                        open_refs.setdefault((procedure, s.subject_uscc), []).append(s.ref)
        out = []
        for row in rows:
            r = row.request
            refs = open_refs.get((r.procedure, r.subject.uscc), []) if r else []
            if refs:
                why = f"与未结案件 {'、'.join(refs[:3])} 重复（同一当事人尚有未结的同类案件）"
                row = IntakeRow(row.line, row.values, [why])
            out.append(row)
        return out


def _intake_data(
    model: type[BaseModel] | None, values: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    if model is None:
        return {}, []
    raw: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for name, info in model.model_fields.items():
        label = info.description or name
        labels[name] = label
        text = values.get(label, values.get(name, ""))
        if text:
            raw[name] = _normal_date(text) if _is_date(info.annotation) else text
    try:
        checked = validate_payload("投诉登记", model, raw)
    except PayloadInvalid as exc:
        return {}, [f"「{labels.get(k, k)}」{why}" for k, why in exc.problems.items()]
    assert checked is not None
    return checked.model_dump(mode="json", exclude_unset=True), []


def template(columns: list[Column]) -> bytes:
    """The import template: the header row (required columns marked in the notes sheet),
    one example row, and a sheet explaining each column."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "投诉登记"
    sheet.append([c.header for c in columns])
    example = {
        "name": "定安县某建筑劳务有限公司",
        "address": "海南省定安县定城镇见龙大道某工地",
        "uscc": "91469021MA5T3XY14R",
        "source": "全国根治欠薪线索反映平台",
        "intake.complainant": "张三",
        "intake.received_on": "2026-03-02",
        "intake.complainants": "12",
        "intake.claimed": "86000.00",
    }
    sheet.append([example.get(c.key, "") for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, c in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(12, len(c.header) * 2)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for c in columns:
        notes.append([c.header, "必填" if c.required else "可不填", c.help])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["C"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
